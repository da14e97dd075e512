type FieldKind =
  | 'year'
  | 'month'
  | 'day'
  | 'hour12'
  | 'hour24'
  | 'minute'
  | 'second'
  | 'fraction'
  | 'optionalFraction'
  | 'designator'
  | 'offset'
  | 'kind';

/** One piece of a .NET date format: a field with its letter count, literal text, or an unquoted `Z`. */
export type FormatToken =
  | { readonly kind: FieldKind; readonly width: number }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'utcMarker' };

export interface DateTimeFormat {
  readonly tokens: readonly FormatToken[];
  /** The standard formats `R`, `u` and `U` render the instant in UTC. */
  readonly universal: boolean;
}

export type FormatResult =
  | { readonly ok: true; readonly format: DateTimeFormat }
  | { readonly ok: false; readonly message: string };

/**
 * .NET's standard date formats, spelled out for the invariant culture.
 * @see https://learn.microsoft.com/dotnet/standard/base-types/standard-date-and-time-format-strings
 */
const STANDARD_FORMATS: Readonly<Record<string, string>> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  m: 'MMMM dd',
  M: 'MMMM dd',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'HH:mm',
  T: 'HH:mm:ss',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, dd MMMM yyyy HH:mm:ss',
  y: 'yyyy MMMM',
  Y: 'yyyy MMMM',
};

const UNIVERSAL_FORMATS = new Set(['r', 'R', 'u', 'U']);

const FIELD_LETTERS: Readonly<Record<string, FieldKind>> = {
  y: 'year',
  M: 'month',
  d: 'day',
  h: 'hour12',
  H: 'hour24',
  m: 'minute',
  s: 'second',
  f: 'fraction',
  F: 'optionalFraction',
  t: 'designator',
  z: 'offset',
  K: 'kind',
};

/**
 * Reads a .NET date and time format string as the invariant culture does: a single letter is a
 * standard format; otherwise the custom specifiers `y M d h H m s f F t z K`, `'quoted'` and
 * `"quoted"` literals, `\` escapes, `%` before a lone specifier, and any other character as itself
 * (`/` and `:` are the invariant separators). An unquoted `Z` is a literal that, when parsing,
 * marks the value as UTC, as the generalized time `yyyyMMddHHmmss.fZ` needs.
 * @see https://learn.microsoft.com/dotnet/standard/base-types/custom-date-and-time-format-strings
 */
export function compileDateTimeFormat(format: string): FormatResult {
  if (format === '') return { ok: false, message: 'the format is empty' };
  if (format.length === 1) {
    const standard = STANDARD_FORMATS[format];
    if (standard === undefined) {
      return {
        ok: false,
        message: `"${format}" is not a standard format; write "%${format}" for the single specifier`,
      };
    }
    const compiled = compileDateTimeFormat(standard);
    return compiled.ok
      ? { ok: true, format: { ...compiled.format, universal: UNIVERSAL_FORMATS.has(format) } }
      : compiled;
  }
  const tokens: FormatToken[] = [];
  let at = 0;
  while (at < format.length) {
    const char = format[at]!;
    const field = FIELD_LETTERS[char];
    if (field !== undefined) {
      let width = 1;
      while (format[at + width] === char) width++;
      if ((field === 'fraction' || field === 'optionalFraction') && width > 7) {
        return { ok: false, message: `"${char.repeat(width)}" asks for more than 7 fraction digits` };
      }
      tokens.push({ kind: field, width: field === 'kind' ? 1 : width });
      at += field === 'kind' ? 1 : width;
    } else if (char === "'" || char === '"') {
      const end = format.indexOf(char, at + 1);
      if (end < 0) return { ok: false, message: `the quote at position ${at} of the format is never closed` };
      tokens.push({ kind: 'literal', text: format.slice(at + 1, end) });
      at = end + 1;
    } else if (char === '\\' || char === '%') {
      const next = format[at + 1];
      if (next === undefined || (char === '%' && next === '%')) {
        return {
          ok: false,
          message: `"${char}" at position ${at} of the format is not followed by a character`,
        };
      }
      if (char === '\\') tokens.push({ kind: 'literal', text: next });
      at += char === '\\' ? 2 : 1;
    } else if (char === 'g') {
      return { ok: false, message: 'the era specifier "g" is not supported' };
    } else {
      tokens.push(char === 'Z' ? { kind: 'utcMarker' } : { kind: 'literal', text: char });
      at++;
    }
  }
  return { ok: true, format: { tokens, universal: false } };
}
