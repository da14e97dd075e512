import { type FunctionDefinition, fixedParameters, STRING, STRINGS } from './function-definition.ts';

/**
 * Text functions count characters as Unicode code points, so that they never split a surrogate
 * pair (.NET counts UTF-16 code units; the two agree outside the astral planes).
 */
function codePoints(text: string): string[] {
  return Array.from(text);
}

/** `Append(source, suffix)`: null when the source is null; a null suffix appends nothing. */
export const APPEND: FunctionDefinition = {
  name: 'Append',
  signature: 'Append(source, suffix)',
  minArgs: 2,
  maxArgs: 2,
  parameter: fixedParameters([
    { name: 'source', kind: 'text' },
    { name: 'suffix', kind: 'text' },
  ]),
  result: STRING,
  evaluate(frame) {
    const source = frame.text(0);
    return source === null ? null : source + (frame.text(1) ?? '');
  },
};

/**
 * `Join(separator, source1, source2, ...)`: every value of every source, multi-valued sources
 * flattened, separated by the separator. Null and empty values are skipped, as in Entra's example
 * `Join(", ", "", [surname], [givenName])` → "Doe, John". Always a string ("" when nothing is left).
 */
export const JOIN: FunctionDefinition = {
  name: 'Join',
  signature: 'Join(separator, source1, source2, ...)',
  minArgs: 2,
  maxArgs: Infinity,
  parameter: fixedParameters([{ name: 'separator', kind: 'text' }], { name: 'source', kind: 'list' }),
  result: STRING,
  evaluate(frame) {
    const separator = frame.text(0) ?? '';
    const parts: string[] = [];
    for (let index = 1; index < frame.count; index++) {
      for (const part of frame.list(index)) if (part !== '') parts.push(part);
    }
    return parts.join(separator);
  },
};

/**
 * `Left(source, numChars)`, with Entra's rules: 0 gives "", a negative count the whole source, a
 * null source "", a count past the end the whole source. A null count gives null.
 */
export const LEFT: FunctionDefinition = {
  name: 'Left',
  signature: 'Left(source, numChars)',
  minArgs: 2,
  maxArgs: 2,
  parameter: fixedParameters([
    { name: 'source', kind: 'text' },
    { name: 'numChars', kind: 'integer' },
  ]),
  result: STRING,
  evaluate(frame) {
    const source = frame.text(0);
    const count = frame.integer(1);
    if (count === null) return null;
    if (source === null) return '';
    if (count < 0) return source;
    return codePoints(source).slice(0, count).join('');
  },
};

/**
 * `Mid(source, start, length)`: `length` characters from the 1-based `start`, fewer when the
 * source ends first ("" when it starts past the end). A start below 1 or a negative length is a
 * failure (Entra leaves them undefined; VBA's Mid rejects them). Null in any argument gives null.
 */
export const MID: FunctionDefinition = {
  name: 'Mid',
  signature: 'Mid(source, start, length)',
  minArgs: 3,
  maxArgs: 3,
  parameter: fixedParameters([
    { name: 'source', kind: 'text' },
    { name: 'start', kind: 'integer' },
    { name: 'length', kind: 'integer' },
  ]),
  result: STRING,
  checkCall(call, report) {
    const [, start, length] = call.args;
    if (start?.kind === 'number' && start.value < 1) report(start, "Mid's start counts from 1");
    if (length?.kind === 'number' && length.value < 0) report(length, "Mid's length cannot be negative");
  },
  evaluate(frame) {
    const source = frame.text(0);
    const start = frame.integer(1);
    const length = frame.integer(2);
    if (source === null || start === null || length === null) return null;
    if (start < 1) throw frame.fail(1, `counts from 1 but is ${start}`);
    if (length < 0) throw frame.fail(2, `cannot be negative but is ${length}`);
    return codePoints(source)
      .slice(start - 1, start - 1 + length)
      .join('');
  },
};

/**
 * `Split(source, delimiter)`: a multi-valued result. Each part is trimmed and empty parts are
 * dropped, as Entra's example shows ("PermissionSetOne, PermissionSetTwo" split on "," gives
 * "PermissionSetTwo" without its leading space); no parts gives null. An empty delimiter does not split.
 */
export const SPLIT: FunctionDefinition = {
  name: 'Split',
  signature: 'Split(source, delimiter)',
  minArgs: 2,
  maxArgs: 2,
  parameter: fixedParameters([
    { name: 'source', kind: 'text' },
    { name: 'delimiter', kind: 'text' },
  ]),
  result: STRINGS,
  evaluate(frame) {
    const source = frame.text(0);
    if (source === null) return null;
    const delimiter = frame.text(1) ?? '';
    const parts = (delimiter === '' ? [source] : source.split(delimiter))
      .map((part) => part.trim())
      .filter((part) => part !== '');
    return parts.length === 0 ? null : parts;
  },
};

/** `StripSpaces(source)`: removes every space (U+0020) and nothing else, as Entra documents. */
export const STRIP_SPACES: FunctionDefinition = {
  name: 'StripSpaces',
  signature: 'StripSpaces(source)',
  minArgs: 1,
  maxArgs: 1,
  parameter: fixedParameters([{ name: 'source', kind: 'text' }]),
  result: STRING,
  evaluate(frame) {
    const source = frame.text(0);
    return source === null ? null : source.replaceAll(' ', '');
  },
};
