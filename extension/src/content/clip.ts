/** The part of a compose box that is actually visible, to keep underlines inside it. */

/** Ancestors that clip their content (scrolling panes, dialogs with overflow hidden). */
export function clippingAncestors(box: HTMLElement): Element[] {
  const found: Element[] = [];
  for (let node = box.parentElement; node && node !== node.ownerDocument.documentElement; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.overflowX !== "visible" || style.overflowY !== "visible") found.push(node);
  }
  return found;
}

/** The box's padding box, cut by its clipping ancestors and the viewport; null when hidden. */
export function visibleRect(box: HTMLElement, ancestors: readonly Element[]): DOMRect | null {
  const outer = box.getBoundingClientRect();
  let left = outer.left + box.clientLeft;
  let top = outer.top + box.clientTop;
  let right = left + (box.clientWidth || outer.width);
  let bottom = top + (box.clientHeight || outer.height);
  const view = box.ownerDocument.documentElement;
  const cuts = [...ancestors.map((a) => a.getBoundingClientRect()), new DOMRect(0, 0, view.clientWidth, view.clientHeight)];
  for (const cut of cuts) {
    left = Math.max(left, cut.left);
    top = Math.max(top, cut.top);
    right = Math.min(right, cut.right);
    bottom = Math.min(bottom, cut.bottom);
  }
  return right > left && bottom > top ? new DOMRect(left, top, right - left, bottom - top) : null;
}

/** `rect` cut to `clip`, or null when nothing of it is left. */
export function intersect(rect: DOMRect, clip: DOMRect): DOMRect | null {
  const left = Math.max(rect.left, clip.left);
  const top = Math.max(rect.top, clip.top);
  const right = Math.min(rect.right, clip.right);
  const bottom = Math.min(rect.bottom, clip.bottom);
  return right > left && bottom > top ? new DOMRect(left, top, right - left, bottom - top) : null;
}
