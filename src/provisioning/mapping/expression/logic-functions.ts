import { BOOLEAN, type FunctionDefinition, fixedParameters } from './function-definition.ts';

/**
 * `IIF(condition, valueIfTrue, valueIfFalse)`. The condition is a boolean, a "True"/"False" string
 * or a comparison (`[country]="USA"`); a null condition counts as false, as Entra's "the condition
 * check fails". Only the chosen branch is evaluated; both branches have one type.
 */
export const IIF: FunctionDefinition = {
  name: 'IIF',
  signature: 'IIF(condition, valueIfTrue, valueIfFalse)',
  minArgs: 3,
  maxArgs: 3,
  parameter: fixedParameters([
    { name: 'condition', kind: 'boolean' },
    { name: 'valueIfTrue', kind: 'same' },
    { name: 'valueIfFalse', kind: 'same' },
  ]),
  result: 'unified',
  evaluate: (frame) => frame.value(frame.boolean(0) === true ? 1 : 2),
};

/**
 * `Switch(source, defaultValue, key1, value1, key2, value2, ...)`: the value of the first key equal
 * to the source, compared as text and case-sensitively, else the default (null when left empty).
 * A null source compares as `""`, so that an empty-string key catches absent values, as Entra's
 * reference recommends.
 */
export const SWITCH: FunctionDefinition = {
  name: 'Switch',
  signature: 'Switch(source, defaultValue, key1, value1, key2, value2, ...)',
  minArgs: 4,
  maxArgs: Infinity,
  parameter(index) {
    if (index === 0) return { name: 'source', kind: 'text' };
    if (index === 1) return { name: 'defaultValue', kind: 'same', optional: true };
    const pair = index / 2;
    return index % 2 === 0
      ? { name: `key${pair}`, kind: 'text' }
      : { name: `value${Math.floor(pair)}`, kind: 'same' };
  },
  result: 'unified',
  checkCall(call, report) {
    if (call.args.length % 2 === 0) return;
    const key = call.args.at(-1)!;
    report(key, `Switch takes keys and values in pairs; key${(call.args.length - 1) / 2} has no value`);
  },
  evaluate(frame) {
    const source = frame.text(0) ?? '';
    for (let index = 2; index + 1 < frame.count; index += 2) {
      if ((frame.text(index) ?? '') === source) return frame.value(index + 1);
    }
    return frame.value(1);
  },
};

/**
 * `Not(source)`: Entra's rule, "if source is True, returns False; otherwise returns True": a
 * boolean true or the string "True" (any case) gives false; anything else, null included, gives true.
 */
export const NOT: FunctionDefinition = {
  name: 'Not',
  signature: 'Not(source)',
  minArgs: 1,
  maxArgs: 1,
  parameter: () => ({ name: 'source', kind: 'boolean' }),
  result: BOOLEAN,
  evaluate(frame) {
    const value = frame.scalar(0);
    return !(value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true'));
  },
};
