import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALIBABA_RAM_PROFILE } from '../profiles/alibaba-ram-profile.ts';
import { AWS_IDENTITY_CENTER_PROFILE } from '../profiles/aws-identity-center-profile.ts';
import { GENERIC_SCIM_PROFILE } from '../profiles/generic-scim-profile.ts';
import type { TargetCapabilities } from '../profiles/target-profile.ts';
import type { ScimClient } from '../scim-client/create-scim-client.ts';
import { listAllUsers, listUsersPage, type UserPageResult } from './list-target-users.ts';

type Answer = (query: URLSearchParams) => unknown;

/** A SCIM client that answers GET /Users from `answer` and remembers every query it was sent. */
function fakeClient(answer: Answer): { client: ScimClient; queries: URLSearchParams[] } {
  const queries: URLSearchParams[] = [];
  const client: ScimClient = {
    baseUrl: 'http://target.test',
    async request(method, path) {
      assert.equal(method, 'GET');
      const url = new URL(`http://target.test${path}`);
      assert.equal(url.pathname, '/Users');
      queries.push(url.searchParams);
      return { ok: true, status: 200, body: answer(url.searchParams), headers: new Headers() };
    },
    authenticate: async () => ({ ok: true }),
  };
  return { client, queries };
}

const users = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `u${index + 1}` }));

/** An index-paged server over `all` that caps pages at `cap` and reports `total` (the truth unless given). */
function indexServer(all: { id: string }[], options: { cap?: number; total?: number } = {}): Answer {
  return (query) => {
    const start = Number(query.get('startIndex') ?? '1');
    const count = Math.min(Number(query.get('count') ?? '100'), options.cap ?? Number.POSITIVE_INFINITY);
    const page = all.slice(start - 1, start - 1 + count);
    return {
      totalResults: options.total ?? all.length,
      itemsPerPage: count,
      startIndex: start,
      Resources: page,
    };
  };
}

async function collect(client: ScimClient, capabilities: TargetCapabilities, pageSize?: number) {
  const ids: string[] = [];
  let last: UserPageResult | undefined;
  for await (const page of listAllUsers(
    (position, options) => listUsersPage(client, capabilities, position, options),
    pageSize === undefined ? {} : { pageSize },
  )) {
    last = page;
    if (page.ok) ids.push(...page.value.accounts.map((account) => account.id));
  }
  return { ids, last };
}

describe('listUsersPage / listAllUsers', () => {
  it('pages by startIndex and count within the profile limit (RAM: 100)', async () => {
    const { client, queries } = fakeClient(indexServer(users(250)));
    const { ids } = await collect(client, ALIBABA_RAM_PROFILE.capabilities, 1000);
    assert.equal(ids.length, 250);
    assert.deepEqual(new Set(ids).size, 250);
    assert.deepEqual(
      queries.map((query) => [query.get('startIndex'), query.get('count')]),
      [
        ['1', '100'],
        ['101', '100'],
        ['201', '100'],
      ],
      'a short page that totalResults agrees with ends the listing without an empty request',
    );
  });

  it('goes on past a totalResults that is too small while pages stay full', async () => {
    const { client, queries } = fakeClient(indexServer(users(25), { total: 5 }));
    const { ids } = await collect(client, ALIBABA_RAM_PROFILE.capabilities, 10);
    assert.equal(ids.length, 25);
    assert.equal(queries.length, 3);
  });

  it('ends on an empty page when totalResults is too large', async () => {
    const { client, queries } = fakeClient(indexServer(users(25), { total: 1000 }));
    const { ids, last } = await collect(client, ALIBABA_RAM_PROFILE.capabilities, 10);
    assert.equal(ids.length, 25);
    assert.ok(last?.ok);
    assert.equal(
      queries.length,
      4,
      'two full pages, one short page that totalResults disputes, one empty page',
    );
  });

  it('does not take a page the server capped (itemsPerPage) for the last one', async () => {
    const { client } = fakeClient(indexServer(users(75), { cap: 30 }));
    const { ids } = await collect(client, GENERIC_SCIM_PROFILE.capabilities, 100);
    assert.equal(ids.length, 75);
  });

  it('refuses a server that ignores startIndex instead of looping', async () => {
    const { client, queries } = fakeClient(() => ({ totalResults: 500, Resources: users(100) }));
    const { ids, last } = await collect(client, GENERIC_SCIM_PROFILE.capabilities);
    assert.equal(ids.length, 100);
    assert.ok(last !== undefined && !last.ok);
    assert.equal(last.error.kind, 'bad_response');
    assert.equal(queries.length, 2);
  });

  it('pages by cursor (AWS Identity Center: no startIndex, count at most 100)', async () => {
    const all = users(230);
    const { client, queries } = fakeClient((query) => {
      const from = Number(query.get('cursor') ?? '0');
      const count = Number(query.get('count'));
      const next = from + count;
      return {
        totalResults: 999,
        Resources: all.slice(from, next),
        ...(next < all.length ? { nextCursor: String(next) } : {}),
      };
    });
    const { ids } = await collect(client, AWS_IDENTITY_CENTER_PROFILE.capabilities, 500);
    assert.equal(ids.length, 230);
    assert.ok(queries.every((query) => query.get('startIndex') === null && query.get('count') === '100'));
    assert.deepEqual(
      queries.map((query) => query.get('cursor')),
      [null, '100', '200'],
    );
  });

  it('refuses a cursor the target gave before', async () => {
    const { client } = fakeClient(() => ({ Resources: users(2), nextCursor: 'same' }));
    const first = await listUsersPage(client, AWS_IDENTITY_CENTER_PROFILE.capabilities, { kind: 'start' });
    assert.ok(first.ok && first.value.next?.kind === 'cursor');
    const again = await listUsersPage(client, AWS_IDENTITY_CENTER_PROFILE.capabilities, first.value.next);
    assert.ok(!again.ok);
    assert.equal(again.error.kind, 'bad_response');
  });

  it('reads one page of a target without paging and says when it holds more', async () => {
    const capabilities: TargetCapabilities = {
      ...GENERIC_SCIM_PROFILE.capabilities,
      paging: { kind: 'none', maxPageSize: 100 },
    };
    const { client, queries } = fakeClient(() => ({ totalResults: 7, Resources: users(5) }));
    const page = await listUsersPage(client, capabilities, { kind: 'start' });
    assert.ok(page.ok);
    assert.equal(page.value.next, undefined);
    assert.equal(page.value.complete, false);
    assert.equal(queries[0]?.size, 0);
  });

  it('answers a malformed page as bad_response', async () => {
    for (const body of [{ Resources: 'x' }, { Resources: [{ userName: 'no id' }] }]) {
      const { client } = fakeClient(() => body);
      const page = await listUsersPage(client, GENERIC_SCIM_PROFILE.capabilities, { kind: 'start' });
      assert.ok(!page.ok);
      assert.equal(page.error.kind, 'bad_response');
    }
  });
});
