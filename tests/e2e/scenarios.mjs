// What the Chromium and Firefox tests type and what they measure, shared so both browsers are
// held to the same posts and the same keystrokes. Functions of (element, {…}) run in the page
// through Playwright's evaluate and WebDriver's executeScript alike.

/** Scenario 1: each post must be underlined over `words` with its `category`. */
export const FLAGGED_POSTS = [
  { post: "Saw Mr Robert Haines, MRN 4829137, in ED", category: "identifier", rule: "medical-record-number", words: "4829137" },
  { post: "@DrSmith you're an absolute idiot", category: "tone", words: "idiot" },
  { post: "Loving GlowLab serum, use code GLOW20 for 20% off!", category: "conflict", words: "GLOW20" },
];

/** The identifier post, which most scenarios start from: two findings (a name and a record number). */
export const POST = FLAGGED_POSTS[0].post;
export const RULE = "medical-record-number";
export const FLAGGED = "4829137";
export const NAME_RULE = "patient-name-with-title";

/**
 * Scenario 2: health education with doses, a hospital named at a conference. Each is followed
 * by a record number: there is no sign of "checked, nothing found", so once that number is
 * underlined a check of the whole text has been drawn, and no underline may touch the clean words.
 */
export const CLEAN_POSTS = [
  "Flu vaccines are free for over-65s this winter. Adults take 500 mg paracetamol up to four times a day.",
  "Great to present our audit at the Auckland City Hospital grand round today.",
];
export const PROBE = " MRN 4829137";

/**
 * Scenario 4: the same keystrokes with and without the extension. `expect` is the number of
 * record-number underlines the extension draws once it has caught up with the step; the run
 * with the extension waits for it before taking the editor's state, so every later keystroke
 * lands while warnings are drawn.
 */
export const INTEGRITY_STEPS = [
  { what: "type the identifier post", type: POST, expect: 1 },
  { what: "keep typing after the warnings are drawn", type: " and MRN 5550123", expect: 2 },
  { what: "select the second number with Shift+ArrowLeft", press: "Shift+ArrowLeft", times: 7 },
  { what: "delete the selection", press: "Backspace", expect: 1 },
  { what: "undo the deletion with Ctrl+Z", press: "Control+z", expect: 2 },
  { what: "move the caret with End and ArrowLeft", press: "End", then: { press: "ArrowLeft", times: 3 } },
  { what: "type inside the number", type: "x", expect: 1 },
];

/**
 * The box's state as the editor left it: its text (the editor's model where the page exposes
 * one), its HTML (a field's value), the selection as offsets (in a rich editor, the path of
 * child indexes from the box to each end) and whether it still has focus. Attribute values
 * the editor makes up on every load are replaced by their order of appearance.
 */
export function boxState(box, { randomAttributes = [] }) {
  const doc = box.ownerDocument;
  const view = doc.defaultView;
  const field = box instanceof view.HTMLTextAreaElement || box instanceof view.HTMLInputElement;
  let html = field ? box.value : box.innerHTML;
  for (const name of randomAttributes) {
    const seen = new Map();
    html = html.replace(new RegExp(`${name}="([^"]*)"`, "g"), (_, value) => {
      if (!seen.has(value)) seen.set(value, seen.size);
      return `${name}="#${seen.get(value)}"`;
    });
  }
  const path = (node) => {
    const steps = [];
    for (; node && node !== box; node = node.parentNode) steps.unshift([...(node.parentNode?.childNodes ?? [])].indexOf(node));
    return node === box ? steps : "outside the box";
  };
  let selection;
  if (field) {
    selection = { start: box.selectionStart, end: box.selectionEnd, direction: box.selectionDirection };
  } else {
    const s = doc.getSelection();
    selection = { anchor: [path(s.anchorNode), s.anchorOffset], focus: [path(s.focusNode), s.focusOffset] };
  }
  // (A rich box's innerText ends with the newline of the <br> browsers leave in an emptied box.)
  const text = field ? box.value : typeof view.editorText === "function" ? view.editorText() : box.innerText.replace(/\n$/, "");
  return { text, html, selection, focused: doc.activeElement === box };
}

/**
 * Whether the editor has caught up with the keystrokes: its model's selection (where the page
 * exposes `editorSelection()`) is where the DOM's is. Editors such as Slate read the DOM
 * selection a little later; both runs of scenario 4 wait for this after every step, so a
 * keystroke never races the editor's own bookkeeping in one run and not in the other.
 */
export function editorSettled(box) {
  const view = box.ownerDocument.defaultView;
  const model = typeof view.editorSelection === "function" ? view.editorSelection() : null;
  if (model === null) return true;
  const selection = box.ownerDocument.getSelection();
  if (!selection || !box.contains(selection.anchorNode) || !box.contains(selection.focusNode)) return false;
  const offset = (node, at) => {
    const range = box.ownerDocument.createRange();
    range.setStart(box, 0);
    range.setEnd(node, at);
    return range.toString().length;
  };
  const dom = [offset(selection.anchorNode, selection.anchorOffset), offset(selection.focusNode, selection.focusOffset)];
  const sorted = (pair) => [Math.min(...pair), Math.max(...pair)].join();
  return sorted(model) === sorted(dom);
}

/**
 * How many underlines are drawn in this document, of `rule` or (without one) of any rule; with
 * `is`, whether that is the number. Self-contained, so that it can be a wait's predicate.
 */
export function underlineCount({ rule, is } = {}) {
  const selector = rule ? `[data-finding-rule="${rule}"]` : "[data-finding-rule]";
  const count = [...document.querySelectorAll("[data-second-opinion]")].reduce(
    (n, host) => n + (host.shadowRoot?.querySelectorAll(selector).length ?? 0),
    0,
  );
  return is === undefined ? count : count === is;
}

/**
 * The underlines drawn in this document, with their boxes in its viewport (so an iframe's
 * underlines and words are measured in the same coordinates).
 */
export function underlinesIn() {
  return [...document.querySelectorAll("[data-second-opinion]")].flatMap((host) =>
    [...(host.shadowRoot?.querySelectorAll("[data-finding-rule]") ?? [])].map((line) => {
      const { x, y, width, height } = line.getBoundingClientRect();
      return { rule: line.dataset.findingRule, category: line.dataset.findingCategory, box: { x, y, width, height } };
    }),
  );
}

/** Whether two boxes share any area. */
export function overlaps(a, b) {
  return (
    Math.min(a.x + a.width, b.x + b.width) > Math.max(a.x, b.x) && Math.min(a.y + a.height, b.y + b.height) > Math.max(a.y, b.y)
  );
}
