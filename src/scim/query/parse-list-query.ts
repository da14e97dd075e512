import type { ResourceQuery } from '../../directory/sql/query-resources.ts';
import { badRequest } from '../errors.ts';
import type { AttributePath, Filter } from '../filter/filter-ast.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import { parsePatchPath } from '../filter/parse-patch-path.ts';
import { resolveFilter } from '../filter/resolve-filter.ts';
import { parseAttributeList } from '../resource/parse-attribute-list.ts';
import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { resolveAttribute } from '../schema/schema-registry.ts';

/** Query parameters (GET) or SearchRequest members (POST /.search), not yet validated. */
export interface ListParameters {
  readonly filter?: unknown;
  readonly sortBy?: unknown;
  readonly sortOrder?: unknown;
  readonly startIndex?: unknown;
  readonly count?: unknown;
  readonly attributes?: unknown;
  readonly excludedAttributes?: unknown;
}

export interface Projection {
  readonly attributes?: string[];
  readonly excludedAttributes?: string[];
}

export interface ListQuery {
  readonly query: ResourceQuery;
  /** 1-based, as echoed in the ListResponse. */
  readonly startIndex: number;
  readonly projection: Projection;
}

export interface ListLimits {
  /** `count` when the client sends none. */
  readonly defaultCount: number;
  /** ServiceProviderConfig `filter.maxResults`: larger counts are lowered to it (RFC 7644 §3.4.2.4). */
  readonly maxResults: number;
}

/** Validates list parameters into a resolved query. @see RFC 7644 §3.4.2 */
export function parseListQuery(
  resourceType: ResourceTypeDefinition,
  parameters: ListParameters,
  limits: ListLimits,
): ListQuery {
  const filterText = optionalString('filter', parameters.filter);
  const filter =
    filterText === undefined || filterText.trim() === ''
      ? undefined
      : resolveFilter(assertNoNulLiteral(parseFilter(filterText)), resourceType);
  const sortBy = parseSortBy(resourceType, optionalString('sortBy', parameters.sortBy));
  const sortOrder = optionalString('sortOrder', parameters.sortOrder)?.toLowerCase();
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw badRequest('invalidValue', `sortOrder must be "ascending" or "descending", not "${sortOrder}"`);
  }
  // "A value less than 1 SHALL be interpreted as 1"; "A negative value SHALL be interpreted as 0".
  const startIndex = Math.max(1, optionalInteger('startIndex', parameters.startIndex) ?? 1);
  const requested = optionalInteger('count', parameters.count);
  const count =
    requested === undefined ? limits.defaultCount : Math.min(Math.max(0, requested), limits.maxResults);
  const query: ResourceQuery = {
    ...(filter !== undefined ? { filter } : {}),
    ...(sortBy !== undefined ? { sortBy } : {}),
    descending: sortOrder === 'descending',
    offset: startIndex - 1,
    limit: count,
  };
  return { query, startIndex, projection: parseProjection(parameters) };
}

/** `attributes` / `excludedAttributes` from a query string (comma-separated) or a SearchRequest (array). */
export function parseProjection(
  parameters: Pick<ListParameters, 'attributes' | 'excludedAttributes'>,
): Projection {
  const attributes = attributeList('attributes', parameters.attributes);
  const excludedAttributes = attributeList('excludedAttributes', parameters.excludedAttributes);
  return {
    ...(attributes !== undefined ? { attributes } : {}),
    ...(excludedAttributes !== undefined ? { excludedAttributes } : {}),
  };
}

function attributeList(name: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return parseAttributeList(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.flatMap((item) => parseAttributeList(item));
  }
  throw badRequest('invalidValue', `${name} must be a comma-separated string or an array of strings`);
}

/**
 * Refuses a string literal holding U+0000 (written `\u0000` in the filter): no stored value can hold
 * it (request bodies with it are refused, PostgreSQL text cannot store it), and PostgreSQL cannot
 * take it as a query parameter either.
 */
function assertNoNulLiteral(filter: Filter): Filter {
  const pending: Filter[] = [filter];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.kind === 'compare' && typeof next.value === 'string' && next.value.includes('\u0000')) {
      throw badRequest(
        'invalidFilter',
        'Invalid filter: a string literal contains U+0000 (NUL), which is not accepted',
      );
    }
    if (next.kind === 'and' || next.kind === 'or') pending.push(next.left, next.right);
    else if (next.kind === 'not' || next.kind === 'valuePath') pending.push(next.filter);
  }
  return filter;
}

function parseSortBy(
  resourceType: ResourceTypeDefinition,
  text: string | undefined,
): AttributePath | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let path: ReturnType<typeof parsePatchPath>;
  try {
    path = parsePatchPath(text.trim());
  } catch {
    throw badRequest('invalidValue', `sortBy "${text}" is not an attribute path`);
  }
  const resolved = path.filter === undefined ? resolveAttribute(resourceType, path.attribute) : undefined;
  if (resolved === undefined || resolved.definition.returned === 'never') {
    throw badRequest('invalidValue', `sortBy "${text}" is not a sortable attribute of ${resourceType.name}`);
  }
  const leaf = resolved.subDefinition ?? resolved.definition;
  if (leaf.type === 'complex' && !leaf.multiValued) {
    throw badRequest(
      'invalidValue',
      `sortBy "${text}" names a complex attribute; name one of its sub-attributes`,
    );
  }
  return resolved.path;
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  assertGivenOnce(name, value);
  if (typeof value !== 'string') throw badRequest('invalidValue', `${name} must be a string`);
  return value;
}

function optionalInteger(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  assertGivenOnce(name, value);
  const number = typeof value === 'string' && /^[+-]?\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw badRequest('invalidValue', `${name} must be an integer`);
  }
  return number;
}

/** A query parameter repeated (`?filter=a&filter=b`) arrives as an array: which one was meant is unknowable. */
function assertGivenOnce(name: string, value: unknown): void {
  if (Array.isArray(value)) throw badRequest('invalidValue', `${name} must be given once, as a single value`);
}
