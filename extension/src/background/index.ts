/**
 * The background: the only place the engine runs (WebAssembly in a content script fails on
 * sites whose CSP lacks 'wasm-unsafe-eval') and the only writer of settings.
 *
 * Listeners are registered synchronously at start, as a Manifest V3 service worker requires;
 * the engine loads on the first request that needs it.
 */

import { ext } from "../shared/api";
import type { Settings } from "../shared/engine-types";
import type { Request, Requests, RequestKind, Reply, State, TabMessage } from "../shared/protocol";
import { applyStored, engine, errorText, type Loaded } from "./engine";
import { fromBase64, toBase64 } from "../shared/base64";
import { checkedPart } from "../shared/limits";
import { PAUSED_SITES_KEY, readPausedSites, SETTINGS_KEY, setAside, wrap, write } from "./store";
import { syncUserSites } from "./user-sites";

type Handlers = { [K in RequestKind]: (request: Requests[K]["request"]) => Promise<Requests[K]["reply"]> };

const handlers: Handlers = {
  async check({ text, site }) {
    const [loaded, paused] = await Promise.all([engine(), readPausedSites()]);
    if (paused.includes(site)) return { enabled: false, findings: [] };
    return { enabled: true, findings: loaded.check(checkedPart(text)) };
  },

  async "check-image"({ base64, name, site }) {
    const [loaded, paused] = await Promise.all([engine(), readPausedSites()]);
    if (paused.includes(site)) return { enabled: false, report: { format: null, status: "read", findings: [], notes: [] } };
    return { enabled: true, report: loaded.checkImage(fromBase64(base64), name) };
  },

  async "strip-image"({ base64 }) {
    const loaded = await engine();
    return toBase64(loaded.stripImage(fromBase64(base64)));
  },

  async warm() {
    warming ??= engine()
      .then(warmUp)
      .catch((error: unknown) => {
        warming = null; // the next focus tries again
        throw error;
      });
    await warming;
    return null;
  },

  async state(): Promise<State> {
    const [loaded, pausedSites] = await Promise.all([engine(), readPausedSites()]);
    return {
      settings: loaded.settings(),
      defaults: loaded.defaults,
      rules: loaded.rules,
      pausedSites,
      notice: loaded.notice,
    };
  },

  async "set-settings"({ settings }) {
    await saveSettings(settings);
    return null;
  },

  async "reset-settings"() {
    await saveSettings({});
    return null;
  },

  async "disable-rule"({ rule }) {
    const loaded = await engine();
    const current = loaded.settings();
    await saveSettings({ ...current, rules: { ...current.rules, [rule]: false } });
    return null;
  },

  async "set-site-paused"({ site, paused }) {
    const sites = new Set(await readPausedSites());
    if (paused) sites.add(site);
    else sites.delete(site);
    await write(PAUSED_SITES_KEY, [...sites].sort());
    await tellTabs();
    return null;
  },
};

/** Patterns compiled per turn while warming: a check arriving meanwhile waits for one batch. */
const WARM_BATCH = 10;

/** Set by the first `warm` of this worker's life (compiled patterns outlive settings changes). */
let warming: Promise<void> | null = null;

/**
 * Compiles the patterns no check has needed yet, a batch per turn of the event loop, so the
 * first check after a restart finds them ready and a check arriving meanwhile waits for one
 * batch at most. Returns at once: the reply to `warm` waits only for the engine to load.
 */
function warmUp(loaded: Loaded): void {
  const step = (): void => {
    if (!loaded.warm(WARM_BATCH)) setTimeout(step, 0);
  };
  setTimeout(step, 0);
}

/**
 * Validates settings in the engine (which keeps the old ones on error), then stores them.
 * Refused stored settings are moved aside first: they are never silently dropped.
 */
async function saveSettings(settings: Settings): Promise<void> {
  const loaded = await engine();
  loaded.apply(settings);
  if (loaded.notice) {
    await setAside(loaded.notice.stored, loaded.notice.error);
    loaded.notice = null;
  }
  const stored = wrap(settings);
  appliedJson = JSON.stringify(stored);
  await write(SETTINGS_KEY, stored);
  await applyStored(loaded);
  await tellTabs();
}

/** The settings this background last wrote, so its own writes are not applied twice. */
let appliedJson: string | null = null;

/** Settings changed elsewhere (another device through sync, another window): apply them. */
ext.storage.onChanged.addListener((changes) => {
  const change = changes[SETTINGS_KEY];
  if (change && JSON.stringify(change.newValue) !== appliedJson) {
    void engine()
      .then(applyStored)
      .then(tellTabs);
  } else if (changes[PAUSED_SITES_KEY]) {
    void tellTabs();
  }
});

/** Asks every tab's content scripts to check again. Tabs without them refuse: that is fine. */
async function tellTabs(): Promise<void> {
  const message: TabMessage = { kind: "settings-changed" };
  const tabs = await ext.tabs.query({});
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined ? undefined : ext.tabs.sendMessage(tab.id, message).catch(() => undefined),
    ),
  );
}

/** Each request's fields and their types, checked before a handler sees them. */
const FIELDS: { [K in RequestKind]: Record<string, "string" | "boolean" | "object"> } = {
  check: { text: "string", site: "string" },
  "check-image": { base64: "string", name: "string", site: "string" },
  "strip-image": { base64: "string" },
  warm: {},
  state: {},
  "set-settings": { settings: "object" },
  "reset-settings": {},
  "disable-rule": { rule: "string" },
  "set-site-paused": { site: "string", paused: "boolean" },
};

/**
 * What a content script may ask: to check its text or an attached photo, for a copy of the
 * photo without metadata, to turn off a rule from a card, and to warm the engine up when a
 * compose box gets focus (no data: it only starts work the next check would do anyway).
 */
const FROM_CONTENT_SCRIPTS: ReadonlySet<RequestKind> = new Set([
  "check",
  "check-image",
  "strip-image",
  "disable-rule",
  "warm",
]);

function isRequest(message: unknown): message is Request {
  if (typeof message !== "object" || message === null) return false;
  const { kind } = message as { kind?: unknown };
  if (typeof kind !== "string" || !Object.hasOwn(FIELDS, kind)) return false;
  return Object.entries(FIELDS[kind as RequestKind]).every(([field, type]) => {
    const value = (message as Record<string, unknown>)[field];
    return type === "object" ? typeof value === "object" && value !== null && !Array.isArray(value) : typeof value === type;
  });
}

/**
 * Who may ask what. Web pages cannot message the extension at all (it declares no
 * `externally_connectable`, and `onMessageExternal` is not listened to); messages from
 * another extension carry its id. The extension's own pages may ask anything; its content
 * scripts, which share a process with the page, only what {@link FROM_CONTENT_SCRIPTS} lists.
 */
function allowed(kind: RequestKind, sender: chrome.runtime.MessageSender): boolean {
  if (sender.id !== ext.runtime.id) return false;
  const ownPage = typeof sender.url === "string" && sender.url.startsWith(ext.runtime.getURL(""));
  return ownPage || FROM_CONTENT_SCRIPTS.has(kind);
}

ext.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (r: Reply<unknown>) => void) => {
  if (sender.id !== ext.runtime.id) return false;
  if (!isRequest(message) || !allowed(message.kind, sender)) {
    sendResponse({ ok: false, error: "Second Opinion refused a malformed or unexpected request." });
    return false;
  }
  const handle = handlers[message.kind] as (request: Request) => Promise<unknown>;
  handle(message).then(
    (value) => sendResponse({ ok: true, value }),
    (error: unknown) => sendResponse({ ok: false, error: errorText(error) }),
  );
  return true; // the reply is sent asynchronously
});

ext.permissions.onAdded.addListener(() => void syncUserSites());
ext.permissions.onRemoved.addListener(() => void syncUserSites());
ext.runtime.onInstalled.addListener(() => void syncUserSites());
ext.runtime.onStartup.addListener(() => {
  void syncUserSites();
  void engine(); // shows the settings notice on the toolbar button after a browser restart
});
