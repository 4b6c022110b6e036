/**
 * Photos being attached. A file chosen in a file input, dropped or pasted on the page is read
 * and checked by the engine in the background; when its metadata gives something away (where
 * and when it was taken, the device, names, a caption) a card says what, in the style of the
 * text warnings, with a button that downloads a copy without metadata.
 *
 * The listeners are passive: nothing is prevented, delayed or replaced, and the page's own
 * upload goes ahead with the file the user chose. Which file to upload stays the user's call.
 *
 * Test contract: the host has `data-second-opinion-images`; each finding has
 * `data-finding-rule`; the button is `.download`.
 */

import { fromBase64 } from "../shared/base64";
import { MAX_IMAGE_BYTES, type ImageFinding, type ImageReport } from "../shared/engine-types";
import type { ImageCheckResult } from "../shared/protocol";
import { OVERLAY_CSS } from "./styles";

export interface ImageHost {
  check(base64: string, name: string): Promise<ImageCheckResult>;
  strip(base64: string): Promise<string>;
}

/** Names of image files whose type the browser may not know (HEIC often has none). */
const IMAGE_NAME = /\.(jpe?g|png|webp|hei[cf]|avif)$/i;
const EXTENSIONS: Record<string, string> = { jpeg: "jpg", png: "png", webp: "webp", heif: "heic" };
const GAP = 8;

const IMAGE_CSS = `
.card.image-card { max-height: min(70vh, 560px); overflow: auto; }
.image-card .file { margin-top: 8px; }
.image-card .file + .file { border-top: 1px solid #e0e3e1; padding-top: 8px; }
.image-card .finding { margin: 8px 0; padding-left: 8px; border-left: 3px solid var(--colour); }
.image-card .finding-title { font-weight: 600; }
.image-card .note { color: #444746; font-style: italic; }
.image-card .status { margin: 6px 0 0; color: #1f1f1f; }
.image-card .status:empty { display: none; }
.image-card .file > .actions { margin: 4px 0 8px; }
`;

function isImage(file: File): boolean {
  return file.type.startsWith("image/") || IMAGE_NAME.test(file.name);
}

/** A file as base64 (a data: URL without its prefix): the browser does the encoding. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });
}

/** The same file seen twice (dropped on a file input fires both drop and change). */
function fileKey(file: File): string {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

/**
 * A neutral name for the clean copy: the original name may itself identify someone, which is
 * one of the things the check reports.
 */
function cleanName(file: File, report: ImageReport): string {
  const original = IMAGE_NAME.exec(file.name)?.[1]?.toLowerCase();
  const extension = original ?? (report.format ? EXTENSIONS[report.format] : undefined) ?? "img";
  return `photo-without-metadata.${extension}`;
}

interface Checked {
  file: File;
  report: ImageReport;
}

export class ImageNotices {
  private host: HTMLElement | null = null;
  private layer: HTMLDivElement | null = null;
  private url: string | null = null;
  /** Files in the card now, and files being checked: neither is checked again. */
  private readonly shown = new Set<string>();
  private readonly pending = new Set<string>();

  constructor(private readonly checker: ImageHost) {}

  /** Starts listening; everything stops and the card goes when `signal` aborts. */
  listen(signal: AbortSignal): void {
    const options = { capture: true, passive: true, signal };
    document.addEventListener("change", (event) => this.onChange(event), options);
    document.addEventListener("drop", (event) => this.onFiles(event.dataTransfer?.files, event), options);
    document.addEventListener("paste", (event) => this.onFiles(event.clipboardData?.files, event), options);
    signal.addEventListener("abort", () => this.close());
  }

  private onChange(event: Event): void {
    const input = event.composedPath()[0];
    if (input instanceof HTMLInputElement && input.type === "file") this.onFiles(input.files, event);
  }

  /** The file list is only readable while the event is dispatched: it is copied at once. */
  private onFiles(list: FileList | null | undefined, event: Event): void {
    const files = [...(list ?? [])].filter(isImage);
    const target = event.composedPath()[0];
    if (files.length > 0) void this.check(files, target instanceof Element ? target : null);
  }

  private async check(files: File[], anchor: Element | null): Promise<void> {
    const fresh = files.filter((f) => !this.shown.has(fileKey(f)) && !this.pending.has(fileKey(f)));
    for (const file of fresh) this.pending.add(fileKey(file));
    const results = await Promise.all(fresh.map((file) => this.checkOne(file)));
    for (const file of fresh) this.pending.delete(fileKey(file));
    const worth = results.filter((r): r is Checked => r !== null && (r.report.findings.length > 0 || r.report.notes.length > 0));
    if (worth.length > 0) this.show(worth, anchor);
  }

  /** The engine's report, or null when the site is paused or the extension is unreachable. */
  private async checkOne(file: File): Promise<Checked | null> {
    if (file.size > MAX_IMAGE_BYTES) {
      const mb = (file.size / 1_048_576).toFixed(1);
      const notes = [`Not checked: the file is ${mb} MB; files over ${MAX_IMAGE_BYTES / 1_048_576} MB are not checked.`];
      return { file, report: { format: null, status: "skipped", findings: [], notes } };
    }
    try {
      const result = await this.checker.check(await readBase64(file), file.name);
      return result.enabled ? { file, report: result.report } : null;
    } catch {
      return null;
    }
  }

  close(): void {
    this.host?.remove();
    this.host = null;
    this.layer = null;
    this.shown.clear();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  private ensureLayer(): HTMLDivElement {
    if (this.layer && this.host?.isConnected) return this.layer;
    const host = document.createElement("second-opinion-images");
    host.setAttribute("data-second-opinion-images", "");
    host.style.cssText = "all: initial; position: fixed; left: 0; top: 0; width: 0; height: 0; z-index: 2147483000;";
    const shadow = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = OVERLAY_CSS + IMAGE_CSS;
    const layer = document.createElement("div");
    layer.className = "layer";
    shadow.append(style, layer);
    // Beside the page's body, never inside an editor or form the page manages.
    document.documentElement.append(host);
    this.host = host;
    this.layer = layer;
    return layer;
  }

  private show(checked: Checked[], anchor: Element | null): void {
    const layer = this.ensureLayer();
    layer.replaceChildren();
    this.shown.clear();
    const card = el("div", "card image-card");
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-label", "Second Opinion: what this photo gives away");
    card.dataset["findingCategory"] = "identifier";
    card.append(el("div", "kind", "Photo being attached"));
    for (const { file, report } of checked) {
      this.shown.add(fileKey(file));
      card.append(this.fileSection(file, report));
    }
    const actions = el("div", "actions");
    actions.append(button("Dismiss", () => this.close()));
    card.append(actions);
    layer.append(card);
    place(card, anchor);
  }

  private fileSection(file: File, report: ImageReport): HTMLElement {
    const section = el("div", "file");
    section.append(el("div", "title", file.name || "Pasted image"));
    // The way out comes first, before the list of what the photo gives away.
    if (report.status === "read" || report.status === "partial") {
      const status = el("p", "status");
      status.setAttribute("role", "status");
      const download = button("Download a copy without metadata", () => void this.download(file, report, download, status));
      download.classList.add("download");
      const actions = el("div", "actions");
      actions.append(download);
      section.append(actions, status);
    }
    for (const note of report.notes) section.append(el("p", "note", note));
    for (const finding of report.findings) section.append(findingBlock(finding));
    return section;
  }

  private async download(file: File, report: ImageReport, control: HTMLButtonElement, status: HTMLElement): Promise<void> {
    control.disabled = true;
    status.textContent = "Making a copy without metadata…";
    try {
      const clean = fromBase64(await this.checker.strip(await readBase64(file)));
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = URL.createObjectURL(new Blob([clean as Uint8Array<ArrayBuffer>], { type: file.type || "application/octet-stream" }));
      const name = cleanName(file, report);
      const link = document.createElement("a");
      link.href = this.url;
      link.download = name;
      link.hidden = true;
      status.after(link);
      link.click();
      link.remove();
      status.textContent = `Saved “${name}” to your downloads. The file you chose is unchanged: to post the clean copy, attach “${name}” instead.`;
    } catch (error) {
      status.textContent = `Could not make a copy without metadata: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      control.disabled = false;
    }
  }
}

function findingBlock(finding: ImageFinding): HTMLElement {
  const block = el("div", "finding");
  block.dataset["findingRule"] = finding.rule;
  block.dataset["findingCategory"] = finding.category;
  block.dataset["severity"] = finding.severity;
  block.append(
    el("div", "finding-title", finding.title),
    el("p", "found", `${finding.field}: “${finding.text}”`),
    el("p", "message", finding.message),
    el("p", "section", `Guide §${finding.section} — ${finding.section_title}`),
  );
  const tip = el("p", "tip", finding.tip);
  tip.prepend(el("span", "label", "Tip: "));
  block.append(tip);
  return block;
}

/** Under the element the file came through when it is on screen, else the bottom right corner. */
function place(card: HTMLElement, anchor: Element | null): void {
  const view = document.documentElement;
  const { width, height } = card.getBoundingClientRect();
  const rect = anchor?.getBoundingClientRect();
  const visible = rect && rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.top < view.clientHeight;
  let left = view.clientWidth - width - GAP * 2;
  let top = view.clientHeight - height - GAP * 2;
  if (visible) {
    left = rect.left;
    top = rect.bottom + GAP + height <= view.clientHeight ? rect.bottom + GAP : rect.top - GAP - height;
  }
  card.style.left = `${Math.max(GAP, Math.min(left, view.clientWidth - width - GAP))}px`;
  card.style.top = `${Math.max(GAP, top)}px`;
}

/** An element whose text is set as text: nothing from a file or the engine is parsed as HTML. */
function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text: string, action: () => void): HTMLButtonElement {
  const node = document.createElement("button");
  node.type = "button";
  node.textContent = text;
  node.addEventListener("click", action);
  return node;
}
