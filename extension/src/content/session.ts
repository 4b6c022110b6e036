/**
 * One compose box being watched: checks its text after a pause in typing, draws the findings
 * beside it and opens the card. Nothing here writes to the box; posting is never blocked.
 */

import { CATEGORIES, type Category, type Finding } from "../shared/engine-types";
import type { CheckResult } from "../shared/protocol";
import { Card } from "./card";
import { clippingAncestors, intersect, visibleRect } from "./clip";
import { Overlay, type Piece } from "./overlay";
import { shiftFindings } from "./spans";
import { sourceFor, type TextSource } from "./text-source";
import { MAX_CHECKED_CHARS, checkedPart } from "../shared/limits";

/**
 * Pause in typing before a check: long enough to skip the keystrokes of a word typed
 * quickly (a fast typist's keys come 40 to 80 ms apart), short enough that underlines appear
 * well within 150 ms of a pause: the message to the background, the check and the drawing
 * take some tens of milliseconds more (`cargo xtask bench` measures the whole).
 */
const PAUSE_MS = 60;
/** Hovering this long over flagged words opens the card. */
const HOVER_MS = 300;
/** Leaving the words and the card for this long closes it. */
const LEAVE_MS = 400;
/**
 * Longer text is not a social-media post (a pasted document, say): only its start is checked,
 * in bounded time, and the badge says so, so a long paste is never silently half-checked.
 */
const TOO_LONG = `Only the first ${MAX_CHECKED_CHARS.toLocaleString("en")} characters were checked`;
/**
 * A check that fails (the background was stopped mid-request, say) is tried again this many
 * times, a pause apart, so a service-worker restart loses no check.
 */
const MAX_RETRIES = 3;

export interface SessionHost {
  check(text: string): Promise<CheckResult>;
  turnOff(rule: string): void;
  /** Asks the background to get its engine ready, without waiting for it. */
  warm(): void;
}

export class Session {
  /** When the user last focused or typed in this box, to answer the popup about "this box". */
  lastUsed = 0;
  /** The findings for `checkedText`, as the engine returned them. */
  private findings: Finding[] = [];
  private checkedText = "";
  /** Whether `checkedText` was too long to check. */
  private tooLong = false;
  /** The findings for the text now in the box, without the ignored ones. */
  private shown: Finding[] = [];
  private pieces: Piece[] = [];
  private readonly ignored = new Set<string>();
  private readonly source: TextSource;
  private overlay: Overlay | null = null;
  private card: Card | null = null;
  /** Found at the first drawing (most boxes never need one), forgotten when the box resizes. */
  private ancestors: Element[] | null = null;
  private readonly mutations: MutationObserver | null = null;
  private readonly resizes: ResizeObserver;
  private readonly listeners = new AbortController();
  private pauseTimer = 0;
  private hoverTimer = 0;
  private leaveTimer = 0;
  private frame = 0;
  private inFlight = false;
  private checkAgain = false;
  private failures = 0;
  /** Whether the user has typed since the last check was sent (see `typed`). */
  private typing = false;
  private disposed = false;
  /** Set while focus is put back on an underline, which must not reopen its card. */
  private refocusing = false;

  constructor(
    readonly box: HTMLElement,
    private readonly host: SessionHost,
  ) {
    this.source = sourceFor(box, () => this.ensureOverlay());
    const options = { signal: this.listeners.signal, passive: true };
    const used = (): void => {
      this.lastUsed = Date.now();
      this.schedule();
    };
    for (const type of ["input", "focus", "change"]) box.addEventListener(type, used, options);
    box.addEventListener("input", () => this.typed(), options);
    box.addEventListener("pointermove", (event) => this.hover(event), options);
    box.addEventListener("pointerup", (event) => this.click(event), options);
    box.addEventListener("pointerleave", () => this.leave(), options);
    box.addEventListener("keydown", (event) => event.key === "Escape" && this.closeCard(), options);
    if (!(box instanceof HTMLTextAreaElement || box instanceof HTMLInputElement)) {
      // Rich editors also change without input events (undo, paste handlers, a cleared draft).
      this.mutations = new MutationObserver(() => this.schedule());
      this.mutations.observe(box, { characterData: true, childList: true, subtree: true });
    }
    this.resizes = new ResizeObserver(() => {
      this.ancestors = null;
      this.requestRender();
    });
    this.resizes.observe(box);
    if (this.source.read().trim()) this.schedule(0); // a draft already in the box
  }

  /** Findings per category in the box now, as its badge shows them. */
  counts(): Record<Category, number> {
    const counts = emptyCounts();
    for (const finding of this.shown) counts[finding.category] += 1;
    return counts;
  }

  /** Checks again now (settings changed). */
  recheck(): void {
    this.schedule(0);
  }

  /** Redraws at the next frame (the page scrolled or resized). */
  requestRender(): void {
    if (this.frame === 0 && !this.disposed) this.frame = requestAnimationFrame(() => this.render());
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.abort();
    this.mutations?.disconnect();
    this.resizes.disconnect();
    for (const timer of [this.pauseTimer, this.hoverTimer, this.leaveTimer]) clearTimeout(timer);
    cancelAnimationFrame(this.frame);
    this.overlay?.remove();
  }

  /**
   * The first keystroke after a check asks the background to warm up. The browser stops an
   * idle service worker (after 30 s, or when it needs the memory); if it did, this restarts
   * it, and loads the engine, while the user types on, instead of when the pause comes and
   * the check waits for all of it. A worker that is running answers at once.
   */
  private typed(): void {
    if (this.typing) return;
    this.typing = true;
    this.host.warm();
  }

  private schedule(delay = PAUSE_MS): void {
    clearTimeout(this.pauseTimer);
    this.pauseTimer = window.setTimeout(() => void this.run(), delay);
  }

  /** One check in flight at a time; a result for text that has since changed is dropped. */
  private async run(): Promise<void> {
    this.pauseTimer = 0;
    if (this.inFlight) {
      this.checkAgain = true;
      return;
    }
    const text = this.source.read();
    const tooLong = text.length > MAX_CHECKED_CHARS;
    let result: CheckResult | null = { enabled: true, findings: [] };
    this.typing = false;
    if (text.trim()) {
      this.inFlight = true;
      // Findings in the start are at the same offsets in the whole text.
      result = await this.host.check(checkedPart(text)).catch(() => null);
      this.inFlight = false;
    }
    if (this.disposed) return;
    if (!result && this.failures < MAX_RETRIES) {
      this.failures += 1;
      this.checkAgain = true;
    } else if (result) {
      this.failures = 0;
    }
    if (result && this.source.read() === text) {
      this.checkedText = text;
      this.tooLong = tooLong && result.enabled;
      this.findings = result.enabled ? result.findings : [];
      this.requestRender();
    } else if (result) {
      this.checkAgain = true;
    }
    if (this.checkAgain && this.pauseTimer === 0) {
      this.checkAgain = false;
      this.schedule();
    }
  }

  private render(): void {
    this.frame = 0;
    if (this.disposed || !this.box.isConnected) return;
    const text = this.source.read();
    this.shown = shiftFindings(this.checkedText, text, this.findings).filter((f) => !this.ignored.has(ignoreKey(f)));
    if (this.shown.length === 0 && !this.tooLong) {
      this.clear();
      return;
    }
    const overlay = this.ensureOverlay();
    overlay.attach();
    this.ancestors ??= clippingAncestors(this.box);
    const clip = visibleRect(this.box, this.ancestors);
    const pieces: Piece[] = [];
    if (clip) {
      this.shown.forEach((finding, index) => {
        for (const rect of this.source.rects(finding.start, finding.end)) {
          const visible = intersect(rect, clip);
          if (visible) pieces.push({ finding, index, rect: visible });
        }
      });
    }
    this.pieces = pieces;
    overlay.draw(pieces, this.counts(), clip, this.tooLong ? TOO_LONG : null);
    const open = this.card?.finding;
    if (open && !pieces.some((p) => sameFinding(p.finding, open))) this.closeCard();
  }

  private clear(): void {
    this.pieces = [];
    this.closeCard();
    this.overlay?.remove();
    this.overlay = null;
    this.card = null;
  }

  private ensureOverlay(): Overlay {
    if (!this.overlay) {
      this.overlay = new Overlay(this.box, {
        focusFinding: (index, underline) => {
          if (!this.refocusing) this.openCard(index, underline);
        },
        blur: (next) => {
          if (!this.overlay?.contains(next)) this.closeCard();
        },
        badgeClicked: () => {
          const first = this.overlay?.element.querySelector<HTMLElement>("[data-finding-rule][tabindex]");
          first?.focus();
        },
      });
      this.card = new Card(this.overlay.element, {
        ignore: (finding) => {
          this.ignored.add(ignoreKey(finding));
          this.closeCard();
          this.requestRender();
        },
        turnOff: (finding) => {
          this.closeCard();
          this.host.turnOff(finding.rule);
        },
      });
      this.overlay.element.addEventListener("pointerover", () => clearTimeout(this.leaveTimer));
      this.overlay.element.addEventListener("pointerout", () => this.leave());
      this.overlay.element.addEventListener("keydown", (event) => {
        if (event.key === "Escape") this.closeCard(true);
      });
    }
    return this.overlay;
  }

  private pieceAt(event: PointerEvent): Piece | undefined {
    return this.pieces.find(
      ({ rect }) => event.clientX >= rect.left && event.clientX <= rect.right && event.clientY >= rect.top && event.clientY <= rect.bottom,
    );
  }

  private hover(event: PointerEvent): void {
    if (this.pieces.length === 0) return;
    clearTimeout(this.hoverTimer);
    const piece = this.pieceAt(event);
    if (!piece) {
      this.leave();
      return;
    }
    clearTimeout(this.leaveTimer);
    if (this.card?.finding && sameFinding(this.card.finding, piece.finding)) return;
    this.hoverTimer = window.setTimeout(() => this.openCard(piece.index), HOVER_MS);
  }

  private click(event: PointerEvent): void {
    const piece = this.pieceAt(event);
    if (piece) this.openCard(piece.index);
  }

  private leave(): void {
    clearTimeout(this.hoverTimer);
    clearTimeout(this.leaveTimer);
    if (this.card?.finding) this.leaveTimer = window.setTimeout(() => this.closeCard(), LEAVE_MS);
  }

  private openCard(index: number, underline?: HTMLElement): void {
    const finding = this.shown[index];
    const overlay = this.overlay;
    const ownPieces = this.pieces.filter((p) => p.index === index);
    const anchor = ownPieces[ownPieces.length - 1]?.rect;
    if (!finding || !overlay || !this.card || !anchor) return;
    if (this.card.finding && sameFinding(this.card.finding, finding)) return;
    this.card.open(finding, anchor, overlay.origin(), underline ?? null);
  }

  /** Closes the card; `refocus` returns keyboard focus to its underline. */
  private closeCard(refocus = false): void {
    const finding = this.card?.finding;
    this.card?.close();
    if (refocus && finding) {
      const index = this.shown.findIndex((f) => sameFinding(f, finding));
      this.refocusing = true;
      this.overlay?.element.querySelector<HTMLElement>(`[data-index="${index}"][tabindex]`)?.focus();
      this.refocusing = false;
    }
  }
}

function ignoreKey(finding: Finding): string {
  return `${finding.rule}\u0000${finding.text}`;
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.rule === b.rule && a.start === b.start && a.end === b.end;
}

function emptyCounts(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
}
