/**
 * Retry-After as milliseconds from `now`: either delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * A date in the past means "now" (0); anything unparseable is undefined, as if the header were absent.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  // An HTTP-date names its weekday and month in letters; plain numbers or ISO strings are not one.
  if (!/^[A-Za-z]{3,9},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
