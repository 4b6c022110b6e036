/** Small DOM helpers for the extension's own pages. Text is always set as text, never HTML. */

import type { Notice } from "../shared/protocol";

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`page is missing #${id}`);
  return element as T;
}

export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  element.append(...children);
  return element;
}

/** A checkbox with its label; `onChange` receives the new state. */
export function toggle(label: Node | string, checked: boolean, onChange: (checked: boolean) => void): HTMLLabelElement {
  const input = make("input");
  input.type = "checkbox";
  input.checked = checked;
  input.addEventListener("change", () => onChange(input.checked));
  return make("label", { className: "toggle" }, input, make("span", {}, label));
}

/** Shows why the stored settings are not in force; `extra` adds the page's own actions. */
export function showNotice(container: HTMLElement, notice: Notice | null, ...extra: Node[]): void {
  container.hidden = notice === null;
  if (!notice) return;
  container.replaceChildren(
    make("strong", { text: "Your saved settings could not be used; the defaults are in force." }),
    make("p", { text: notice.error }),
    ...extra,
  );
}

/** Turns a settings blob into a JSON file download (no network: a local object URL). */
export function download(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: "application/json" }));
  const link = make("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
