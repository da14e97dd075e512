import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { compareCodePoints, foldCase } from './compare-values.ts';
import type { CompareOperator } from './filter-ast.ts';

/**
 * A test of one stored value against a non-null literal, by the attribute's type: strings,
 * references and binaries fold case unless `caseExact` and order by code point; dateTimes compare
 * their canonical strings unfolded; numbers numerically; booleans with `===`. A stored value of the
 * wrong JSON type never matches. `ne` is not handled here: it is `not eq` over all values.
 * @see RFC 7644 §3.4.2.2
 */
export function matchValue(
  op: Exclude<CompareOperator, 'ne'>,
  literal: string | number | boolean,
  definition: AttributeDefinition,
): (value: unknown) => boolean {
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
    case 'dateTime': {
      if (typeof literal !== 'string') return never;
      const fold = definition.type !== 'dateTime' && !definition.caseExact;
      const test = matchString(op, fold ? foldCase(literal) : literal);
      return (value) => typeof value === 'string' && test(fold ? foldCase(value) : value);
    }
    case 'integer':
    case 'decimal': {
      if (typeof literal !== 'number') return never;
      const test = matchNumber(op, literal);
      return (value) => typeof value === 'number' && test(value);
    }
    case 'boolean':
      return op === 'eq' ? (value) => value === literal : never;
    case 'complex':
      return never;
  }
}

function never(): boolean {
  return false;
}

function matchString(op: Exclude<CompareOperator, 'ne'>, literal: string): (value: string) => boolean {
  switch (op) {
    case 'eq':
      return (value) => value === literal;
    case 'co':
      return (value) => value.includes(literal);
    case 'sw':
      return (value) => value.startsWith(literal);
    case 'ew':
      return (value) => value.endsWith(literal);
    case 'gt':
      return (value) => compareCodePoints(value, literal) > 0;
    case 'ge':
      return (value) => compareCodePoints(value, literal) >= 0;
    case 'lt':
      return (value) => compareCodePoints(value, literal) < 0;
    case 'le':
      return (value) => compareCodePoints(value, literal) <= 0;
  }
}

function matchNumber(op: Exclude<CompareOperator, 'ne'>, literal: number): (value: number) => boolean {
  switch (op) {
    case 'eq':
      return (value) => value === literal;
    case 'gt':
      return (value) => value > literal;
    case 'ge':
      return (value) => value >= literal;
    case 'lt':
      return (value) => value < literal;
    case 'le':
      return (value) => value <= literal;
    default:
      return never;
  }
}
