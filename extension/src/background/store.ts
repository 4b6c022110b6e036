/**
 * Where settings live: `storage.sync` so they follow the doctor to other computers, falling
 * back to `storage.local` when sync is unavailable or an item is over its quota (a long
 * watch-word list can be). Each key is read from sync first, then local; a write that lands
 * in one area removes the stale copy from the other.
 */

import { ext } from "../shared/api";
import type { Settings } from "../shared/engine-types";

export const SETTINGS_KEY = "settings";
export const PAUSED_SITES_KEY = "paused_sites";
/** Settings the engine refused, moved aside (never deleted) when the user saves new ones. */
const REJECTED_KEY = "rejected_settings";

export async function read(key: string): Promise<unknown> {
  try {
    const synced = await ext.storage.sync.get(key);
    if (key in synced) return synced[key];
  } catch {
    // Sync is switched off or unsupported here: local storage is the only copy.
  }
  const local = await ext.storage.local.get(key);
  return local[key];
}

export async function write(key: string, value: unknown): Promise<void> {
  try {
    await ext.storage.sync.set({ [key]: value });
    await ext.storage.local.remove(key);
  } catch {
    await ext.storage.local.set({ [key]: value });
    await ext.storage.sync.remove(key).catch(() => undefined);
  }
}

/** Keeps refused settings in local storage with the reason, before they are overwritten. */
export async function setAside(stored: unknown, error: string): Promise<void> {
  await ext.storage.local.set({
    [REJECTED_KEY]: { rejected_at: new Date().toISOString(), error, settings: stored },
  });
}

/**
 * The format of the stored settings. Version 0 (extension 0.1.0) stored the settings object
 * bare; version 1 wraps it as `{ version, settings }`, so that a later change of shape can be
 * recognised and migrated instead of being refused.
 */
export const SETTINGS_VERSION = 1;

export interface StoredSettings {
  version: number;
  settings: Settings;
}

/** What the stored value holds, once brought up to {@link SETTINGS_VERSION}. */
export type Migrated =
  | { ok: true; settings: Settings; /** The stored value was in an older format. */ migrated: boolean }
  | { ok: false; error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a stored settings value of any version. Nothing stored means the defaults; a value
 * that is not settings of a known version is an error (the caller keeps it for the user).
 */
export function migrate(stored: unknown): Migrated {
  if (stored === undefined) return { ok: true, settings: {}, migrated: false };
  if (!isObject(stored)) return { ok: false, error: `stored settings are not an object (found ${describe(stored)})` };
  if (!("version" in stored)) return { ok: true, settings: stored as Settings, migrated: true }; // version 0
  const { version, settings } = stored;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    return { ok: false, error: `stored settings have an unknown format version (${describe(version)})` };
  }
  if (version > SETTINGS_VERSION) {
    return {
      ok: false,
      error: `stored settings were saved by a newer version of Second Opinion (format ${version}; this one reads up to ${SETTINGS_VERSION})`,
    };
  }
  if (!isObject(settings)) return { ok: false, error: `stored settings are not an object (found ${describe(settings)})` };
  return { ok: true, settings: settings as Settings, migrated: false };
}

/** The value stored for `settings`. */
export function wrap(settings: Settings): StoredSettings {
  return { version: SETTINGS_VERSION, settings };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? "text" : typeof value;
}

/** The paused sites, ignoring anything in the stored list that is not a host name. */
export async function readPausedSites(): Promise<string[]> {
  const stored = await read(PAUSED_SITES_KEY);
  return Array.isArray(stored) ? stored.filter((s): s is string => typeof s === "string") : [];
}
