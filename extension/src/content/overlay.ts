/**
 * The drawing surface for one compose box: a host element inserted beside the box (never
 * inside it, where editors would take it for content), holding an open shadow root with a
 * fixed-position layer. Everything is drawn in viewport coordinates, corrected by the layer's
 * measured origin in case an ancestor's transform moves fixed positioning.
 *
 * Test contract: the host has `data-second-opinion`; each underline has `data-finding-rule`
 * and `data-finding-category`.
 */

import { CATEGORIES, CATEGORY_LABELS, type Category, type Finding } from "../shared/engine-types";
import type { DrawingLayer } from "./text-source";
import { OVERLAY_CSS } from "./styles";

/** One underlined rectangle of a finding (a finding that wraps has one per line). */
export interface Piece {
  finding: Finding;
  /** Index of the finding in the list drawn; pieces of one finding share it. */
  index: number;
  rect: DOMRect;
}

export interface OverlayEvents {
  /** An underline got keyboard focus. */
  focusFinding(index: number, underline: HTMLElement): void;
  /** Focus left the overlay. */
  blur(next: Node | null): void;
  badgeClicked(): void;
}

export class Overlay implements DrawingLayer {
  readonly host: HTMLElement;
  readonly element: HTMLDivElement;
  private readonly underlines: HTMLElement[] = [];
  private readonly badge: HTMLElement;

  constructor(
    private readonly box: HTMLElement,
    events: OverlayEvents,
  ) {
    const doc = box.ownerDocument;
    this.host = doc.createElement("second-opinion-overlay");
    this.host.setAttribute("data-second-opinion", "");
    this.host.style.cssText = "all: initial; position: absolute; width: 0; height: 0; overflow: visible;";
    const shadow = this.host.attachShadow({ mode: "open" });
    const style = doc.createElement("style");
    style.textContent = OVERLAY_CSS;
    this.element = doc.createElement("div");
    this.element.className = "layer";
    shadow.append(style, this.element);

    this.badge = doc.createElement("div");
    this.badge.className = "badge";
    this.badge.tabIndex = 0;
    this.badge.setAttribute("role", "button");
    this.badge.addEventListener("mousedown", (event) => event.preventDefault());
    this.badge.addEventListener("click", () => events.badgeClicked());
    this.badge.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        events.badgeClicked();
      }
    });

    this.element.addEventListener("focusin", (event) => {
      const target = event.target;
      if (target instanceof HTMLElement && target.dataset["index"] !== undefined) {
        events.focusFinding(Number(target.dataset["index"]), target);
      }
    });
    this.element.addEventListener("focusout", (event) => events.blur(event.relatedTarget as Node | null));
  }

  /** Puts the host back beside the box if the page's own rendering removed it. */
  attach(): void {
    if (this.host.previousSibling !== this.box || !this.host.isConnected) this.box.after(this.host);
  }

  remove(): void {
    this.host.remove();
  }

  origin(): { x: number; y: number } {
    const rect = this.element.getBoundingClientRect();
    return { x: rect.left, y: rect.top };
  }

  contains(node: Node | null): boolean {
    return node !== null && (node === this.host || this.host.shadowRoot?.contains(node) === true);
  }

  /**
   * Draws the underlines and the badge (bottom right of `clip`, the box's visible part): the
   * counts, and `note` when there is something to say about the check itself.
   */
  draw(pieces: Piece[], counts: Record<Category, number>, clip: DOMRect | null, note: string | null = null): void {
    const origin = this.origin();
    const doc = this.box.ownerDocument;
    pieces.forEach((piece, i) => {
      let line = this.underlines[i];
      if (!line) {
        line = doc.createElement("span");
        line.className = "underline";
        line.setAttribute("role", "button");
        this.element.append(line);
        this.underlines.push(line);
      }
      const { finding, rect } = piece;
      line.dataset["findingRule"] = finding.rule;
      line.dataset["findingCategory"] = finding.category;
      line.dataset["severity"] = finding.severity;
      line.dataset["index"] = String(piece.index);
      // Only a finding's first piece is a tab stop.
      const first = i === 0 || pieces[i - 1]?.index !== piece.index;
      if (first) {
        line.tabIndex = 0;
        line.setAttribute("aria-label", `${finding.title}: “${finding.text}”. Press Enter for details.`);
      } else {
        line.removeAttribute("tabindex");
        line.removeAttribute("aria-label");
      }
      Object.assign(line.style, {
        left: `${rect.left - origin.x}px`,
        top: `${rect.top - origin.y}px`,
        width: `${rect.width}px`,
        height: `${rect.height}px`,
      });
    });
    for (const extra of this.underlines.splice(pieces.length)) extra.remove();
    this.drawBadge(counts, clip, origin, note);
  }

  private drawBadge(counts: Record<Category, number>, clip: DOMRect | null, origin: { x: number; y: number }, note: string | null): void {
    const present = CATEGORIES.filter((c) => counts[c] > 0);
    if ((present.length === 0 && !note) || !clip) {
      this.badge.remove();
      return;
    }
    const doc = this.box.ownerDocument;
    this.badge.replaceChildren(
      ...present.map((category) => {
        const dot = doc.createElement("span");
        dot.className = `dot ${category}`;
        dot.textContent = String(counts[category]);
        return dot;
      }),
    );
    if (note) {
      const text = doc.createElement("span");
      text.className = "note";
      text.textContent = note;
      this.badge.append(text);
    }
    const label = [...present.map((c) => `${counts[c]} ${CATEGORY_LABELS[c].toLowerCase()}`), ...(note ? [note] : [])].join(", ");
    this.badge.setAttribute("aria-label", `Second Opinion: ${label}. Press Enter for the first.`);
    this.badge.title = `Second Opinion: ${label}`;
    if (!this.badge.isConnected) this.element.append(this.badge);
    const { width, height } = this.badge.getBoundingClientRect();
    this.badge.style.left = `${clip.right - width - 4 - origin.x}px`;
    this.badge.style.top = `${clip.bottom - height - 4 - origin.y}px`;
  }
}
