import type { CompareOperator } from './expression-ast.ts';
import { type Scalar, textOf } from './expression-value.ts';

/**
 * Entra's IIF comparison (`[country]="USA"`). Null is a value equal only to null, and never
 * ordered: `=` and `<>` see it, `<`, `<=`, `>`, `>=` are false. Entra instead fails the condition when
 * an attribute is null or empty; Lockstep gives it a meaning rather than a silent failure.
 * Numbers, booleans and dates compare as such; anything else compares as text, case-sensitively
 * and by UTF-16 code unit (.NET's ordinal comparison).
 */
export function compareValues(operator: CompareOperator, left: Scalar | null, right: Scalar | null): boolean {
  if (left === null || right === null) {
    if (operator === '=') return left === right;
    if (operator === '<>') return left !== right;
    return false;
  }
  const order = orderOf(left, right);
  switch (operator) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function orderOf(left: Scalar, right: Scalar): number {
  if (typeof left === 'number' && typeof right === 'number') return Math.sign(left - right);
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  if (left instanceof Date && right instanceof Date) return Math.sign(left.getTime() - right.getTime());
  const a = textOf(left);
  const b = textOf(right);
  return a < b ? -1 : a > b ? 1 : 0;
}
