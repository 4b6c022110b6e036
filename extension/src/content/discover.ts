/**
 * Which elements are compose boxes: multi-line text areas, plain text inputs and the editing
 * root of contenteditable editors. Passwords, search fields and autocomplete boxes (address
 * bars of a site, @-mention pickers, login forms) are not posts and are left alone.
 */

export const CANDIDATES = 'textarea, input, [contenteditable]:not([contenteditable="false"])';

const NOT_POSTS = new Set(["combobox", "searchbox", "spinbutton"]);
/** `autocomplete` values that describe the user (login, address…), not free text. */
const FREE_TEXT_AUTOCOMPLETE = new Set(["", "on", "off"]);

/** The compose box that `element` belongs to, if it is one. */
export function composeBox(element: Element): HTMLElement | null {
  if (element instanceof HTMLTextAreaElement) return isEditableField(element) ? element : null;
  if (element instanceof HTMLInputElement) {
    const type = element.getAttribute("type")?.toLowerCase() ?? "text";
    if (type !== "text" || element.hasAttribute("list")) return null;
    const autocomplete = element.getAttribute("autocomplete")?.trim().toLowerCase() ?? "";
    if (!FREE_TEXT_AUTOCOMPLETE.has(autocomplete)) return null;
    return isEditableField(element) ? element : null;
  }
  if (element instanceof HTMLElement && element.isContentEditable) {
    const root = editingRoot(element);
    return isPostLike(root) ? root : null;
  }
  return null;
}

function isEditableField(field: HTMLTextAreaElement | HTMLInputElement): boolean {
  return !field.disabled && !field.readOnly && isPostLike(field);
}

function isPostLike(element: HTMLElement): boolean {
  const role = element.getAttribute("role")?.toLowerCase() ?? "";
  if (NOT_POSTS.has(role)) return false;
  const autocomplete = element.getAttribute("aria-autocomplete")?.toLowerCase() ?? "none";
  if (autocomplete !== "none") return false;
  if (element.closest('[role="search"], search')) return false;
  const names = [element.id, element.getAttribute("name"), element.getAttribute("placeholder"), element.getAttribute("aria-label")];
  return !names.some((name) => name && /search/i.test(name));
}

/** The outermost element of a contenteditable region (editors nest editable elements). */
function editingRoot(element: HTMLElement): HTMLElement {
  let root = element;
  while (root.parentElement?.isContentEditable) root = root.parentElement;
  return root;
}
