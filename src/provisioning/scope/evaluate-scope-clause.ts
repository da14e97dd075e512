import { canonicalDateTime } from '../../scim/filter/compare-values.ts';
import { readSourceAttribute } from '../mapping/source-attributes.ts';
import { compileScopeRegex } from './scope-regex.ts';
import type { ScopeClause } from './scope-rule.ts';

type Scalar = string | number | boolean | Date;

const REGEXES = new WeakMap<ScopeClause, RegExp | null>();

/**
 * Whether one scoping clause holds for a user document. A multi-valued attribute holds for a
 * positive operator when one of its values does; NOT EQUALS and NOT REGEX MATCH are exactly the
 * negation of EQUALS and REGEX MATCH (so they hold for an absent attribute). An absent or empty
 * attribute is null: IS NULL holds, every comparison fails. Greater_Than and its kin compare whole
 * numbers, as Entra documents; a value that is not one fails the clause.
 */
export function evaluateScopeClause(clause: ScopeClause, user: Readonly<Record<string, unknown>>): boolean {
  const values = readValues(user, clause.attribute);
  const expected = clause.value ?? '';
  const fold = (text: string) => (clause.ignoreCase === true ? text.toLowerCase() : text);
  switch (clause.operator) {
    case 'IS NULL':
      return values.length === 0;
    case 'IS NOT NULL':
      return values.length > 0;
    case 'IS TRUE':
      return values.some((value) => booleanOf(value) === true);
    case 'IS FALSE':
      return values.some((value) => booleanOf(value) === false);
    case 'EQUALS':
      return values.some((value) => equalsValue(value, expected, fold));
    case 'NOT EQUALS':
      return !values.some((value) => equalsValue(value, expected, fold));
    case 'Includes':
      return values.some((value) => fold(textOf(value)).includes(fold(expected)));
    case 'ENDS_WITH':
      return values.some((value) => fold(textOf(value)).endsWith(fold(expected)));
    case 'REGEX MATCH':
      return matchesRegex(clause, values);
    case 'NOT REGEX MATCH':
      return !matchesRegex(clause, values);
    case 'Greater_Than':
      return compareIntegers(values, expected, (a, b) => a > b);
    case 'Greater_Than_OR_EQUALS':
      return compareIntegers(values, expected, (a, b) => a >= b);
    case 'Less_Than':
      return compareIntegers(values, expected, (a, b) => a < b);
    case 'Less_Than_OR_EQUALS':
      return compareIntegers(values, expected, (a, b) => a <= b);
  }
}

/** The attribute's present values; empty strings count as absent (Entra: IS NULL is "empty"). */
export function readValues(user: Readonly<Record<string, unknown>>, attribute: string): Scalar[] {
  let raw: unknown;
  try {
    raw = readSourceAttribute('User', user, attribute);
  } catch {
    return [];
  }
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter(
    (value): value is Scalar =>
      (typeof value === 'string' && value !== '') ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (value instanceof Date && Number.isFinite(value.getTime())),
  );
}

export function textOf(value: Scalar): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function booleanOf(value: Scalar): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** Text compares as text; booleans as booleans (`true` equals True); dates and numbers by value. */
function equalsValue(value: Scalar, expected: string, fold: (text: string) => string): boolean {
  if (typeof value === 'boolean') return booleanOf(expected) === value;
  if (typeof value === 'number') return expected.trim() !== '' && Number(expected) === value;
  if (value instanceof Date) return canonicalDateTime(expected.trim()) === value.toISOString();
  return fold(value) === fold(expected);
}

function matchesRegex(clause: ScopeClause, values: readonly Scalar[]): boolean {
  let regex = REGEXES.get(clause);
  if (regex === undefined) {
    const compiled = compileScopeRegex(clause.value ?? '', clause.ignoreCase === true);
    regex = compiled.ok ? compiled.regex : null;
    REGEXES.set(clause, regex);
  }
  const pattern = regex;
  return pattern !== null && values.some((value) => pattern.test(textOf(value)));
}

function compareIntegers(
  values: readonly Scalar[],
  expected: string,
  holds: (a: number, b: number) => boolean,
): boolean {
  const bound = integerOf(expected);
  if (bound === undefined) return false;
  return values.some((value) => {
    const number = integerOf(value);
    return number !== undefined && holds(number, bound);
  });
}

function integerOf(value: Scalar): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(value)) return Number(value);
  return undefined;
}
