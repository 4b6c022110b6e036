/**
 * The WebAssembly engine, loaded once per background lifetime.
 *
 * The service worker can be stopped at any moment, so nothing here is kept alive: the first
 * message after a restart starts loading (a few milliseconds) and every request awaits the same
 * promise. A service-worker module may not use top-level await, hence the promise.
 */

import init, { Engine } from "./pkg/second_opinion.js";
import { ext } from "../shared/api";
import type { Finding, FullSettings, ImageReport, RuleInfo, Settings } from "../shared/engine-types";
import type { Notice } from "../shared/protocol";
import { migrate, read, SETTINGS_KEY, wrap, write } from "./store";

export interface Loaded {
  readonly defaults: FullSettings;
  readonly rules: RuleInfo[];
  check(text: string): Finding[];
  /** Compiles up to `count` patterns ahead of need; true when all are compiled. */
  warm(count: number): boolean;
  checkImage(bytes: Uint8Array, name: string): ImageReport;
  /** The photo without metadata; throws when it is not an image or is damaged. */
  stripImage(bytes: Uint8Array): Uint8Array;
  settings(): FullSettings;
  /** Applies settings, throwing an error that names the bad field (old settings stay). */
  apply(settings: Settings): void;
  /** Why the stored settings are not in force, or null when they are. */
  notice: Notice | null;
}

let loading: Promise<Loaded> | null = null;

export function engine(): Promise<Loaded> {
  loading ??= load().catch((error: unknown) => {
    loading = null; // let the next request try again rather than failing forever
    throw error;
  });
  return loading;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function load(): Promise<Loaded> {
  await init({ module_or_path: ext.runtime.getURL("pkg/second_opinion_bg.wasm") });
  const wasm = new Engine(undefined);
  const loaded: Loaded = {
    defaults: wasm.settings() as FullSettings,
    rules: wasm.rules() as RuleInfo[],
    check: (text) => wasm.check(text) as Finding[],
    warm: (count) => wasm.warm(count),
    checkImage: (bytes, name) => wasm.checkImage(bytes, name) as ImageReport,
    stripImage: (bytes) => wasm.stripImage(bytes),
    settings: () => wasm.settings() as FullSettings,
    apply: (settings) => wasm.setSettings(settings),
    notice: null,
  };
  await applyStored(loaded);
  return loaded;
}

/**
 * Puts the stored settings in force, migrating an older format. Settings that cannot be read
 * or that the engine refuses leave the defaults in force and raise a notice; the stored copy is
 * not touched, so nothing the user set is lost. Settings in an older format are stored again in
 * the current one only once the engine has accepted them.
 */
export async function applyStored(loaded: Loaded): Promise<void> {
  const stored = await read(SETTINGS_KEY);
  const migrated = migrate(stored);
  loaded.notice = null;
  try {
    if (!migrated.ok) throw new Error(migrated.error);
    loaded.apply(migrated.settings);
    if (migrated.migrated) await write(SETTINGS_KEY, wrap(migrated.settings));
  } catch (error) {
    loaded.apply({});
    loaded.notice = { error: errorText(error), stored };
  }
  await showNotice(loaded.notice);
}

/** A "!" on the toolbar button, so a refused settings blob is seen without opening anything. */
async function showNotice(notice: Notice | null): Promise<void> {
  await ext.action.setBadgeText({ text: notice ? "!" : "" });
  await ext.action.setBadgeBackgroundColor({ color: "#b3261e" });
  await ext.action.setTitle({
    title: notice ? `Second Opinion: settings not used — ${notice.error}` : "Second Opinion",
  });
}
