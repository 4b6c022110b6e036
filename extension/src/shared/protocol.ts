/**
 * Every message between the extension's parts, typed in one place.
 *
 * Content scripts, the popup and the options page send {@link Request}s to the background,
 * which alone runs the engine and writes settings. The background tells tabs that settings
 * changed; the popup asks the page for its counts.
 */

import { ext } from "./api";
import type { Category, Finding, FullSettings, ImageReport, RuleInfo, Settings } from "./engine-types";

/** Why the stored settings were not used, shown until the user saves or resets. */
export interface Notice {
  error: string;
  /** The refused settings exactly as stored, so the user can export and repair them. */
  stored: unknown;
}

export interface State {
  settings: FullSettings;
  defaults: FullSettings;
  rules: RuleInfo[];
  pausedSites: string[];
  notice: Notice | null;
}

export interface CheckResult {
  /** False when the user paused the extension on this site. */
  enabled: boolean;
  findings: Finding[];
}

/** A photo's report; `enabled` is false when the user paused the extension on this site. */
export interface ImageCheckResult {
  enabled: boolean;
  report: ImageReport;
}

/**
 * Requests the background answers, each with the type of its reply value. File bytes travel
 * as base64: Chrome serialises extension messages as JSON, where an ArrayBuffer arrives empty.
 */
export interface Requests {
  check: { request: { text: string; site: string }; reply: CheckResult };
  /** Sent when a compose box gets focus: load the engine and compile its patterns now. */
  warm: { request: Record<string, never>; reply: null };
  state: { request: Record<string, never>; reply: State };
  "set-settings": { request: { settings: Settings }; reply: null };
  "reset-settings": { request: Record<string, never>; reply: null };
  "disable-rule": { request: { rule: string }; reply: null };
  "set-site-paused": { request: { site: string; paused: boolean }; reply: null };
  "check-image": { request: { base64: string; name: string; site: string }; reply: ImageCheckResult };
  /** The photo without metadata, as base64. */
  "strip-image": { request: { base64: string }; reply: string };
}

export type RequestKind = keyof Requests;
export type Request = { [K in RequestKind]: { kind: K } & Requests[K]["request"] }[RequestKind];

export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Sends a request to the background and unwraps its reply, throwing its error. */
export async function ask<K extends RequestKind>(
  kind: K,
  request: Requests[K]["request"],
): Promise<Requests[K]["reply"]> {
  const reply = (await ext.runtime.sendMessage({ kind, ...request })) as
    | Reply<Requests[K]["reply"]>
    | undefined;
  if (!reply) throw new Error("The extension's background did not answer.");
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

/** Messages a tab's content scripts receive. */
export type TabMessage = { kind: "settings-changed" } | { kind: "counts" };

/** A page's answer to `counts`: findings per category in the box last used. */
export type Counts = Record<Category, number>;
