/**
 * The WebExtension API object. Firefox's `browser` returns promises everywhere; Chrome's
 * `chrome` does too in Manifest V3. Both have the shape `@types/chrome` describes for the calls
 * this extension makes.
 */
export const ext: typeof chrome =
  (globalThis as { browser?: typeof chrome }).browser ?? globalThis.chrome;

/** Host names compare without a leading "www.", so x.com and www.x.com share one switch. */
export function siteOf(hostname: string): string {
  return hostname.toLowerCase().replace(/^www\./, "");
}
