/**
 * The content script: finds compose boxes in this frame (it runs in every frame of a listed
 * site, so same-origin iframes get their own copy), watches each with a {@link Session}, and
 * asks the background to check their text.
 */

import { ext, siteOf } from "../shared/api";
import { ask, type CheckResult, type Counts, type TabMessage } from "../shared/protocol";
import { CANDIDATES, composeBox } from "./discover";
import { ImageNotices } from "./images";
import { Session } from "./session";

const sessions = new Map<HTMLElement, Session>();
const site = siteOf(location.hostname);

const host = {
  check: (text: string): Promise<CheckResult> =>
    ask("check", { text, site }).catch((error: unknown) => {
      if (!ext.runtime?.id) shutDown(); // the extension was updated or removed: leave the page as it was
      throw error;
    }),
  turnOff: (rule: string): void => void ask("disable-rule", { rule }).catch(() => undefined),
  warm: (): void => void ask("warm", {}).catch(() => undefined),
};

/** Photos attached on this page: checked in the background like posts. */
const images = new ImageNotices({
  check: (base64, name) => ask("check-image", { base64, name, site }),
  strip: (base64) => ask("strip-image", { base64 }),
});

function watch(element: Element): void {
  const box = composeBox(element);
  if (box && !sessions.has(box)) sessions.set(box, new Session(box, host));
}

function scan(root: ParentNode): void {
  if (root instanceof Element) watch(root);
  root.querySelectorAll(CANDIDATES).forEach(watch);
}

/** New boxes (single-page apps open composers late); boxes that left the page are dropped. */
const observer = new MutationObserver((records) => {
  for (const record of records) {
    if (record.type === "attributes") watch(record.target as Element);
    for (const node of record.addedNodes) if (node instanceof Element) scan(node);
  }
  for (const [box, session] of sessions) {
    if (!box.isConnected) {
      session.dispose();
      sessions.delete(box);
    }
  }
});

/**
 * Catches boxes no scan saw: made editable in place, or inside an open shadow root. Focus in
 * a compose box also asks the background to warm up, so that a service worker the browser
 * stopped restarts, and compiles its patterns, before the user has typed anything.
 */
function onFocus(event: FocusEvent): void {
  const target = event.composedPath()[0];
  if (!(target instanceof Element)) return;
  watch(target);
  if (composeBox(target)) host.warm();
}

function redrawAll(): void {
  for (const session of sessions.values()) session.requestRender();
}

const listeners = new AbortController();

function shutDown(): void {
  observer.disconnect();
  listeners.abort();
  for (const session of sessions.values()) session.dispose();
  sessions.clear();
}

/** The box the user worked in last, for the popup's counts. */
function lastUsed(): Session | undefined {
  let latest: Session | undefined;
  for (const session of sessions.values()) if (session.lastUsed > (latest?.lastUsed ?? 0)) latest = session;
  return latest;
}

function onMessage(message: TabMessage, sender: chrome.runtime.MessageSender, reply: (counts: Counts) => void): boolean {
  if (sender.id !== ext.runtime.id) return false;
  if (message.kind === "settings-changed") {
    for (const session of sessions.values()) session.recheck();
  } else if (message.kind === "counts") {
    const session = lastUsed();
    if (session) reply(session.counts()); // frames nobody typed in stay silent
  }
  return false;
}

function start(): void {
  const options = { signal: listeners.signal, capture: true, passive: true };
  document.addEventListener("focusin", onFocus, options);
  window.addEventListener("scroll", redrawAll, options);
  window.addEventListener("resize", redrawAll, { signal: listeners.signal, passive: true });
  images.listen(listeners.signal);
  ext.runtime.onMessage.addListener(onMessage);
  listeners.signal.addEventListener("abort", () => ext.runtime.onMessage.removeListener(onMessage));
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["contenteditable"] });
  scan(document);
}

/** Registered content scripts and the manifest's could both match a page: run once per frame. */
const RUNNING = Symbol.for("second-opinion.content");
const world = globalThis as { [RUNNING]?: true };
if (!world[RUNNING]) {
  world[RUNNING] = true;
  start();
}
