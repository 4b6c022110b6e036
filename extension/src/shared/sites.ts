/**
 * The sites the extension runs on: the manifest's default list, plus the ones the user added,
 * which are exactly the host permissions granted at run time (nothing else records them).
 */

import { ext } from "./api";

/** The manifest's content-script patterns, e.g. "https://*.x.com/*". */
export function defaultMatches(): string[] {
  return ext.runtime.getManifest().content_scripts?.flatMap((c) => c.matches ?? []) ?? [];
}

/** Origin patterns the user granted beyond the default sites. */
export async function userOrigins(): Promise<string[]> {
  const defaults = new Set(defaultMatches());
  const { origins = [] } = await ext.permissions.getAll();
  return origins.filter((o) => !defaults.has(o));
}

/** "https://*.x.com/*" → "x.com"; null for patterns that do not name a host. */
export function hostOfPattern(pattern: string): string | null {
  const match = /^[a-z*]+:\/\/(?:\*\.)?([^/*]+)\//i.exec(pattern);
  return match?.[1] ?? null;
}

/** The patterns that cover a host and its subdomains over HTTPS. */
export function patternsForHost(host: string): string[] {
  return [`https://${host}/*`, `https://*.${host}/*`];
}

/**
 * A host name from what the user typed ("https://www.example.org/path" → "example.org"), or
 * null when it is not one.
 */
export function parseHost(input: string): string | null {
  const trimmed = input.trim().toLowerCase();
  if (!trimmed) return null;
  try {
    const url = new URL(/^[a-z]+:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`);
    const host = url.hostname.replace(/^www\./, "");
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null;
  } catch {
    return null;
  }
}
