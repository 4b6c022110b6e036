/** How much text is checked at once, shared by the content script and the background. */

/**
 * The longest text checked, in UTF-16 code units: far more than any post, and small enough
 * that a check takes well under a second. The content script sends only this much of a longer
 * text (its badge says so), and the background checks at most this much of whatever it is sent.
 */
export const MAX_CHECKED_CHARS = 50_000;

/** The start of `text` the background checks, never ending between the halves of a surrogate pair. */
export function checkedPart(text: string): string {
  if (text.length <= MAX_CHECKED_CHARS) return text;
  const last = text.charCodeAt(MAX_CHECKED_CHARS - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_CHECKED_CHARS - 1 : MAX_CHECKED_CHARS);
}
