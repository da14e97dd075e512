import type { FunctionName } from './function-names.ts';

/** Where a node was written: a 0-based UTF-16 offset into the expression text and its length. */
export interface Span {
  readonly position: number;
  readonly length: number;
}

/** `[name]` or a bare `name`; `name` is the text between the brackets, trimmed. */
export interface AttributeReference extends Span {
  readonly kind: 'attribute';
  readonly name: string;
}

export interface StringLiteral extends Span {
  readonly kind: 'string';
  readonly value: string;
}

/** Always finite. */
export interface NumberLiteral extends Span {
  readonly kind: 'number';
  readonly value: number;
}

export interface BooleanLiteral extends Span {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface NullLiteral extends Span {
  readonly kind: 'null';
}

/** `Name(arg, ...)`; `name` is the canonical spelling whatever case was written. */
export interface CallExpression extends Span {
  readonly kind: 'call';
  readonly name: FunctionName;
  readonly args: readonly Argument[];
}

/** An argument left empty, as in Entra's `Switch([Active], , "1", "True")`; length 0. */
export interface OmittedArgument extends Span {
  readonly kind: 'omitted';
}

export const COMPARE_OPERATORS = ['=', '<>', '<', '<=', '>', '>='] as const;

/** The operators Entra documents for IIF's condition. */
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];

/** `left op right`, Entra's form for IIF's condition (`[country]="USA"`); never chained. */
export interface Comparison extends Span {
  readonly kind: 'comparison';
  readonly operator: CompareOperator;
  readonly left: Operand;
  readonly right: Operand;
}

export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral;

/** What may stand on either side of a comparison. */
export type Operand = CallExpression | AttributeReference | Literal;

export type Expression = Operand | Comparison;

/** Omitted arguments exist only inside a call's argument list. */
export type Argument = Expression | OmittedArgument;
