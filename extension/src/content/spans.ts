/**
 * Keeping findings on their words while the user types, until the next check answers.
 *
 * The text before the first difference and after the last one is unchanged; findings there
 * keep (or shift with) their words. Findings that touch the edited stretch are dropped: they
 * may no longer apply.
 */

import type { Finding } from "../shared/engine-types";

export function shiftFindings(before: string, after: string, findings: Finding[]): Finding[] {
  if (before === after) return findings;
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shortest - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  const editEnd = before.length - suffix;
  const delta = after.length - before.length;
  const kept: Finding[] = [];
  for (const finding of findings) {
    if (finding.end <= prefix) kept.push(finding);
    else if (finding.start >= editEnd) kept.push({ ...finding, start: finding.start + delta, end: finding.end + delta });
  }
  return kept;
}
