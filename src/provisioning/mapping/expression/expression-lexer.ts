import type { CompareOperator } from './expression-ast.ts';
import { ExpressionSyntaxError } from './expression-error.ts';

export type Token =
  | { readonly kind: 'identifier'; readonly text: string; readonly position: number; readonly length: number }
  | { readonly kind: 'attribute'; readonly name: string; readonly position: number; readonly length: number }
  | { readonly kind: 'string'; readonly value: string; readonly position: number; readonly length: number }
  | { readonly kind: 'number'; readonly value: number; readonly position: number; readonly length: number }
  | { readonly kind: '(' | ')' | ','; readonly position: number; readonly length: number }
  | {
      readonly kind: 'operator';
      readonly operator: CompareOperator;
      readonly position: number;
      readonly length: number;
    }
  | { readonly kind: 'end'; readonly position: number; readonly length: 0 };

/**
 * Bare names: attribute names as LDAP (RFC 4512 descr, with hyphens), SCIM (dotted sub-attributes,
 * `$ref`, URN prefixes) and CSV headers write them, and function names.
 */
const IDENTIFIER = /[\p{L}_$][\p{L}\p{N}_$.:-]*/uy;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /\s*/y;

/** At most 40 characters of a name or string, for messages. */
function excerpt(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** What stands at a token, for "expected X but found Y" messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'identifier':
      return `the name ${excerpt(token.text)}`;
    case 'attribute':
      return `the attribute [${excerpt(token.name)}]`;
    case 'string':
      return `the string ${JSON.stringify(excerpt(token.value))}`;
    case 'number':
      return `the number ${token.value}`;
    case 'operator':
      return `"${token.operator}"`;
    default:
      return `"${token.kind}"`;
  }
}

/**
 * Reads tokens on demand, so that errors are reported in the order they are written. Strings take
 * Entra's escapes only (`\"` and `\\`); an attribute reference runs to the `]` that balances its `[`,
 * skipping brackets inside double-quoted strings, so that SCIM filters fit
 * (`[emails[type eq "work"].value]`).
 */
export class ExpressionLexer {
  readonly text: string;
  private position = 0;
  private lookahead: Token | undefined;

  constructor(text: string) {
    this.text = text;
  }

  peek(): Token {
    this.lookahead ??= this.scan();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private scan(): Token {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.test(this.text);
    const start = WHITESPACE.lastIndex;
    this.position = start;
    const char = this.text[start];
    if (char === undefined) return { kind: 'end', position: start, length: 0 };
    if (char === '(' || char === ')' || char === ',')
      return this.take({ kind: char, position: start, length: 1 });
    if (char === '"') return this.scanString(start);
    if (char === '[') return this.scanAttribute(start);
    if (char === '=' || char === '<' || char === '>') return this.scanOperator(start, char);
    if (char === '-' || (char >= '0' && char <= '9')) return this.scanNumber(start);
    IDENTIFIER.lastIndex = start;
    const identifier = IDENTIFIER.exec(this.text);
    if (identifier !== null) {
      return this.take({
        kind: 'identifier',
        text: identifier[0],
        position: start,
        length: identifier[0].length,
      });
    }
    const found = String.fromCodePoint(this.text.codePointAt(start)!);
    throw this.fail(
      `expected a value, "(", ")" or "," but found ${JSON.stringify(found)}`,
      start,
      found.length,
    );
  }

  private take<T extends Token>(token: T): T {
    this.position = token.position + token.length;
    return token;
  }

  private scanOperator(start: number, char: string): Token {
    const two = this.text.slice(start, start + 2);
    const operator: CompareOperator =
      two === '<>' || two === '<=' || two === '>=' ? two : char === '=' ? '=' : char === '<' ? '<' : '>';
    return this.take({ kind: 'operator', operator, position: start, length: operator.length });
  }

  private scanNumber(start: number): Token {
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(this.text);
    if (match === null)
      throw this.fail(`expected a digit after "-" but ${this.describeAt(start + 1)}`, start, 1);
    const value = Number(match[0]);
    if (!Number.isFinite(value)) throw this.fail('the number is too large', start, match[0].length);
    return this.take({ kind: 'number', value, position: start, length: match[0].length });
  }

  private scanString(start: number): Token {
    let value = '';
    let at = start + 1;
    while (at < this.text.length) {
      const char = this.text[at]!;
      if (char === '"') return this.take({ kind: 'string', value, position: start, length: at + 1 - start });
      if (char === '\\') {
        const escaped = this.text[at + 1];
        if (escaped !== '"' && escaped !== '\\') {
          throw this.fail(`expected \\" or \\\\ after a backslash but ${this.describeAt(at + 1)}`, at, 2);
        }
        value += escaped;
        at += 2;
      } else {
        value += char;
        at++;
      }
    }
    throw this.unterminated('the closing quote of the string', start);
  }

  private scanAttribute(start: number): Token {
    let depth = 0;
    let at = start;
    while (at < this.text.length) {
      const char = this.text[at]!;
      if (char === '"') {
        at = this.skipQuoted(at);
        if (at < 0) break;
        continue;
      }
      if (char === '[') depth++;
      if (char === ']' && --depth === 0) {
        const name = this.text.slice(start + 1, at).trim();
        const length = at + 1 - start;
        if (name === '') throw this.fail('expected an attribute name between "[" and "]"', start, length);
        return this.take({ kind: 'attribute', name, position: start, length });
      }
      at++;
    }
    throw this.unterminated('the "]" closing the attribute reference', start);
  }

  /** The offset after the string opened at `at`, or -1 when it never closes. */
  private skipQuoted(at: number): number {
    for (let i = at + 1; i < this.text.length; i++) {
      if (this.text[i] === '\\') i++;
      else if (this.text[i] === '"') return i + 1;
    }
    return -1;
  }

  private unterminated(what: string, start: number): ExpressionSyntaxError {
    return this.fail(
      `expected ${what} opened at position ${start} but found the end of the expression`,
      start,
      this.text.length - start,
    );
  }

  private describeAt(at: number): string {
    const char = this.text[at];
    return char === undefined ? 'found the end of the expression' : `found ${JSON.stringify(char)}`;
  }

  private fail(message: string, position: number, length: number): ExpressionSyntaxError {
    return new ExpressionSyntaxError({ message, position, length });
  }
}
