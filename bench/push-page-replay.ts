import { performance } from 'node:perf_hooks';
import type { DirectoryUser } from '../src/provisioning/engine/compiled-provisioning.ts';
import { lookupGroups, orFilter } from '../src/provisioning/engine/create-user-page.ts';
import { USER_PAGE_SIZE } from '../src/provisioning/engine/user-page-handler.ts';
import { batchesOf } from '../src/targets/adapters/bulk-create.ts';
import { LOCKSTEP_PROFILE } from '../src/targets/profiles/lockstep-profile.ts';
import type { BulkCapabilities } from '../src/targets/profiles/target-profile.ts';
import {
  benchDirectoryUser,
  compileBenchProvisioning,
  createRequestSender,
  type ReplayResult,
  type ReplaySettings,
} from './push-replay.ts';
import { benchUserId } from './seed-documents.ts';

/**
 * The same requests as the engine's full push (decision 0016), built here so a plain load generator
 * can send them: the engine's own grouping (create-user-page.ts's OR-ed lookups, bulk-create.ts's
 * batches) in bulk-create.ts's envelope. The unit test runs the engine's `createUserPage` through the
 * real SCIM adapter and checks that it sends these exact bytes, so a change on either side fails there
 * rather than skewing the ratio.
 */
const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** One request of a page, relative to the SCIM base path. */
export interface PageRequest {
  readonly method: 'GET' | 'POST';
  /** `/Users?filter=…` or `/Bulk`. */
  readonly path: string;
  readonly body: string | undefined;
  /** The status a fresh target answers: 200 for both (a BulkResponse carries each create's 201). */
  readonly expected: number;
  /** Users the request is about: terms of the lookup, operations of the Bulk. */
  readonly users: number;
}

/** A page of the push on an empty target: its lookups (no user matches), then its Bulk creates. */
export interface ReplayPage {
  readonly requests: readonly PageRequest[];
}

/** What a request set holds, counted the same way for the replay and for the push (counting-proxy.ts). */
export interface RequestTally {
  readonly lookups: number;
  readonly lookupTerms: number;
  readonly bulks: number;
  readonly bulkOperations: number;
  /** Every other request, by `METHOD /path` (tokens, counts, single creates …). */
  readonly other: Readonly<Record<string, number>>;
}

/** A page of candidates: the mapped document and the matching filters of each user, in page order. */
export interface PageCandidate {
  readonly document: Record<string, unknown>;
  readonly filters: readonly string[];
}

/**
 * The requests of one page, as `createUserPage` sends them to a target with `or` and Bulk where no
 * user has an account: per matching rank, the filters OR-ed into queries of at most 100 terms and
 * 7,000 URL characters; then the documents in `POST /Bulk` batches within the target's limits.
 */
export function pageRequests(candidates: readonly PageCandidate[], bulk: BulkCapabilities): PageRequest[] {
  const requests: PageRequest[] = [];
  const ranks = Math.max(0, ...candidates.map((candidate) => candidate.filters.length));
  for (let rank = 0; rank < ranks; rank++) {
    const asked = candidates.filter((candidate) => candidate.filters[rank] !== undefined);
    for (const group of lookupGroups(asked, rank)) {
      const filter = orFilter(group, rank);
      requests.push({
        method: 'GET',
        path: `/Users?filter=${encodeURIComponent(filter)}`,
        body: undefined,
        expected: 200,
        users: group.length,
      });
    }
  }
  for (const batch of batchesOf(
    candidates.map((candidate) => candidate.document),
    bulk,
  ))
    requests.push({
      method: 'POST',
      path: '/Bulk',
      body: JSON.stringify({
        schemas: [BULK_REQUEST_SCHEMA],
        Operations: batch.map((data, index) => ({
          method: 'POST',
          path: '/Users',
          bulkId: `b${index}`,
          data,
        })),
      }),
      expected: 200,
      users: batch.length,
    });
  return requests;
}

/** A user of a page as the engine's `quickCandidate` sees it: the directory user, its mapping and filters. */
export interface BenchCandidate extends PageCandidate {
  readonly user: DirectoryUser;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/**
 * The pages of a full push of users 1..users: in the order the engine plans them (directory ids
 * ascending, as `listUserIds` reads them), `USER_PAGE_SIZE` users each, mapped by the hub's compiled
 * provisioning for the `lockstep` profile.
 */
export function* benchPages(users: number, pageSize = USER_PAGE_SIZE): Generator<BenchCandidate[]> {
  const compiled = compileBenchProvisioning();
  const order = Array.from({ length: users }, (_, index) => index + 1)
    .map((n) => ({ n, id: benchUserId(n) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let start = 0; start < order.length; start += pageSize)
    yield order.slice(start, start + pageSize).map(({ n }) => {
      const user = benchDirectoryUser(n);
      const projection = compiled.project(user, 'create');
      if (!projection.ok) throw new Error(`User ${n} does not map`);
      const matching = compiled.matchFilters(user, projection.attributes);
      if (!matching.ok) throw new Error(`User ${n} has no matching filter`);
      return {
        user,
        document: projection.document,
        attributes: projection.attributes,
        filters: matching.filters,
      };
    });
}

/** The requests of a full push of users 1..users to an empty `lockstep` target, page by page. */
export function buildPageReplay(users: number, pageSize = USER_PAGE_SIZE): ReplayPage[] {
  const capabilities = LOCKSTEP_PROFILE.capabilities;
  if (!capabilities.bulk.supported || !capabilities.filter.logicalOperators.includes('or'))
    throw new Error(
      'The lockstep profile no longer has Bulk and OR-ed lookups: the engine sends other requests',
    );
  const pages: ReplayPage[] = [];
  for (const candidates of benchPages(users, pageSize))
    pages.push({ requests: pageRequests(candidates, capabilities.bulk) });
  return pages;
}

/** Adds one request to a tally: a `GET /Users?filter=` lookup by its OR-ed terms, a `POST /Bulk` by its operations. */
export function tallyRequest(
  tally: {
    lookups: number;
    lookupTerms: number;
    bulks: number;
    bulkOperations: number;
    other: Record<string, number>;
  },
  method: string,
  path: string,
  body: string | undefined,
): void {
  const [pathname = '', query = ''] = path.split('?', 2);
  const filter = new URLSearchParams(query).get('filter');
  if (method === 'GET' && pathname.endsWith('/Users') && filter !== null) {
    tally.lookups++;
    tally.lookupTerms += filter.split(' or ').length;
    return;
  }
  if (method === 'POST' && pathname.endsWith('/Bulk')) {
    tally.bulks++;
    const operations = (JSON.parse(body ?? '{}') as { Operations?: unknown[] }).Operations;
    tally.bulkOperations += Array.isArray(operations) ? operations.length : 0;
    return;
  }
  const key = `${method} ${pathname}`;
  tally.other[key] = (tally.other[key] ?? 0) + 1;
}

export const emptyTally = () => ({ lookups: 0, lookupTerms: 0, bulks: 0, bulkOperations: 0, other: {} });

/** The tally of every request of `pages`, for comparing with what the push sent. */
export function tallyPages(pages: readonly ReplayPage[]): RequestTally {
  const tally = emptyTally();
  for (const page of pages)
    for (const request of page.requests) tallyRequest(tally, request.method, request.path, request.body);
  return tally;
}

export interface PageReplayResult extends ReplayResult {
  readonly pages: number;
  readonly requests: number;
  readonly tally: RequestTally;
}

/**
 * A plain load generator with the engine's shape: `concurrency` pages in flight at once (the engine's
 * per-target limit), each sending its lookup(s) and then its Bulk request(s) one after the other on a
 * keep-alive connection (node:http), taking the next page until every page is sent.
 */
export async function replayPages(
  pages: readonly ReplayPage[],
  settings: Omit<ReplaySettings, 'createsOnly'>,
): Promise<PageReplayResult> {
  const sender = createRequestSender(settings);
  let next = 0;
  const started = performance.now();
  const workers = Array.from({ length: settings.concurrency }, async () => {
    for (let index = next++; index < pages.length; index = next++)
      for (const request of (pages[index] as ReplayPage).requests)
        await sender.send(request.method, request.path, request.body, request.expected);
  });
  await Promise.all(workers);
  const seconds = (performance.now() - started) / 1000;
  sender.close();
  const tally = tallyPages(pages);
  return {
    users: tally.bulkOperations,
    seconds,
    usersPerSecond: tally.bulkOperations / seconds,
    statusCounts: sender.statusCounts,
    unexpected: sender.unexpected(),
    pages: pages.length,
    requests: pages.reduce((sum, page) => sum + page.requests.length, 0),
    tally,
  };
}
