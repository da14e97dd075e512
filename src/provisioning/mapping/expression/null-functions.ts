import type { Value } from './expression-value.ts';
import { BOOLEAN, type FunctionDefinition } from './function-definition.ts';

/** Present: neither null (absent) nor an empty string. @see Entra's IsPresent */
function isPresent(value: Value): boolean {
  return value !== null && value !== '';
}

/**
 * `Coalesce(source1, ..., defaultValue)`: the first argument that is present, else the last
 * argument's value (so that a trailing `""` default yields `""`). Entra's reference says "the first
 * value that isn't NULL"; Lockstep also skips empty strings, which sources such as CSV produce
 * for missing values. All arguments have one type, which is the result's.
 */
export const COALESCE: FunctionDefinition = {
  name: 'Coalesce',
  signature: 'Coalesce(source1, source2, ..., defaultValue)',
  minArgs: 1,
  maxArgs: Infinity,
  parameter: (index) => ({ name: `source${index + 1}`, kind: 'same' }),
  result: 'unified',
  evaluate(frame) {
    let value: Value = null;
    for (let index = 0; index < frame.count; index++) {
      value = frame.value(index);
      if (isPresent(value)) return value;
    }
    return value;
  },
};

/** `IsNull(expression)`: true when the value is absent (null); an empty string is not null. */
export const IS_NULL: FunctionDefinition = {
  name: 'IsNull',
  signature: 'IsNull(expression)',
  minArgs: 1,
  maxArgs: 1,
  parameter: () => ({ name: 'expression', kind: 'any' }),
  result: BOOLEAN,
  evaluate: (frame) => frame.value(0) === null,
};

/** `IsNullOrEmpty(expression)`: true when the value is absent or an empty string; IsPresent's inverse. */
export const IS_NULL_OR_EMPTY: FunctionDefinition = {
  name: 'IsNullOrEmpty',
  signature: 'IsNullOrEmpty(expression)',
  minArgs: 1,
  maxArgs: 1,
  parameter: () => ({ name: 'expression', kind: 'any' }),
  result: BOOLEAN,
  evaluate: (frame) => !isPresent(frame.value(0)),
};

/** `IsPresent(expression)`: true when the value is neither absent nor an empty string. */
export const IS_PRESENT: FunctionDefinition = {
  name: 'IsPresent',
  signature: 'IsPresent(expression)',
  minArgs: 1,
  maxArgs: 1,
  parameter: () => ({ name: 'expression', kind: 'any' }),
  result: BOOLEAN,
  evaluate: (frame) => isPresent(frame.value(0)),
};
