import type { Argument, CallExpression, Expression, Operand } from './expression-ast.ts';
import {
  type ExpressionError,
  ExpressionSyntaxError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
} from './expression-error.ts';
import { describeToken, ExpressionLexer, type Token } from './expression-lexer.ts';
import { FUNCTION_NAMES, resolveFunctionName } from './function-names.ts';

export type ParseResult =
  | { readonly ok: true; readonly expression: Expression }
  | { readonly ok: false; readonly error: ExpressionError };

const VALUE = 'a value (an attribute, string, number, true, false, null or function call)';

/**
 * Parses an attribute-mapping expression in Microsoft Entra ID's syntax, extended with bare
 * attribute names (`displayName` for `[displayName]`), numbers, `true`, `false` and `null`.
 * Function names and the three keywords are case-insensitive. Never throws: a syntax error, text
 * longer than 10,000 characters or calls nested deeper than 50 levels come back as an error with the
 * 0-based position and what was expected there.
 * @see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data#syntax-overview
 */
export function parseExpression(text: string): ParseResult {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      error: {
        message: `the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`,
        position: MAX_EXPRESSION_LENGTH,
        length: text.length - MAX_EXPRESSION_LENGTH,
      },
    };
  }
  try {
    const parser = new ExpressionParser(new ExpressionLexer(text));
    return { ok: true, expression: parser.parseWhole() };
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return { ok: false, error: error.error };
    throw error;
  }
}

class ExpressionParser {
  private readonly lexer: ExpressionLexer;
  private depth = 0;

  constructor(lexer: ExpressionLexer) {
    this.lexer = lexer;
  }

  parseWhole(): Expression {
    if (this.lexer.peek().kind === 'end') throw this.expected(VALUE);
    const expression = this.parseArgument();
    if (this.lexer.peek().kind !== 'end') throw this.expected('the end of the expression');
    return expression;
  }

  /** argument = operand [ compare-operator operand ] */
  private parseArgument(): Expression {
    const left = this.parseOperand();
    const operator = this.lexer.peek();
    if (operator.kind !== 'operator') return left;
    this.lexer.next();
    const right = this.parseOperand();
    return {
      kind: 'comparison',
      operator: operator.operator,
      left,
      right,
      position: left.position,
      length: right.position + right.length - left.position,
    };
  }

  private parseOperand(): Operand {
    const token = this.lexer.next();
    const { position, length } = token;
    switch (token.kind) {
      case 'attribute':
        return { kind: 'attribute', name: token.name, position, length };
      case 'string':
        return { kind: 'string', value: token.value, position, length };
      case 'number':
        return { kind: 'number', value: token.value, position, length };
      case 'identifier':
        return this.parseNamed(token);
      default:
        throw this.expected(VALUE, token);
    }
  }

  private parseNamed(token: Token & { kind: 'identifier' }): Operand {
    const { position, length } = token;
    if (this.lexer.peek().kind === '(') return this.parseCall(token);
    switch (token.text.toLowerCase()) {
      case 'true':
        return { kind: 'boolean', value: true, position, length };
      case 'false':
        return { kind: 'boolean', value: false, position, length };
      case 'null':
        return { kind: 'null', position, length };
      default:
        return { kind: 'attribute', name: token.text, position, length };
    }
  }

  /** call = name "(" [ [argument] { "," [argument] } ] ")"; `()` has no arguments. */
  private parseCall(nameToken: Token & { kind: 'identifier' }): CallExpression {
    const name = resolveFunctionName(nameToken.text);
    if (name === undefined) {
      throw new ExpressionSyntaxError({
        message: `unknown function "${nameToken.text}"; the functions are ${FUNCTION_NAMES.join(', ')}`,
        position: nameToken.position,
        length: nameToken.length,
      });
    }
    const open = this.lexer.next();
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionSyntaxError({
        message: `the expression nests function calls deeper than ${MAX_EXPRESSION_DEPTH} levels`,
        position: open.position,
        length: 1,
      });
    }
    const args: Argument[] = [];
    let close = this.lexer.peek();
    if (close.kind === ')') this.lexer.next();
    else {
      for (;;) {
        args.push(this.parseOptionalArgument());
        close = this.lexer.next();
        if (close.kind === ')') break;
        if (close.kind !== ',') throw this.expected('"," or ")"', close);
      }
    }
    this.depth--;
    const end = close.position + close.length;
    return { kind: 'call', name, args, position: nameToken.position, length: end - nameToken.position };
  }

  private parseOptionalArgument(): Argument {
    const next = this.lexer.peek();
    if (next.kind === ',' || next.kind === ')')
      return { kind: 'omitted', position: next.position, length: 0 };
    if (next.kind === 'end') throw this.expected(`${VALUE}, "," or ")"`, next);
    return this.parseArgument();
  }

  private expected(what: string, found: Token = this.lexer.peek()): ExpressionSyntaxError {
    return new ExpressionSyntaxError({
      message: `expected ${what} but found ${describeToken(found)}`,
      position: found.position,
      length: found.length,
    });
  }
}
