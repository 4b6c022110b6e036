/**
 * The card that explains one finding. Every string from the engine is set with textContent:
 * nothing is ever parsed as HTML.
 */

import { CATEGORY_LABELS, type Finding } from "../shared/engine-types";

export interface CardActions {
  /** Hides this finding in this box until the page is reloaded. */
  ignore(finding: Finding): void;
  /** Switches the rule off in the settings, everywhere. */
  turnOff(finding: Finding): void;
}

const GAP = 6;

export class Card {
  private element: HTMLDivElement | null = null;
  private shown: Finding | null = null;

  constructor(
    private readonly layer: HTMLElement,
    private readonly actions: CardActions,
  ) {}

  get finding(): Finding | null {
    return this.shown;
  }

  contains(node: Node | null): boolean {
    return node !== null && this.element !== null && this.element.contains(node);
  }

  /**
   * Shows the card under `anchor` (viewport coordinates; above it when there is no room).
   * It is inserted after `after`, so Tab moves from an underline into the card's buttons.
   */
  open(finding: Finding, anchor: DOMRect, origin: { x: number; y: number }, after: Element | null): void {
    this.close();
    const card = this.build(finding);
    if (after) after.after(card);
    else this.layer.append(card);
    const view = card.ownerDocument.documentElement;
    const { width, height } = card.getBoundingClientRect();
    const below = anchor.bottom + GAP;
    const above = anchor.top - GAP - height;
    // Below the words, else above them; where neither fits (a box in a small frame), over the
    // words but wholly in view: the card's height is capped to the view and it scrolls.
    const top = below + height <= view.clientHeight ? below : above >= 0 ? above : Math.max(GAP, view.clientHeight - height - GAP);
    const left = Math.max(GAP, Math.min(anchor.left, view.clientWidth - width - GAP));
    card.style.left = `${left - origin.x}px`;
    card.style.top = `${top - origin.y}px`;
    this.element = card;
    this.shown = finding;
  }

  close(): void {
    // Cleared first: removing a focused button fires focusout, whose handler closes again.
    const element = this.element;
    this.element = null;
    this.shown = null;
    element?.remove();
  }

  private build(finding: Finding): HTMLDivElement {
    const doc = this.layer.ownerDocument;
    const card = doc.createElement("div");
    card.className = "card";
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-label", `Second Opinion: ${finding.title}`);
    card.dataset["findingCategory"] = finding.category;
    const add = (tag: string, className: string, text: string): HTMLElement => {
      const node = doc.createElement(tag);
      node.className = className;
      node.textContent = text;
      card.append(node);
      return node;
    };
    add("div", "kind", CATEGORY_LABELS[finding.category]);
    add("div", "title", finding.title);
    add("p", "found", `Found: “${finding.text}”`);
    add("p", "message", finding.message);
    if (finding.score !== undefined) {
      add("p", "judgement", `A judgement of the wording, ${Math.round(finding.score * 100)}% sure.`);
    }
    add("p", "section", `Guide §${finding.section} — ${finding.section_title}`);
    labelled(add("p", "tip", finding.tip), "Tip: ");
    if (finding.instead) labelled(add("p", "instead", finding.instead), "Instead: ");
    const actions = doc.createElement("div");
    actions.className = "actions";
    actions.append(
      button(doc, "Ignore here", () => this.actions.ignore(finding)),
      button(doc, "Turn off this rule", () => this.actions.turnOff(finding)),
    );
    card.append(actions);
    return card;
  }
}

function labelled(paragraph: HTMLElement, label: string): void {
  const strong = paragraph.ownerDocument.createElement("span");
  strong.className = "label";
  strong.textContent = label;
  paragraph.prepend(strong);
}

function button(doc: Document, text: string, action: () => void): HTMLButtonElement {
  const node = doc.createElement("button");
  node.type = "button";
  node.textContent = text;
  // Keeps the editor's focus and caret where they were when the button is clicked.
  node.addEventListener("mousedown", (event) => event.preventDefault());
  node.addEventListener("click", action);
  return node;
}
