import { assembleDateTime, DateTimeParseFailure, type DateTimeParts } from './assemble-date-time.ts';
import { DAY_NAMES, type DateTimeFields, MONTH_NAMES, toUniversal } from './date-time-fields.ts';
import type { DateTimeFormat, FormatToken } from './date-time-format.ts';
import type { DateTimeStyles } from './date-time-styles.ts';

export type ParsedDateTime =
  | { readonly ok: true; readonly fields: DateTimeFields }
  | { readonly ok: false; readonly reason: string };

type FieldToken = Extract<FormatToken, { width: number }>;

const LETTERS: Readonly<Record<FieldToken['kind'], string>> = {
  year: 'y',
  month: 'M',
  day: 'd',
  hour12: 'h',
  hour24: 'H',
  minute: 'm',
  second: 's',
  fraction: 'f',
  optionalFraction: 'F',
  designator: 't',
  offset: 'z',
  kind: 'K',
};

const WHITESPACE = /\s/;

/**
 * Reads `text` exactly as .NET's `DateTime.ParseExact` reads it with the invariant culture:
 * `MM`, `dd`, `HH`... take exactly two digits, single letters one or two, `yyyy` four, `f`s their
 * count, `F`s up to their count (and the `.` before them becomes optional). Two-digit years fall
 * in 1950–2049 (.NET's default window). A value read with an offset keeps it, so that the written
 * date survives (Entra's servers would convert it to their own zone, which is UTC).
 */
export function parseDateTime(text: string, format: DateTimeFormat, styles: DateTimeStyles): ParsedDateTime {
  try {
    const parts = new DateTimeReader(text, styles).read(format.tokens);
    const fields = assembleDateTime(parts);
    if (fields.offsetMinutes === undefined && (styles.assumeUniversal || format.universal)) {
      return {
        ok: true,
        fields: styles.adjustToUniversal ? toUniversal(fields) : { ...fields, offsetMinutes: 0 },
      };
    }
    return { ok: true, fields: styles.adjustToUniversal ? toUniversal(fields) : fields };
  } catch (error) {
    if (error instanceof DateTimeParseFailure) return { ok: false, reason: error.message };
    throw error;
  }
}

class DateTimeReader {
  private readonly text: string;
  private readonly styles: DateTimeStyles;
  private readonly end: number;
  private at = 0;
  private readonly parts: DateTimeParts = {};

  constructor(text: string, styles: DateTimeStyles) {
    this.text = text;
    this.styles = styles;
    this.end = styles.allowTrailingWhite ? text.trimEnd().length : text.length;
    if (styles.allowLeadingWhite) this.skipWhitespace();
  }

  read(tokens: readonly FormatToken[]): DateTimeParts {
    tokens.forEach((token, index) => {
      if (this.styles.allowInnerWhite && index > 0) this.skipWhitespace();
      if (token.kind === 'literal') this.readLiteral(token.text, tokens[index + 1]);
      else if (token.kind === 'utcMarker') {
        this.expectChar('Z');
        this.parts.utc = true;
      } else this.readField(token);
    });
    if (this.at < this.end) this.fail(`unexpected ${JSON.stringify(this.text.slice(this.at, this.end))}`);
    return this.parts;
  }

  private readLiteral(literal: string, next: FormatToken | undefined): void {
    if (literal === '.' && next?.kind === 'optionalFraction' && this.text[this.at] !== '.') return;
    for (const char of literal) {
      if (this.styles.allowInnerWhite && WHITESPACE.test(char)) this.skipWhitespace();
      else this.expectChar(char);
    }
  }

  private readField(token: FieldToken): void {
    const { width } = token;
    const parts = this.parts;
    switch (token.kind) {
      case 'year': {
        const digits =
          width === 1
            ? this.digits(1, 2, token)
            : width === 3
              ? this.digits(3, 4, token)
              : this.digits(width, width, token);
        parts.year = width <= 2 ? digits + (digits < 50 ? 2000 : 1900) : digits;
        return;
      }
      case 'month':
        parts.month = width >= 3 ? this.name(MONTH_NAMES, width === 3, token) + 1 : this.twoDigits(token);
        return;
      case 'day':
        if (width >= 3) parts.weekday = this.name(DAY_NAMES, width === 3, token);
        else parts.day = this.twoDigits(token);
        return;
      case 'hour12':
      case 'hour24':
      case 'minute':
      case 'second':
        parts[token.kind] = this.twoDigits(token);
        return;
      case 'fraction':
      case 'optionalFraction': {
        const start = this.at;
        const value = this.digits(token.kind === 'fraction' ? width : 0, width, token);
        parts.ticks = value * 10 ** (7 - (this.at - start));
        return;
      }
      case 'designator':
        parts.pm = this.name(width === 1 ? ['A', 'P'] : ['AM', 'PM'], false, token) === 1;
        return;
      case 'offset':
        parts.offsetMinutes = this.offset(width, token);
        return;
      case 'kind':
        if (this.text[this.at] === 'Z') {
          this.at++;
          parts.utc = true;
        } else if (this.text[this.at] === '+' || this.text[this.at] === '-')
          parts.offsetMinutes = this.offset(3, token);
    }
  }

  private twoDigits(token: FieldToken): number {
    return token.width === 1 ? this.digits(1, 2, token) : this.digits(2, 2, token);
  }

  private digits(min: number, max: number, token: FieldToken): number {
    let count = 0;
    while (count < max && this.at + count < this.end && /[0-9]/.test(this.text[this.at + count]!)) count++;
    if (count < min) {
      const needed = min === max ? `${min}` : `${min} to ${max}`;
      this.fail(`expected ${needed} digit${max === 1 ? '' : 's'} for "${describe(token)}"`);
    }
    const value = count === 0 ? 0 : Number(this.text.slice(this.at, this.at + count));
    this.at += count;
    return value;
  }

  /** The index of the name found (abbreviations are the first three letters), any case. */
  private name(names: readonly string[], abbreviated: boolean, token: FieldToken): number {
    const rest = this.text.slice(this.at, this.end).toLowerCase();
    const index = names.findIndex((name) =>
      rest.startsWith((abbreviated ? name.slice(0, 3) : name).toLowerCase()),
    );
    if (index < 0) this.fail(`expected a name for "${describe(token)}"`);
    this.at += abbreviated ? 3 : names[index]!.length;
    return index;
  }

  /** `+h`, `+hh`, `+hh:mm` or `+hhmm`; `zzz` needs the minutes. */
  private offset(width: number, token: FieldToken): number {
    const start = this.at;
    const sign = this.text[this.at];
    if (sign !== '+' && sign !== '-') this.fail(`expected "+" or "-" for "${describe(token)}"`);
    this.at++;
    const hours = width === 1 ? this.digits(1, 2, token) : this.digits(2, 2, token);
    if (this.text[this.at] === ':') this.at++;
    const minutes = width >= 3 || /[0-9]/.test(this.text[this.at] ?? '') ? this.digits(2, 2, token) : 0;
    if (hours > 14 || minutes > 59)
      this.fail(`the offset ${this.text.slice(start, this.at)} is out of range`, start);
    return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }

  private expectChar(char: string): void {
    if (this.text[this.at] !== char || this.at >= this.end) this.fail(`expected ${JSON.stringify(char)}`);
    this.at++;
  }

  private skipWhitespace(): void {
    while (this.at < this.text.length && WHITESPACE.test(this.text[this.at]!)) this.at++;
  }

  private fail(problem: string, at = this.at): never {
    const found = at >= this.end ? 'the end' : `position ${at}`;
    throw new DateTimeParseFailure(`${problem} at ${found}`);
  }
}

function describe(token: FieldToken): string {
  return LETTERS[token.kind].repeat(token.kind === 'kind' ? 1 : token.width);
}
