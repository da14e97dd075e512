import { CompiledQuery } from 'kysely';
import type { Filter } from '../../scim/filter/filter-ast.ts';
import { printFilter } from '../../scim/filter/print-filter.ts';

/**
 * Compiled list statements keyed by the query's shape: its filter with every non-empty string literal
 * replaced by a mark, plus what else decides the SQL text (sort, page, columns). Clients repeat a few
 * shapes with different values (`userName eq "…"`), so building and compiling the SQL — as costly as
 * running it — happens once per shape. Marks survive compilation inside the bound parameters
 * (`\0L3\0`; folded to lower case they read `\0l3\0`, which says the literal is compared folded) and
 * are replaced by the request's values when the statement runs. Tenant and base URL travel the same
 * way. Literals that change the statement's text (null, empty strings, booleans, numbers) stay in
 * the key.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL delimits marks because clients cannot send it (refused as input).
const MARK = /\u0000([LlTtBb])(\d*)\u0000/g;
const TENANT = '\u0000T\u0000';
const BASE_URL = '\u0000B\u0000';
const MAX_SHAPES = 1000;

export interface ShapeStatements {
  readonly page: CompiledQuery;
  readonly count: CompiledQuery;
}

/** A list query for the cache: the resolved query, its scope and how to build its SQL. */
export interface ShapeRequest<Query extends { filter?: Filter }> {
  readonly query: Query;
  readonly tenantId: string;
  readonly baseUrl: string;
  /** What compiled statements belong to (the SQL dialect object): never shared across owners. */
  readonly owner: object;
  /** Everything else but the filter that decides the SQL text. */
  readonly key: string;
  /** Builds and compiles the statements of a query whose literals, tenant and base URL are marks. */
  compile(query: Query, marks: { tenantId: string; baseUrl: string }): ShapeStatements;
}

const shapesByOwner = new WeakMap<object, Map<string, ShapeStatements>>();

/** The statements for a list query with the request's values bound, compiled once per shape. */
export function statementsForShape<Query extends { filter?: Filter }>(
  request: ShapeRequest<Query>,
): ShapeStatements {
  const literals: string[] = [];
  const { filter } = request.query;
  const shaped = filter === undefined ? undefined : abstractLiterals(filter, literals);
  const key = `${request.key}\u0001${shaped === undefined ? '' : printFilter(shaped)}`;
  let shapes = shapesByOwner.get(request.owner);
  if (shapes === undefined) {
    shapes = new Map();
    shapesByOwner.set(request.owner, shapes);
  }
  let statements = shapes.get(key);
  if (statements === undefined) {
    const query = shaped === undefined ? request.query : { ...request.query, filter: shaped };
    statements = request.compile(query, { tenantId: TENANT, baseUrl: BASE_URL });
    if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value as string);
    shapes.set(key, statements);
  }
  const values = { tenantId: request.tenantId, baseUrl: request.baseUrl };
  const bind = (compiled: CompiledQuery) =>
    CompiledQuery.raw(
      compiled.sql,
      compiled.parameters.map((parameter) =>
        typeof parameter === 'string' ? substitute(parameter, literals, values) : parameter,
      ),
    );
  return { page: bind(statements.page), count: bind(statements.count) };
}

function abstractLiterals(filter: Filter, literals: string[]): Filter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return {
        kind: filter.kind,
        left: abstractLiterals(filter.left, literals),
        right: abstractLiterals(filter.right, literals),
      };
    case 'not':
      return { kind: 'not', filter: abstractLiterals(filter.filter, literals) };
    case 'valuePath':
      return { kind: 'valuePath', path: filter.path, filter: abstractLiterals(filter.filter, literals) };
    case 'present':
      return filter;
    case 'compare':
      if (typeof filter.value !== 'string' || filter.value === '') return filter;
      literals.push(filter.value);
      return { ...filter, value: `\u0000L${literals.length - 1}\u0000` };
  }
}

function substitute(
  parameter: string,
  literals: readonly string[],
  values: { tenantId: string; baseUrl: string },
): string {
  if (!parameter.includes('\u0000')) return parameter;
  return parameter.replace(MARK, (_match, kind: string, index: string) => {
    switch (kind) {
      case 'L':
        return literals[Number(index)] ?? '';
      case 'l':
        return (literals[Number(index)] ?? '').toLowerCase();
      case 'T':
        return values.tenantId;
      case 't':
        return values.tenantId.toLowerCase();
      case 'B':
        return values.baseUrl;
      default:
        return values.baseUrl.toLowerCase();
    }
  });
}
