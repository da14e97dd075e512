import { RamScimError } from './scim-error-reply.ts';

/**
 * `count` when the client gives none: the RAM guide's list example answers `itemsPerPage: 30`.
 * The largest page is *unverified*; 100 is what Alibaba's other SCIM servers (CloudSSO, IDaaS) allow.
 */
export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;

export interface Paging {
  /** 1-based. */
  startIndex: number;
  count: number;
}

/**
 * `startIndex` below 1 counts as 1 and a negative `count` as 0 (RFC 7644 §3.4.2.4); a `count` above
 * the largest page is lowered to it; anything that is not an integer is 400 `invalidValue`.
 */
export function parsePaging(
  query: Readonly<Record<string, unknown>>,
  limits: { defaultPageSize: number; maxPageSize: number },
): Paging {
  const startIndex = parseInteger(query.startIndex, 'startIndex') ?? 1;
  const count = parseInteger(query.count, 'count') ?? limits.defaultPageSize;
  return { startIndex: Math.max(1, startIndex), count: Math.min(Math.max(0, count), limits.maxPageSize) };
}

function parseInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[+-]?\d{1,9}$/.test(value.trim())) {
    throw new RamScimError(400, `${name} must be an integer (got ${JSON.stringify(value)})`, 'invalidValue');
  }
  return Number.parseInt(value, 10);
}
