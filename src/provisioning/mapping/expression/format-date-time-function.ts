import { type DateTimeFields, fieldsFromDate } from './date-time-fields.ts';
import { compileDateTimeFormat, type DateTimeFormat } from './date-time-format.ts';
import { parseDateTimeStyles } from './date-time-styles.ts';
import type { CallExpression, Span } from './expression-ast.ts';
import { textOf } from './expression-value.ts';
import { type CallFrame, type FunctionDefinition, type Parameter, STRING } from './function-definition.ts';
import { parseDateTime } from './parse-date-time.ts';
import { renderDateTime } from './render-date-time.ts';

const SOURCE: Parameter = { name: 'source', kind: 'dateTime' };
const STYLES: Parameter = { name: 'dateTimeStyles', kind: 'text', optional: true };
const INPUT_FORMAT: Parameter = { name: 'inputFormat', kind: 'text' };
const OUTPUT_FORMAT: Parameter = { name: 'outputFormat', kind: 'text' };

/** Positions of (dateTimeStyles, inputFormat, outputFormat); Entra's dateTimeStyles may be left out. */
function layoutOf(count: number): { styles?: number; input: number; output: number } {
  return count >= 4 ? { styles: 1, input: 2, output: 3 } : { input: 1, output: 2 };
}

function checkFormatDateTime(call: CallExpression, report: (span: Span, message: string) => void): void {
  const layout = layoutOf(call.args.length);
  const styles = layout.styles === undefined ? undefined : call.args[layout.styles];
  if (styles?.kind === 'string') {
    const parsed = parseDateTimeStyles(styles.value);
    if (!parsed.ok) report(styles, parsed.message);
  }
  for (const index of [layout.input, layout.output]) {
    const format = call.args[index];
    if (format?.kind !== 'string') continue;
    const compiled = compileDateTimeFormat(format.value);
    if (!compiled.ok) report(format, compiled.message);
  }
}

function formatOf(frame: CallFrame, index: number): DateTimeFormat {
  const text = frame.text(index);
  if (text === null) throw frame.fail(index, 'is null');
  const compiled = compileDateTimeFormat(text);
  if (!compiled.ok) throw frame.fail(index, `is not a date format: ${compiled.message}`);
  return compiled.format;
}

/**
 * `FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)`, dateTimeStyles optional:
 * reads source with inputFormat (.NET custom or standard format strings, invariant culture) and
 * writes it with outputFormat. A source that is already a date (a JavaScript Date from the source)
 * is not parsed. Null for a null source; a source that does not match inputFormat is a failure.
 * @see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data#formatdatetime
 */
export const FORMAT_DATE_TIME: FunctionDefinition = {
  name: 'FormatDateTime',
  signature: 'FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)',
  minArgs: 3,
  maxArgs: 4,
  parameter: (index, count) =>
    (count >= 4 ? [SOURCE, STYLES, INPUT_FORMAT, OUTPUT_FORMAT] : [SOURCE, INPUT_FORMAT, OUTPUT_FORMAT])[
      index
    ] ?? {
      name: `argument ${index + 1}`,
      kind: 'any',
    },
  result: STRING,
  checkCall: checkFormatDateTime,
  evaluate(frame) {
    const layout = layoutOf(frame.count);
    const source = frame.scalar(0);
    if (source === null) return null;
    const input = formatOf(frame, layout.input);
    const output = formatOf(frame, layout.output);
    const fields = readSource(frame, source, input, layout.styles);
    return renderDateTime(fields, output);
  },
};

function readSource(
  frame: CallFrame,
  source: string | number | boolean | Date,
  input: DateTimeFormat,
  stylesIndex: number | undefined,
): DateTimeFields {
  if (source instanceof Date) {
    const year = source.getUTCFullYear();
    if (year < 1 || year > 9999)
      throw frame.fail(0, `holds a date outside the years 1 to 9999: ${textOf(source)}`);
    return fieldsFromDate(source);
  }
  if (typeof source !== 'string') throw frame.fail(0, `expects a date but found ${textOf(source)}`);
  const styles = parseDateTimeStyles(stylesIndex === undefined ? null : frame.text(stylesIndex));
  if (!styles.ok) throw frame.fail(stylesIndex ?? 0, `is not valid: ${styles.message}`);
  const parsed = parseDateTime(source, input, styles.styles);
  if (!parsed.ok) {
    throw frame.fail(0, `${JSON.stringify(source)} does not match the input format: ${parsed.reason}`);
  }
  return parsed.fields;
}
