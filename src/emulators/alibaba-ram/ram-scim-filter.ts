import type { RamUser } from './ram-user.ts';
import { foldUserName } from './ram-user-rules.ts';
import { RamScimError } from './scim-error-reply.ts';

/**
 * RAM's filter language: "对于SCIM Filter，阿里云仅支持对id、userName和externalId进行and和eq操作"
 * (RAM SCIM guide) — `eq` comparisons on id, userName and externalId, joined by `and`. Everything
 * else in RFC 7644 §3.4.2.2 (`or`, `not`, grouping, value paths, other operators and attributes) is
 * refused with 400 `invalidFilter` (*unverified*: RAM's exact answer is undocumented). Values must be
 * quoted JSON strings as the RFC's grammar says; the guide's own request quotes them.
 */
export type RamFilterAttribute = 'id' | 'userName' | 'externalId';

export interface RamFilterCondition {
  attribute: RamFilterAttribute;
  value: string;
}

const ATTRIBUTES: Readonly<Record<string, RamFilterAttribute>> = {
  id: 'id',
  username: 'userName',
  externalid: 'externalId',
};
const USER_URN_PREFIX = 'urn:ietf:params:scim:schemas:core:2.0:user:';
const OTHER_OPERATORS = new Set(['ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);
const WORD = /[A-Za-z0-9:._$-]/;

export function parseRamFilter(text: string): RamFilterCondition[] {
  const scanner = { text, position: 0 };
  skipSpaces(scanner);
  if (scanner.position >= text.length) throw refuse('The filter is empty');
  const conditions: RamFilterCondition[] = [];
  for (;;) {
    conditions.push(parseComparison(scanner));
    const spaced = skipSpaces(scanner);
    if (scanner.position >= text.length) return conditions;
    const word = readWord(scanner).toLowerCase();
    if (!spaced || word !== 'and') {
      throw refuse(
        word === 'or'
          ? 'RAM does not support "or" in filters: only eq comparisons joined by "and"'
          : `Unexpected "${word || text[scanner.position]}" at position ${scanner.position}: only eq comparisons joined by "and"`,
      );
    }
    if (!skipSpaces(scanner)) throw refuse(`A space must follow "and" at position ${scanner.position}`);
  }
}

/** Whether the user meets every condition: id and externalId exactly, userName case-insensitively. */
export function matchesRamFilter(user: RamUser, conditions: readonly RamFilterCondition[]): boolean {
  return conditions.every(({ attribute, value }) => {
    if (attribute === 'id') return user.id === value;
    if (attribute === 'externalId') return user.externalId === value;
    return foldUserName(user.userName) === foldUserName(value);
  });
}

interface Scanner {
  text: string;
  position: number;
}

function parseComparison(scanner: Scanner): RamFilterCondition {
  const next = scanner.text[scanner.position];
  if (next === '(') throw refuse('RAM does not support grouping with parentheses in filters');
  const path = readWord(scanner);
  if (path.length === 0) throw refuse(`Expected an attribute name at position ${scanner.position}`);
  if (path.toLowerCase() === 'not') throw refuse('RAM does not support "not" in filters');
  if (scanner.text[scanner.position] === '[')
    throw refuse(`RAM does not support value filters ("${path}[…]")`);
  const name = path.toLowerCase().startsWith(USER_URN_PREFIX) ? path.slice(USER_URN_PREFIX.length) : path;
  const attribute = ATTRIBUTES[name.toLowerCase()];
  if (attribute === undefined) {
    throw refuse(`RAM filters only on id, userName and externalId (not "${path}")`);
  }
  if (!skipSpaces(scanner)) throw refuse(`Expected an operator after "${path}"`);
  const operator = readWord(scanner).toLowerCase();
  if (operator !== 'eq') {
    throw refuse(
      OTHER_OPERATORS.has(operator)
        ? `RAM supports only the eq operator (not "${operator}")`
        : `Expected the operator eq after "${path}"`,
    );
  }
  if (!skipSpaces(scanner)) throw refuse(`Expected a quoted value after "${path} eq"`);
  return { attribute, value: readQuotedString(scanner) };
}

function readQuotedString(scanner: Scanner): string {
  const { text } = scanner;
  const start = scanner.position;
  if (text[start] !== '"') {
    const word = readWord(scanner);
    throw refuse(`Filter values must be quoted strings (got ${word || 'nothing'} at position ${start})`);
  }
  let position = start + 1;
  while (position < text.length && text[position] !== '"') position += text[position] === '\\' ? 2 : 1;
  if (position >= text.length) throw refuse(`The string starting at position ${start} is not closed`);
  scanner.position = position + 1;
  try {
    return JSON.parse(text.slice(start, position + 1)) as string;
  } catch {
    throw refuse(`The string starting at position ${start} has an invalid escape`);
  }
}

function readWord(scanner: Scanner): string {
  const start = scanner.position;
  while (scanner.position < scanner.text.length && WORD.test(scanner.text[scanner.position] ?? '')) {
    scanner.position++;
  }
  return scanner.text.slice(start, scanner.position);
}

/** Skips blanks; answers whether there were any. */
function skipSpaces(scanner: Scanner): boolean {
  const start = scanner.position;
  while (scanner.text[scanner.position] === ' ' || scanner.text[scanner.position] === '\t')
    scanner.position++;
  return scanner.position > start;
}

function refuse(detail: string): RamScimError {
  return new RamScimError(400, detail, 'invalidFilter');
}
