import { foldEntraValuePathSubAttribute } from '../quirks/fold-entra-value-path-sub-attribute.ts';
import type { AttributePath, CompareOperator, Filter } from './filter-ast.ts';
import type { FilterCursor } from './filter-cursor.ts';

/**
 * The recursive-descent core shared by `parseFilter` and `parsePatchPath`: RFC 7644 §3.4.2.2
 * figure 1 with errata 4670 (`and` binds tighter than `or`), 7319 (`not (` with a space) and 7322
 * (grouping inside `[…]`). Both `and` and `or` associate to the left.
 */
const COMPARE_OPERATORS: ReadonlySet<string> = new Set<CompareOperator>([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
]);

function isCompareOperator(word: string): word is CompareOperator {
  return COMPARE_OPERATORS.has(word);
}

/**
 * `FILTER` (or `valFilter` when `relative`, i.e. inside `attr[…]`) up to the first token that
 * continues neither an `and` nor an `or`; the caller checks what follows.
 */
export function parseLogicalExpression(cursor: FilterCursor, relative: boolean): Filter {
  let left = parseConjunction(cursor, relative);
  while (acceptKeyword(cursor, 'or')) {
    left = { kind: 'or', left, right: parseConjunction(cursor, relative) };
  }
  return left;
}

/**
 * `attr[valFilter]` with the cursor on `[`: returns the filter and leaves the cursor after `]`.
 * @see RFC 7644 §3.4.2.2 (valuePath), §3.5.2 (PATCH path)
 */
export function parseBracketFilter(cursor: FilterCursor, path: AttributePath, pathText: string): Filter {
  const open = cursor.position;
  if (path.sub !== undefined) {
    throw cursor.fail(`"[" must follow an attribute, not the sub-attribute path "${pathText}"`, open);
  }
  cursor.position++;
  cursor.enterNesting(open);
  const filter = parseLogicalExpression(cursor, true);
  expectClosing(cursor, ']');
  cursor.leaveNesting();
  return filter;
}

function parseConjunction(cursor: FilterCursor, relative: boolean): Filter {
  let left = parseUnary(cursor, relative);
  while (acceptKeyword(cursor, 'and')) {
    left = { kind: 'and', left, right: parseUnary(cursor, relative) };
  }
  return left;
}

function acceptKeyword(cursor: FilterCursor, keyword: 'and' | 'or'): boolean {
  cursor.skipWhitespace();
  if (cursor.peekWord().toLowerCase() !== keyword) return false;
  cursor.position += keyword.length;
  return true;
}

function parseUnary(cursor: FilterCursor, relative: boolean): Filter {
  cursor.skipWhitespace();
  const start = cursor.position;
  if (cursor.accept('(')) {
    cursor.enterNesting(start);
    const inner = parseLogicalExpression(cursor, relative);
    expectClosing(cursor, ')');
    cursor.leaveNesting();
    return inner;
  }
  const word = cursor.peekWord();
  if (word.toLowerCase() === 'not') {
    let next = start + word.length;
    while (next < cursor.text.length && /\s/.test(cursor.text[next]!)) next++;
    if (cursor.text[next] === '(') {
      cursor.position = next + 1;
      cursor.enterNesting(start);
      const inner = parseLogicalExpression(cursor, relative);
      expectClosing(cursor, ')');
      cursor.leaveNesting();
      return { kind: 'not', filter: inner };
    }
    // `not` is also a legal attribute name: complain only when no operator or `[` follows it.
    const operator = cursor.peekWord(next).toLowerCase();
    if (cursor.text[start + word.length] !== '[' && operator !== 'pr' && !isCompareOperator(operator)) {
      throw cursor.expected('"(" after "not"', next);
    }
  }
  if (word === '') throw cursor.expected('an attribute name, "(" or "not"', start);
  return parseAttributeExpression(cursor, relative);
}

/** `attrExp` or, outside brackets, `valuePath`. */
function parseAttributeExpression(cursor: FilterCursor, relative: boolean): Filter {
  const start = cursor.position;
  const path = cursor.readAttributePath(relative);
  const pathText = cursor.text.slice(start, cursor.position);
  if (cursor.peek() === '[') {
    if (relative) throw cursor.fail('value filters cannot be nested: "[" inside "[…]"');
    const filter = parseBracketFilter(cursor, path, pathText);
    if (cursor.accept('.')) {
      // `emails[type eq "work"].value eq "x"`: not RFC grammar, but Entra's documented lookup.
      const sub = cursor.peekWord();
      if (/[.:]/.test(sub)) throw cursor.fail(`expected one sub-attribute name after "].", not "${sub}"`);
      return foldEntraValuePathSubAttribute(path, filter, parseAttributeExpression(cursor, true));
    }
    return { kind: 'valuePath', path, filter };
  }
  cursor.skipWhitespace();
  const operatorStart = cursor.position;
  const operator = cursor.peekWord().toLowerCase();
  if (operator === 'pr') {
    cursor.position += operator.length;
    return { kind: 'present', path };
  }
  if (!isCompareOperator(operator)) {
    throw cursor.expected(`a comparison operator after "${pathText}"`, operatorStart);
  }
  cursor.position += operator.length;
  cursor.skipWhitespace();
  const value = cursor.readValue(operator);
  return { kind: 'compare', path, op: operator, value };
}

function expectClosing(cursor: FilterCursor, closing: ')' | ']'): void {
  cursor.skipWhitespace();
  if (!cursor.accept(closing)) throw cursor.expected(`"and", "or" or "${closing}"`);
}
