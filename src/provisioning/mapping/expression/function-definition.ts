import type { CallExpression, Span } from './expression-ast.ts';
import type { ExpressionType } from './expression-types.ts';
import type { EvaluationFailure, Scalar, Value } from './expression-value.ts';
import type { FunctionName } from './function-names.ts';

/**
 * How an argument is typed and converted:
 * - `text`: one value of any type, read as text (numbers, booleans and dates convert);
 * - `integer`: one whole number;
 * - `boolean`: one boolean, a "True"/"False" string (Entra's Boolean String) or a comparison;
 * - `dateTime`: one dateTime, or a string to parse;
 * - `any`: anything, multi-valued included, unconverted;
 * - `list`: any values, multi-valued included, read as a list of texts;
 * - `same`: anything, unconverted, but of the same type as the call's other `same` arguments
 *   (Coalesce's sources, IIF's branches, Switch's values), which is the call's type.
 */
export type ParameterKind = 'text' | 'integer' | 'boolean' | 'dateTime' | 'any' | 'list' | 'same';

export interface Parameter {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly optional?: boolean;
}

/** Arguments of a call being evaluated, converted on demand (so IIF, Switch and Coalesce are lazy). */
export interface CallFrame {
  readonly call: CallExpression;
  readonly count: number;
  /** True for an argument left empty or not written at all. */
  isOmitted(index: number): boolean;
  /** The argument unconverted; null when omitted. */
  value(index: number): Value;
  /** The argument as one value; a list of one stands for its value, a longer list fails. */
  scalar(index: number): Scalar | null;
  text(index: number): string | null;
  integer(index: number): number | null;
  boolean(index: number): boolean | null;
  list(index: number): string[];
  /** Where to blame a failure about an argument (the call itself when the argument is absent). */
  spanOf(index: number): Span;
  /** A failure about an argument: "Mid's start {problem}", located at the argument. */
  fail(index: number, problem: string): EvaluationFailure;
}

export interface FunctionDefinition {
  readonly name: FunctionName;
  /** Entra's parameter list, for messages and documentation: `Left(source, numChars)`. */
  readonly signature: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** The parameter an argument binds to, given how many arguments the call has. */
  parameter(index: number, count: number): Parameter;
  /** The call's type; `unified` is the common type of its `same` arguments. */
  readonly result: ExpressionType | 'unified';
  /** Checks beyond argument types (argument combinations, literal patterns and formats). */
  checkCall?(call: CallExpression, report: (span: Span, message: string) => void): void;
  /** Throws `EvaluationFailure` for bad data. */
  evaluate(frame: CallFrame): Value;
}

export const STRING: ExpressionType = { type: 'string', multiValued: false };
export const BOOLEAN: ExpressionType = { type: 'boolean', multiValued: false };
export const STRINGS: ExpressionType = { type: 'string', multiValued: true };

/** Binds arguments to a fixed parameter list; arguments past the end bind to `rest` (if any). */
export function fixedParameters(
  parameters: readonly Parameter[],
  rest?: Parameter,
): (index: number) => Parameter {
  return (index) => parameters[index] ?? rest ?? { name: `argument ${index + 1}`, kind: 'any' };
}
