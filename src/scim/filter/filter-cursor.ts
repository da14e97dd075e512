import { badRequest, type ScimError } from '../errors.ts';
import type { AttributePath, ComparisonValue } from './filter-ast.ts';

/** Longest filter or PATCH path accepted; longer input is rejected before parsing. */
export const MAX_FILTER_LENGTH = 10_000;

/** Deepest nesting of `(`, `not (` and `[` accepted; protects the recursive parser's stack. */
export const MAX_FILTER_DEPTH = 50;

/** ATTRNAME of RFC 7643 §2.1, with `$` allowed first so that `$ref` can be named. */
const ATTRIBUTE_NAME = /^[A-Za-z$][A-Za-z0-9$_-]*$/;

/** Characters of a bare word: attribute paths (URNs included), keywords and operators. */
const WORD_CHARACTER = /[A-Za-z0-9$_.:-]/;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

const SIMPLE_ESCAPES = '"\\/bfnrt';

/** What the scanner is reading; decides the error's scimType and wording. */
export interface InputKind {
  readonly scimType: 'invalidFilter' | 'invalidPath';
  /** `filter` or `path`, as in "Invalid filter at position 3". */
  readonly noun: string;
}

/**
 * A position in a filter or PATCH path being parsed, with the lexical rules of RFC 7644 §3.4.2.2
 * figure 1. Positions in messages are 0-based UTF-16 offsets, as `JSON.parse` reports them.
 * Whitespace between tokens is optional and may be repeated (the grammar asks for one SP).
 */
export class FilterCursor {
  readonly text: string;
  readonly kind: InputKind;
  position = 0;
  depth = 0;

  constructor(text: string, kind: InputKind) {
    this.text = text;
    this.kind = kind;
    if (text.length > MAX_FILTER_LENGTH) {
      throw this.fail(`the ${kind.noun} is longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
    }
  }

  fail(message: string, at: number = this.position): ScimError {
    return badRequest(this.kind.scimType, `Invalid ${this.kind.noun} at position ${at}: ${message}`);
  }

  /** "expected X but found Y", describing what stands at `at`. */
  expected(what: string, at: number = this.position): ScimError {
    return this.fail(`expected ${what} but ${this.describeAt(at)}`, at);
  }

  /** Called at each `(`, `not (` and `[`, with the position of the opening token. */
  enterNesting(at: number): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw this.fail(`the ${this.kind.noun} is nested deeper than ${MAX_FILTER_DEPTH} levels`, at);
    }
  }

  leaveNesting(): void {
    this.depth--;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  skipWhitespace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
  }

  /** The bare word at the position, without consuming it ('' when none). */
  peekWord(at: number = this.position): string {
    let end = at;
    while (end < this.text.length && WORD_CHARACTER.test(this.text[end]!)) end++;
    return this.text.slice(at, end);
  }

  readWord(): string {
    const word = this.peekWord();
    this.position += word.length;
    return word;
  }

  /** Consumes `char` when it is next; returns whether it did. */
  accept(char: string): boolean {
    if (this.text[this.position] !== char) return false;
    this.position++;
    return true;
  }

  /**
   * `attrPath = [URI ":"] ATTRNAME *1subAttr`. The URN is everything up to the last `:` (URNs
   * contain dots, as in `2.0`). Inside a value filter (`relative`) only a bare sub-attribute name
   * is allowed, since the path there is relative to the bracketed attribute.
   */
  readAttributePath(relative: boolean): AttributePath {
    const start = this.position;
    const word = this.readWord();
    if (word === '') throw this.expected('an attribute name', start);
    const colon = word.lastIndexOf(':');
    if (colon === 0) throw this.fail('expected a schema URN before ":"', start);
    const attribute = word.slice(colon + 1);
    const attributeStart = start + colon + 1;
    if (relative && colon > 0) {
      throw this.fail(
        `expected a sub-attribute name without a schema URN inside "[…]", not "${word}"`,
        start,
      );
    }
    const parts = attribute.split('.');
    if (relative && parts.length > 1) {
      throw this.fail(`expected a single sub-attribute name inside "[…]", not "${word}"`, start);
    }
    if (parts.length > 2) {
      const secondDot = attributeStart + parts[0]!.length + parts[1]!.length + 1;
      throw this.fail(`an attribute path has at most one sub-attribute, "${word}" has more`, secondDot);
    }
    const [name = '', sub] = parts;
    this.checkAttributeName(name, attributeStart, colon > 0 ? 'after the schema URN' : '');
    if (sub !== undefined) this.checkAttributeName(sub, attributeStart + name.length + 1, `after "${name}."`);
    return {
      ...(colon > 0 ? { uri: word.slice(0, colon) } : {}),
      name,
      ...(sub !== undefined ? { sub } : {}),
    };
  }

  checkAttributeName(name: string, at: number, after: string): void {
    if (ATTRIBUTE_NAME.test(name)) return;
    const where = after === '' ? '' : ` ${after}`;
    if (name === '') throw this.fail(`expected an attribute name${where}`, at);
    throw this.fail(`"${name}" is not a valid attribute name${where}`, at);
  }

  /** `compValue = false / null / true / number / string`; `false`/`null`/`true` in any case. */
  readValue(operator: string): ComparisonValue {
    const start = this.position;
    const char = this.peek();
    if (char === '"') return this.readString();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.readNumber();
    const word = this.peekWord().toLowerCase();
    const literal = word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : undefined;
    if (literal === undefined) {
      throw this.expected(`a value (a "string", a number, true, false or null) after "${operator}"`, start);
    }
    this.position += word.length;
    return literal;
  }

  /** A JSON string literal (RFC 8259 §7), escapes included. */
  readString(): string {
    const start = this.position;
    let index = start + 1;
    for (;;) {
      const char = this.text[index];
      if (char === undefined) throw this.fail('unterminated string literal', start);
      if (char === '"') break;
      if (char === '\\') {
        const escaped = this.text[index + 1] ?? '';
        if (escaped === 'u' && /^[0-9A-Fa-f]{4}$/.test(this.text.slice(index + 2, index + 6))) index += 6;
        else if (escaped !== '' && escaped !== 'u' && SIMPLE_ESCAPES.includes(escaped)) index += 2;
        else throw this.fail(`invalid escape "\\${escaped}" in a string literal`, index);
        continue;
      }
      if (char < ' ') {
        const code = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        throw this.fail(`control character U+${code} must be escaped in a string literal`, index);
      }
      index++;
    }
    this.position = index + 1;
    return JSON.parse(this.text.slice(start, index + 1)) as string;
  }

  readNumber(): number {
    const start = this.position;
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(this.text);
    if (match === null) throw this.expected('a number', start);
    const value = Number(match[0]);
    if (!Number.isFinite(value)) throw this.fail(`the number ${match[0]} is out of range`, start);
    this.position = start + match[0].length;
    return value;
  }

  private describeAt(at: number): string {
    if (at >= this.text.length) return `reached the end of the ${this.kind.noun}`;
    if (this.text[at] === '"') return 'found a string literal';
    const word = this.peekWord(at);
    const shown = word !== '' ? word : String.fromCodePoint(this.text.codePointAt(at)!);
    return `found "${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}"`;
  }
}
