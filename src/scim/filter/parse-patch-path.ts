import type { PatchPath } from './filter-ast.ts';
import { FilterCursor, type InputKind } from './filter-cursor.ts';
import { parseBracketFilter } from './filter-grammar.ts';

const PATH_INPUT: InputKind = { scimType: 'invalidPath', noun: 'path' };

/**
 * Parses a PATCH operation's `path`: `PATH = attrPath / valuePath [subAttr]`, e.g. `name.givenName`,
 * `members[value eq "2819c223"]` or `emails[type eq "work"].value`. Paths are returned as written
 * (unresolved). Every error, including one inside the brackets, is a 400 `invalidPath`.
 * @see RFC 7644 §3.5.2 figure 7
 */
export function parsePatchPath(text: string): PatchPath {
  const cursor = new FilterCursor(text, PATH_INPUT);
  cursor.skipWhitespace();
  const start = cursor.position;
  const attribute = cursor.readAttributePath(false);
  let path: PatchPath = { attribute };
  if (cursor.peek() === '[') {
    const filter = parseBracketFilter(cursor, attribute, text.slice(start, cursor.position));
    path = { attribute, filter };
    if (cursor.accept('.')) {
      const subStart = cursor.position;
      const subAttribute = cursor.readWord();
      cursor.checkAttributeName(subAttribute, subStart, 'after "]."');
      path = { attribute, filter, subAttribute };
    }
  }
  cursor.skipWhitespace();
  if (!cursor.atEnd()) throw cursor.expected('the end of the path');
  return path;
}
