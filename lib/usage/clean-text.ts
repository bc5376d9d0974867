// PostgreSQL cannot store NUL in text, and jsonb refuses both `\u0000` and a lone UTF-16 surrogate's escape (a
// lone surrogate is not UTF-8; in a text column it silently becomes U+FFFD). Every text a usage record copies from
// a caller or an upstream goes through cleanText, so one request's bytes cannot make a batch of records fail.

// oxlint-disable-next-line no-control-regex -- NUL is what PostgreSQL refuses in text
const REFUSED = /[\u0000\uD800-\uDFFF]/;
// NUL, a high surrogate not followed by a low one, a low surrogate not preceded by a high one.
// oxlint-disable-next-line no-control-regex -- as above
const REPLACED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * `s` as PostgreSQL stores it unchanged: NUL and lone surrogates become U+FFFD (visibly altered, and distinct from
 * the same text without them), at most `max` UTF-16 units, never cutting a surrogate pair in two.
 */
export function cleanText(s: string, max: number): string {
  // Most text is short ASCII; surrogate pairs (emoji) take the slow path, which keeps them.
  if (s.length <= max && !REFUSED.test(s)) return s;
  let t = s;
  if (s.length > max) {
    t = s.slice(0, max);
    if (isHigh(t.charCodeAt(max - 1)) && isLow(s.charCodeAt(max))) t = t.slice(0, -1);
  }
  return t.replace(REPLACED, "\uFFFD");
}

/** cleanText for optional values: anything but a string (null, undefined, a number from a JSON body) is null. */
export const cleanOptional = (s: unknown, max: number): string | null => (typeof s === "string" ? cleanText(s, max) : null);
