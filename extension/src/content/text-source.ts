/**
 * A compose box's text, and where on screen any part of it is drawn. Both kinds of box are
 * only read: the page's text, selection and undo history are never touched.
 */

import { rangesFor, readTextMap, type TextMap } from "./text-map";

export interface TextSource {
  readonly box: HTMLElement;
  /** The text as the user sees it now. */
  read(): string;
  /** Viewport rectangles covering [start, end) of the text last read. */
  rects(start: number, end: number): DOMRect[];
}

/** Where the overlay draws: the mirror of a field must sit in the same coordinate space. */
export interface DrawingLayer {
  readonly element: HTMLElement;
  /** The viewport position of the layer's (0, 0). */
  origin(): { x: number; y: number };
}

export function sourceFor(box: HTMLElement, layer: () => DrawingLayer): TextSource {
  return box instanceof HTMLTextAreaElement || box instanceof HTMLInputElement
    ? new FieldSource(box, layer)
    : new EditableSource(box);
}

class EditableSource implements TextSource {
  private map: TextMap = { text: "", segments: [] };

  constructor(readonly box: HTMLElement) {}

  read(): string {
    this.map = readTextMap(this.box);
    return this.map.text;
  }

  rects(start: number, end: number): DOMRect[] {
    return rangesFor(this.map, start, end).flatMap((range) => [...range.getClientRects()]);
  }
}

/** Style properties that decide where a field's text wraps and sits. */
const MIRRORED_STYLES = [
  "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
  "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "fontFamily",
  "fontSize", "fontWeight", "fontStyle", "fontVariant", "fontStretch", "fontKerning",
  "fontFeatureSettings", "letterSpacing", "wordSpacing", "lineHeight", "textTransform",
  "textIndent", "textAlign", "direction", "tabSize", "wordBreak", "overflowWrap",
] as const;

/**
 * A textarea or text input. Text inside a field has no DOM ranges, so a hidden mirror div with
 * the field's text styles is laid over it, scrolled like it, and measured instead.
 */
class FieldSource implements TextSource {
  private mirror: HTMLDivElement | null = null;
  private text = "";

  constructor(
    readonly box: HTMLTextAreaElement | HTMLInputElement,
    private readonly layer: () => DrawingLayer,
  ) {}

  read(): string {
    this.text = this.box.value;
    return this.text;
  }

  rects(start: number, end: number): DOMRect[] {
    const mirror = this.layOutMirror();
    const node = mirror.firstChild;
    if (!(node instanceof Text) || end > node.data.length) return [];
    const range = mirror.ownerDocument.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return [...range.getClientRects()];
  }

  private layOutMirror(): HTMLDivElement {
    const layer = this.layer();
    if (!this.mirror || this.mirror.parentNode !== layer.element) {
      this.mirror = layer.element.ownerDocument.createElement("div");
      this.mirror.className = "mirror";
      this.mirror.setAttribute("aria-hidden", "true");
      layer.element.prepend(this.mirror);
    }
    const mirror = this.mirror;
    const field = this.box;
    const style = getComputedStyle(field);
    for (const property of MIRRORED_STYLES) mirror.style[property] = style[property];
    const single = field instanceof HTMLInputElement;
    mirror.style.whiteSpace = single ? "pre" : "pre-wrap";
    // A scrollbar narrows the field's text; the mirror has none, so pad it by as much.
    const borders = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    const scrollbar = Math.max(0, field.offsetWidth - field.clientWidth - borders);
    mirror.style.paddingRight = `${parseFloat(style.paddingRight) + scrollbar}px`;
    const box = field.getBoundingClientRect();
    const origin = layer.origin();
    mirror.style.left = `${box.left - origin.x}px`;
    mirror.style.top = `${box.top - origin.y}px`;
    mirror.style.width = `${box.width}px`;
    mirror.style.height = `${box.height}px`;
    mirror.style.boxSizing = "border-box";
    if (single) {
      // An input centres its one line vertically; a line as tall as the content box does too.
      const inner = field.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      mirror.style.lineHeight = `${inner}px`;
    }
    if (mirror.textContent !== this.text) mirror.textContent = this.text;
    mirror.scrollTop = field.scrollTop;
    mirror.scrollLeft = field.scrollLeft;
    return mirror;
  }
}
