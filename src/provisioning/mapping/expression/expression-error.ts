import type { Span } from './expression-ast.ts';

/**
 * A syntax, type or evaluation error, located in the expression text so that an editor can
 * underline it: `position` is a 0-based UTF-16 offset, `length` the extent of the offending text
 * (0 for a point, such as the end of the text).
 */
export interface ExpressionError {
  readonly message: string;
  readonly position: number;
  readonly length: number;
}

/** Longest expression text accepted; longer text is rejected before it is read. */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** Deepest nesting of function calls accepted; protects the recursive parser, checker and evaluator. */
export const MAX_EXPRESSION_DEPTH = 50;

export function errorAt(span: Span, message: string): ExpressionError {
  return { message, position: span.position, length: span.length };
}

/** Thrown inside the parser and caught by `parseExpression`, which returns it as a value. */
export class ExpressionSyntaxError extends Error {
  readonly error: ExpressionError;

  constructor(error: ExpressionError) {
    super(error.message);
    this.name = 'ExpressionSyntaxError';
    this.error = error;
  }
}
