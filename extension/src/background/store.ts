/**
 * Where settings live: `storage.sync` so they follow the doctor to other computers, falling
 * back to `storage.local` when sync is unavailable or an item is over its quota (a long
 * watch-word list can be). Each key is read from sync first, then local; a write that lands
 * in one area removes the stale copy from the other.
 */

import { ext } from "../shared/api";

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

/** The paused sites, ignoring anything in the stored list that is not a host name. */
export async function readPausedSites(): Promise<string[]> {
  const stored = await read(PAUSED_SITES_KEY);
  return Array.isArray(stored) ? stored.filter((s): s is string => typeof s === "string") : [];
}
