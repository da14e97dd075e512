import type { Span } from './expression-ast.ts';

/** A single runtime value; `Date` only when a source hands one over. */
export type Scalar = string | number | boolean | Date;

/** A runtime value: null (absent), one value, or several (never an empty list: that is null). */
export type Value = Scalar | null | readonly Scalar[];

/** What an evaluation hands to a target: dates become ISO 8601 strings. */
export type MappedValue = string | number | boolean | null | readonly (string | number | boolean)[];

/**
 * A bad value met during evaluation. Thrown inside the evaluator and caught by
 * `evaluateExpression`, which returns it as a value located at `span`.
 */
export class EvaluationFailure extends Error {
  readonly span: Span;

  constructor(span: Span, message: string) {
    super(message);
    this.name = 'EvaluationFailure';
    this.span = span;
  }
}

/**
 * Takes what a source returned for an attribute: undefined and empty lists are null (an absent
 * attribute, RFC 7643 §2.5); nulls inside a list are dropped; complex values, nested lists,
 * non-finite numbers and invalid dates are failures at `span`.
 */
export function toValue(raw: unknown, span: Span, name: string): Value {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) return toScalar(raw, span, name);
  const values: Scalar[] = [];
  for (const element of raw as readonly unknown[]) {
    if (element === undefined || element === null) continue;
    if (Array.isArray(element)) throw new EvaluationFailure(span, `attribute ${name} holds a nested list`);
    values.push(toScalar(element, span, name));
  }
  return values.length === 0 ? null : values;
}

function toScalar(raw: unknown, span: Span, name: string): Scalar {
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return raw;
    case 'number':
      if (Number.isFinite(raw)) return raw;
      throw new EvaluationFailure(span, `attribute ${name} holds the non-finite number ${raw}`);
    case 'object':
      if (raw instanceof Date) {
        if (Number.isFinite(raw.getTime())) return raw;
        throw new EvaluationFailure(span, `attribute ${name} holds an invalid date`);
      }
      throw new EvaluationFailure(
        span,
        `attribute ${name} holds a complex value; name one of its sub-attributes, such as [${name}.value]`,
      );
    default:
      throw new EvaluationFailure(span, `attribute ${name} holds a value of unsupported type ${typeof raw}`);
  }
}

/**
 * A single value as text, printed as Entra (.NET) prints it where it matters: booleans are `True`
 * and `False`; dates are ISO 8601 in UTC; numbers as JavaScript prints them.
 */
export function textOf(value: Scalar): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function isList(value: Value): value is readonly Scalar[] {
  return Array.isArray(value);
}

export function toMappedValue(value: Value): MappedValue {
  if (value === null) return null;
  if (isList(value)) return value.map(toMappedScalar);
  return toMappedScalar(value as Scalar);
}

function toMappedScalar(value: Scalar): string | number | boolean {
  return value instanceof Date ? value.toISOString() : value;
}
