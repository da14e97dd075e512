import { badRequest } from '../../scim/errors.ts';

/**
 * Deepest nesting a SCIM body may have. The deepest real message, a BulkRequest whose operation
 * holds a complex attribute value, is 6 levels; the bound keeps every recursive walk over client
 * input (validation, bulkId substitution) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Parses a SCIM request body (`application/scim+json` or `application/json`). Every refusal is a
 * 400 whose detail names the problem: text that is not JSON, a `__proto__` key or a
 * `constructor.prototype` (prototype poisoning), nesting deeper than {@link MAX_JSON_DEPTH}
 * (`invalidSyntax`), and U+0000 in any string (`invalidValue`): PostgreSQL text cannot hold it,
 * and refusing it on every dialect keeps them alike.
 * @see RFC 7644 §3.1, §3.12
 */
export function parseScimJson(text: string): unknown {
  if (text.length === 0) throw badRequest('invalidSyntax', 'The request body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(
      'invalidSyntax',
      `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  assertAcceptableJson(value, [], 0);
  return value;
}

function assertAcceptableJson(value: unknown, path: (string | number)[], depth: number): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      throw badRequest(
        'invalidValue',
        `The string ${describePath(path)} contains U+0000 (NUL), which is not accepted`,
      );
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_JSON_DEPTH) {
    throw badRequest(
      'invalidSyntax',
      `The request body is nested deeper than ${MAX_JSON_DEPTH} levels (at ${describePath(path).slice(0, 200)})`,
    );
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      assertAcceptableJson(value[index], path, depth + 1);
      path.pop();
    }
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000'))
      throw badRequest(
        'invalidValue',
        `A key in ${describePath(path)} contains U+0000 (NUL), which is not accepted`,
      );
    if (
      key === '__proto__' ||
      (key === 'constructor' && typeof item === 'object' && item !== null && Object.hasOwn(item, 'prototype'))
    ) {
      const name = key === '__proto__' ? '__proto__' : 'constructor.prototype';
      throw badRequest(
        'invalidSyntax',
        `A "${name}" key in ${describePath(path)} is not accepted (prototype poisoning)`,
      );
    }
    path.push(key);
    assertAcceptableJson(item, path, depth + 1);
    path.pop();
  }
}

/** `"Operations[0].data"`, or `the body` for the top level. */
function describePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the body';
  return `"${path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('')}"`;
}
