import type { Filter } from './filter-ast.ts';
import { FilterCursor, type InputKind } from './filter-cursor.ts';
import { parseLogicalExpression } from './filter-grammar.ts';

const FILTER_INPUT: InputKind = { scimType: 'invalidFilter', noun: 'filter' };

/**
 * Parses a `filter` query parameter or SearchRequest `filter` into a syntax tree, paths as written.
 * Operators and `and`/`or`/`not` are case-insensitive. Any syntax error, a filter longer than
 * 10,000 characters or one nested deeper than 50 levels is a 400 `invalidFilter` whose detail names
 * the 0-based position and what was expected there.
 * @see RFC 7644 §3.4.2.2
 */
export function parseFilter(text: string): Filter {
  const cursor = new FilterCursor(text, FILTER_INPUT);
  const filter = parseLogicalExpression(cursor, false);
  cursor.skipWhitespace();
  if (!cursor.atEnd()) throw cursor.expected('"and", "or" or the end of the filter');
  return filter;
}
