/**
 * Reads a contenteditable editor's text the way its user sees it, with a map from text offsets
 * back to DOM text nodes.
 *
 * Every block (paragraph, div, list item…) is a line; `<br>` breaks a line, except the
 * placeholder `<br>` editors put at the end of a block (an empty block still counts as an
 * empty line). Draft.js, Lexical, Quill, ProseMirror and Slate all render this way.
 */

/** A text node's place in the extracted text. */
export interface Segment {
  node: Text;
  /** Offset in the extracted text where the node's data begins. */
  start: number;
}

export interface TextMap {
  text: string;
  segments: Segment[];
}

const BLOCK_TAGS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGCAPTION", "FIGURE",
  "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL",
  "P", "PRE", "SECTION", "TABLE", "TD", "TH", "TR", "UL",
]);

/** Elements whose content is never text the user typed. */
const SKIPPED_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);

export function readTextMap(root: HTMLElement): TextMap {
  const parts: string[] = [];
  const segments: Segment[] = [];
  let length = 0;
  /** A line break is owed before the next text (blocks end lines lazily, so they collapse). */
  let breakOwed = false;
  let started = false;

  const emit = (text: string, node?: Text): void => {
    if (breakOwed && started) {
      parts.push("\n");
      length += 1;
    }
    breakOwed = false;
    started = true;
    if (node) segments.push({ node, start: length });
    parts.push(text);
    length += text.length;
  };

  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      const data = (node as Text).data;
      if (data.length > 0) emit(data, node as Text);
      return;
    }
    if (!(node instanceof Element) || SKIPPED_TAGS.has(node.tagName)) return;
    if (node.tagName === "BR") {
      if (isPlaceholderBreak(node)) {
        if (!blockHasText(node)) emit(""); // an empty line of its own
      } else {
        emit("\n");
      }
      return;
    }
    const block = BLOCK_TAGS.has(node.tagName);
    if (block) breakOwed = true;
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child);
    if (block) breakOwed = true;
  };

  for (let child = root.firstChild; child; child = child.nextSibling) walk(child);
  return { text: parts.join(""), segments };
}

/** A `<br>` with nothing after it in its block only keeps an empty line open. */
function isPlaceholderBreak(br: Element): boolean {
  for (let node: Node | null = br; node && !isBlock(node); node = node.parentNode) {
    for (let next = node.nextSibling; next; next = next.nextSibling) {
      if (next.nodeType !== Node.TEXT_NODE || (next as Text).data.length > 0) return false;
    }
  }
  return true;
}

function blockHasText(br: Element): boolean {
  let block: Node | null = br.parentNode;
  while (block && !isBlock(block)) block = block.parentNode;
  return (block?.textContent ?? "").length > 0;
}

function isBlock(node: Node): boolean {
  // The editing root ends every line inside it, whatever its tag.
  return node instanceof Element && (BLOCK_TAGS.has(node.tagName) || node.hasAttribute("contenteditable"));
}

/**
 * Ranges over [start, end) of the extracted text, one per text node touched, so that
 * getClientRects returns only the text's own boxes (never those of the elements around it).
 */
export function rangesFor(map: TextMap, start: number, end: number): Range[] {
  const ranges: Range[] = [];
  for (const { node, start: at } of map.segments) {
    const from = Math.max(start, at);
    const to = Math.min(end, at + node.data.length);
    if (from >= to) continue;
    const range = node.ownerDocument.createRange();
    range.setStart(node, from - at);
    range.setEnd(node, to - at);
    ranges.push(range);
  }
  return ranges;
}
