import type { CallExpression, Span } from './expression-ast.ts';
import { type CallFrame, type FunctionDefinition, fixedParameters, STRING } from './function-definition.ts';

/** Whether `culture` is a well-formed language tag (RFC 4646/5646, as Entra's `ja-JP`). */
function isCulture(culture: string): boolean {
  try {
    Intl.getCanonicalLocales(culture);
    return true;
  } catch {
    return false;
  }
}

function checkCulture(call: CallExpression, report: (span: Span, message: string) => void): void {
  const culture = call.args[1];
  if (culture?.kind === 'string' && culture.value !== '' && !isCulture(culture.value)) {
    report(culture, `"${culture.value}" is not a culture name such as "en-US"`);
  }
}

/** Converts with the culture's rules when one is given (Turkish `I` → `ı`), else invariantly. */
function convertCase(frame: CallFrame, upper: boolean): string | null {
  const source = frame.text(0);
  if (source === null) return null;
  const culture = frame.text(1);
  if (culture === null || culture === '') return upper ? source.toUpperCase() : source.toLowerCase();
  if (!isCulture(culture))
    throw frame.fail(1, `is not a culture name such as "en-US": ${JSON.stringify(culture)}`);
  return upper ? source.toLocaleUpperCase(culture) : source.toLocaleLowerCase(culture);
}

const PARAMETERS = fixedParameters([
  { name: 'source', kind: 'text' },
  { name: 'culture', kind: 'text', optional: true },
]);

/** `ToLower(source, culture)`: null for a null source. */
export const TO_LOWER: FunctionDefinition = {
  name: 'ToLower',
  signature: 'ToLower(source, culture)',
  minArgs: 1,
  maxArgs: 2,
  parameter: PARAMETERS,
  result: STRING,
  checkCall: checkCulture,
  evaluate: (frame) => convertCase(frame, false),
};

/** `ToUpper(source, culture)`: null for a null source. */
export const TO_UPPER: FunctionDefinition = {
  name: 'ToUpper',
  signature: 'ToUpper(source, culture)',
  minArgs: 1,
  maxArgs: 2,
  parameter: PARAMETERS,
  result: STRING,
  checkCall: checkCulture,
  evaluate: (frame) => convertCase(frame, true),
};
