/**
 * The value comparisons every filter implementation shares. The in-memory evaluator and the SQL
 * compilers must agree on them exactly, so they live here and nowhere else.
 * @see RFC 7644 §3.4.2.2
 */

/**
 * Folds a string for a comparison on a case-insensitive (`caseExact: false`) attribute. Both the
 * attribute value and the filter literal are folded. This is JS `toLowerCase()` (full Unicode
 * lower-casing, `İ` becomes `i̇`, final sigma is context-sensitive); SQL backends must reproduce it.
 */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/**
 * Orders two strings by Unicode code point, not by UTF-16 code unit and not by locale, so that
 * `gt`/`ge`/`lt`/`le` agree across JS and SQL backends (RFC 7644 §3.4.2.2 asks for a
 * "lexicographical comparison"). Returns a negative number, zero or a positive number.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left !== right) return codePointRank(left) - codePointRank(right);
  }
  return a.length - b.length;
}

/**
 * UTF-16 order differs from code point order only where a surrogate (U+D800–U+DFFF, part of a
 * code point above U+FFFF) meets a unit in U+E000–U+FFFF. Moving surrogates above that range
 * restores code point order for the first differing unit.
 */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * `pr`: a non-empty string, any boolean or number, a non-empty array, or a complex value with at
 * least one present sub-attribute. @see RFC 7644 §3.4.2.2 ("pr")
 */
export function isPresentValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.values(value).some(isPresentValue);
  return true;
}

const XSD_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))?$/;

const MAX_OFFSET_MINUTES = 14 * 60;

/** `YYYY-MM-DDThh:mm:ss.sssZ` */
const CANONICAL_LENGTH = 24;

/**
 * The canonical form (`Date#toISOString()`, UTC, milliseconds) of an xsd:dateTime, or undefined
 * when `text` is not one. Accepts offsets (`+02:00`, `Z`), any number of fractional digits
 * (truncated to milliseconds) and `24:00:00` for the end of a day. A value without an offset is
 * taken as UTC rather than as server-local time, so the result never depends on the host.
 * Four-digit years only, and the instant must fall within years 0000–9999 UTC so that canonical
 * strings sort in time order.
 * @see RFC 7643 §2.3.5
 */
export function canonicalDateTime(text: string): string | undefined {
  const match = XSD_DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone, sign, offsetHour, offsetMinute] =
    match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (mi > 59 || s > 59) return undefined;
  if (h > 24 || (h === 24 && (mi !== 0 || s !== 0 || /[1-9]/.test(fraction)))) return undefined;
  let offset = 0;
  if (zone !== undefined && zone !== 'Z') {
    const offsetMinutes = Number(offsetHour) * 60 + Number(offsetMinute);
    if (Number(offsetMinute) > 59 || offsetMinutes > MAX_OFFSET_MINUTES) return undefined;
    offset = sign === '-' ? -offsetMinutes : offsetMinutes;
  }
  const milliseconds = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi - offset, s, milliseconds);
  const canonical = date.toISOString();
  // Outside years 0000–9999 the ISO form gains a sign and no longer sorts by instant.
  return canonical.length === CANONICAL_LENGTH ? canonical : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
