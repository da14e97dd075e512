/**
 * The same-requests replay sends what the engine sends: each page's requests are compared byte for
 * byte with what `createUserPage` (the engine's quick create of a full-push page) sends through the
 * real SCIM adapter and client to an empty target.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompiledProvisioning } from '../src/provisioning/engine/compiled-provisioning.ts';
import { createUserPage } from '../src/provisioning/engine/create-user-page.ts';
import type { ReconcileContext } from '../src/provisioning/engine/reconcile-outcome.ts';
import { createScimTargetAdapter } from '../src/targets/adapters/scim-target-adapter.ts';
import { LOCKSTEP_PROFILE } from '../src/targets/profiles/lockstep-profile.ts';
import type { BulkCapabilities } from '../src/targets/profiles/target-profile.ts';
import { createScimClient } from '../src/targets/scim-client/create-scim-client.ts';
import {
  type BenchCandidate,
  benchPages,
  buildPageReplay,
  emptyTally,
  type PageRequest,
  pageRequests,
  tallyPages,
  tallyRequest,
} from './push-page-replay.ts';
import { benchUserId } from './seed-documents.ts';

const BASE = 'http://127.0.0.1:9/t/replay/scim/v2';

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly body: string | undefined;
}

/** An empty target behind a fake `fetch`: lookups find nothing, every Bulk create succeeds. */
function emptyTarget() {
  const sent: Sent[] = [];
  let next = 1;
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? init.body : undefined;
    sent.push({ method, path: url.slice(BASE.length), body });
    const answer =
      method === 'GET'
        ? { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }
        : {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
            Operations: (JSON.parse(body ?? '{}') as { Operations: { bulkId: string }[] }).Operations.map(
              (operation) => ({
                method: 'POST',
                bulkId: operation.bulkId,
                status: '201',
                location: `${BASE}/Users/acc-${next++}`,
              }),
            ),
          };
    return new Response(JSON.stringify(answer), {
      status: 200,
      headers: { 'content-type': 'application/scim+json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

/** What the engine's page sends for `candidates` to an empty target with these Bulk limits. */
async function engineRequests(
  candidates: readonly BenchCandidate[],
  bulk: BulkCapabilities = LOCKSTEP_PROFILE.capabilities.bulk,
): Promise<Sent[]> {
  const target = emptyTarget();
  const client = createScimClient(
    { baseUrl: BASE, authentication: { kind: 'bearer', token: 'bench' } },
    { fetch: target.fetch },
  );
  const adapter = createScimTargetAdapter(client, { ...LOCKSTEP_PROFILE.capabilities, bulk });
  const context = {
    provisioning: { id: 'prv', tenantId: 'bench', targetId: 'tgt' } as CompiledProvisioning,
    adapter,
    log: { record: async () => undefined },
    runId: 'run',
    attempt: 1,
    maxAttempts: 10,
  } as unknown as ReconcileContext;
  const outcome = await createUserPage(
    context,
    candidates.map((candidate) => ({ ...candidate, started: performance.now() })),
    { batchLookups: true, bulk: true, signal: new AbortController().signal, markCreating: async () => {} },
  );
  assert.equal(outcome.delegated.length, 0);
  assert.equal(outcome.links.length, candidates.length, 'the engine created every user of the page');
  return target.sent;
}

const asSent = (requests: readonly PageRequest[]): Sent[] =>
  requests.map(({ method, path, body }) => ({ method, path, body }));

describe('the same-requests replay', () => {
  it('sends, page by page, the bytes the engine sends for the bench users', async () => {
    const pages = [...benchPages(600)];
    const replay = buildPageReplay(600);
    assert.equal(replay.length, 3);
    for (const [index, candidates] of pages.entries())
      assert.deepEqual(asSent(replay[index]?.requests ?? []), await engineRequests(candidates));
    // Pages of 250 users (USER_PAGE_SIZE): OR-ed lookups of at most 100 terms, then one Bulk.
    assert.deepEqual(
      replay.map((page) => page.requests.map((request) => `${request.method} ${request.users}`)),
      [
        ['GET 100', 'GET 100', 'GET 50', 'POST 250'],
        ['GET 100', 'GET 100', 'GET 50', 'POST 250'],
        ['GET 100', 'POST 100'],
      ],
    );
  });

  it('pages the users in directory id order, each once', () => {
    const ids = [...benchPages(250)].flat().map((candidate) => candidate.user.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.deepEqual(
      new Set(ids),
      new Set(Array.from({ length: 250 }, (_, index) => benchUserId(index + 1))),
    );
  });

  it('splits long lookups, asks every matching rank and cuts Bulk requests as the engine does', async () => {
    const candidates: BenchCandidate[] = Array.from({ length: 30 }, (_, index) => {
      // About 250 URL characters a term: 28 fit in one 7,000-character lookup.
      const userName = `${'x'.repeat(200)}${index}@example.com`;
      const id = `u${index}`;
      return {
        user: { id, doc: { id, userName }, groupIds: [] },
        document: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName },
        attributes: { userName },
        filters:
          index % 2 === 0
            ? [`userName eq "${userName}"`, `externalId eq "${id}"`]
            : [`userName eq "${userName}"`],
      };
    });
    const bulk = { supported: true, maxOperations: 7, maxPayloadSize: 1024 * 1024 };
    const requests = pageRequests(candidates, bulk);
    assert.deepEqual(asSent(requests), await engineRequests(candidates, bulk));
    assert.deepEqual(
      requests.map((request) => `${request.method} ${request.users}`),
      ['GET 28', 'GET 2', 'GET 15', 'POST 7', 'POST 7', 'POST 7', 'POST 7', 'POST 2'],
    );
  });

  it('tallies lookups by their terms and Bulk requests by their operations', () => {
    const tally = tallyPages(buildPageReplay(600));
    assert.deepEqual(tally, { lookups: 7, lookupTerms: 600, bulks: 3, bulkOperations: 600, other: {} });
    const other = emptyTally();
    tallyRequest(other, 'POST', '/Users', '{}');
    tallyRequest(other, 'GET', '/Users?count=1', undefined);
    assert.deepEqual(other.other, { 'POST /Users': 1, 'GET /Users': 1 });
  });
});
