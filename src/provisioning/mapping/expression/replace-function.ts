import { compileDotnetRegex, expandReplacement, hasGroup } from './dotnet-regex.ts';
import type { Argument, CallExpression, Span } from './expression-ast.ts';
import { type CallFrame, type FunctionDefinition, fixedParameters, STRING } from './function-definition.ts';

const SOURCE = 0;
const OLD_VALUE = 1;
const REGEX_PATTERN = 2;
const REGEX_GROUP_NAME = 3;
const REPLACEMENT_VALUE = 4;
const REPLACEMENT_ATTRIBUTE = 5;
const TEMPLATE = 6;

/** Entra's five ways to call Replace, told apart by which optional arguments are written. */
type ReplaceForm = 'text' | 'template' | 'regex' | 'regexGroup' | 'regexFallback';

const FORMS: readonly (readonly [ReplaceForm, readonly number[]])[] = [
  ['text', [OLD_VALUE, REPLACEMENT_VALUE]],
  ['template', [OLD_VALUE, TEMPLATE]],
  ['regex', [REGEX_PATTERN, REPLACEMENT_VALUE]],
  ['regexGroup', [REGEX_PATTERN, REGEX_GROUP_NAME, REPLACEMENT_VALUE]],
  ['regexFallback', [REGEX_PATTERN, REGEX_GROUP_NAME, REPLACEMENT_ATTRIBUTE]],
];

const FORM_LIST =
  'oldValue and replacementValue; oldValue and template; regexPattern and replacementValue; ' +
  'regexPattern, regexGroupName and replacementValue; or regexPattern, regexGroupName and replacementAttributeName';

function isWritten(args: readonly Argument[], index: number): boolean {
  const arg = args[index];
  return arg !== undefined && arg.kind !== 'omitted';
}

function selectForm(args: readonly Argument[]): ReplaceForm | undefined {
  const written = [1, 2, 3, 4, 5, 6].filter((index) => isWritten(args, index)).join();
  return FORMS.find(([, indices]) => indices.join() === written)?.[0];
}

function checkReplace(call: CallExpression, report: (span: Span, message: string) => void): void {
  const form = selectForm(call.args);
  if (form === undefined) {
    report(call, `Replace needs exactly one of these argument sets besides source: ${FORM_LIST}`);
    return;
  }
  const pattern = call.args[REGEX_PATTERN];
  if (pattern?.kind !== 'string') return;
  const compiled = compileDotnetRegex(pattern.value);
  if (!compiled.ok) {
    report(pattern, compiled.message);
    return;
  }
  const group = call.args[REGEX_GROUP_NAME];
  if (group?.kind === 'string' && !hasGroup(compiled.regex, group.value)) {
    report(group, `the regular expression has no group named "${group.value}"`);
  }
}

/**
 * `Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
 * replacementAttributeName, template)`, case-sensitive, in Entra's five forms:
 * - oldValue, replacementValue: every oldValue in source replaced;
 * - oldValue, template: every oldValue in template replaced by source;
 * - regexPattern, replacementValue: every match replaced, with .NET substitutions (`${group}`);
 * - regexPattern, regexGroupName, replacementValue: the named group of every match replaced;
 * - regexPattern, regexGroupName, replacementAttributeName: source when present, else the named
 *   group of the first match in the replacement attribute's value (null without a match).
 * A null source gives null (except in the last form); an empty oldValue replaces nothing.
 * @see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data#replace
 */
export const REPLACE: FunctionDefinition = {
  name: 'Replace',
  signature:
    'Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)',
  minArgs: 2,
  maxArgs: 7,
  parameter: fixedParameters([
    { name: 'source', kind: 'text' },
    { name: 'oldValue', kind: 'text', optional: true },
    { name: 'regexPattern', kind: 'text', optional: true },
    { name: 'regexGroupName', kind: 'text', optional: true },
    { name: 'replacementValue', kind: 'text', optional: true },
    { name: 'replacementAttributeName', kind: 'text', optional: true },
    { name: 'template', kind: 'text', optional: true },
  ]),
  result: STRING,
  checkCall: checkReplace,
  evaluate(frame) {
    const form = selectForm(frame.call.args);
    if (form === undefined) throw frame.fail(SOURCE, `needs one of these argument sets: ${FORM_LIST}`);
    const source = frame.text(SOURCE);
    if (form === 'regexFallback') return source !== null && source !== '' ? source : extractGroup(frame);
    if (source === null) return null;
    switch (form) {
      case 'text':
        return replaceText(source, frame.text(OLD_VALUE), frame.text(REPLACEMENT_VALUE) ?? '');
      case 'template': {
        const template = frame.text(TEMPLATE);
        return template === null ? null : replaceText(template, frame.text(OLD_VALUE), source);
      }
      case 'regex':
        return replaceMatches(frame, source);
      case 'regexGroup':
        return replaceGroups(frame, source);
    }
  },
};

function replaceText(text: string, oldValue: string | null, replacement: string): string {
  return oldValue === null || oldValue === '' ? text : text.replaceAll(oldValue, () => replacement);
}

function patternOf(frame: CallFrame): RegExp {
  const pattern = frame.text(REGEX_PATTERN);
  if (pattern === null) throw frame.fail(REGEX_PATTERN, 'is null');
  const compiled = compileDotnetRegex(pattern);
  if (!compiled.ok) throw frame.fail(REGEX_PATTERN, `is not valid: ${compiled.message}`);
  return compiled.regex;
}

function groupOf(frame: CallFrame, regex: RegExp): string {
  const group = frame.text(REGEX_GROUP_NAME) ?? '';
  if (!hasGroup(regex, group))
    throw frame.fail(REGEX_GROUP_NAME, `names no group of the pattern: "${group}"`);
  return group;
}

function replaceMatches(frame: CallFrame, source: string): string {
  const regex = patternOf(frame);
  const replacement = frame.text(REPLACEMENT_VALUE) ?? '';
  let result = '';
  let last = 0;
  for (const match of source.matchAll(regex)) {
    result += source.slice(last, match.index) + expandReplacement(replacement, match, source);
    last = match.index + match[0].length;
  }
  return result + source.slice(last);
}

function replaceGroups(frame: CallFrame, source: string): string {
  const regex = patternOf(frame);
  const group = groupOf(frame, regex);
  const replacement = frame.text(REPLACEMENT_VALUE) ?? '';
  let result = '';
  let last = 0;
  for (const match of source.matchAll(regex)) {
    const span = match.indices?.groups?.[group];
    if (span === undefined || span[0] < last) continue;
    result += source.slice(last, span[0]) + replacement;
    last = span[1];
  }
  return result + source.slice(last);
}

function extractGroup(frame: CallFrame): string | null {
  const value = frame.text(REPLACEMENT_ATTRIBUTE);
  if (value === null) return null;
  const regex = patternOf(frame);
  const group = groupOf(frame, regex);
  return regex.exec(value)?.groups?.[group] ?? null;
}
