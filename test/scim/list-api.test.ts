/**
 * Listing over HTTP (RFC 7644 §3.4.2): paging with startIndex/count is stable and complete over
 * sorted and unsorted lists, sortBy orders as §3.4.2.3 says on several attributes in both orders,
 * POST /.search (§3.4.3) answers exactly as GET, and the list limits of decision 0006 hold.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ENTERPRISE_USER_SCHEMA,
  SEARCH_REQUEST_SCHEMA,
  USER_SCHEMA,
} from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

const USERS = 23;
const FAMILY_NAMES = ['Jensen', 'smith', 'Ångström', 'Zed', 'jensen', undefined] as const;
type Listed = { id: string; userName: string; [key: string]: unknown };

/** User `i`: some attributes repeat (ties), some are missing (nulls), cases and non-ASCII mixed. */
function userBody(i: number): Record<string, unknown> {
  const familyName = FAMILY_NAMES[i % FAMILY_NAMES.length];
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    userName: `${i % 2 === 0 ? 'User' : 'user'}${String(i).padStart(2, '0')}@example.com`,
    ...(i % 4 === 0 ? {} : { title: ['Engineer', 'architect', 'Director'][i % 3] }),
    ...(familyName === undefined ? {} : { name: { familyName } }),
    emails: [
      { value: `x${(i * 7) % USERS}@example.com`, type: 'work' },
      { value: `p${(i * 5) % USERS}@example.com`, primary: i % 3 !== 0 },
    ],
    active: i % 3 === 0,
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: String((i * 11) % 7) },
  };
}

/** The sort key RFC 7644 §3.4.2.3 gives a listed user for `path` (case-insensitive strings fold). */
function sortKeyOf(user: Listed, path: string): string | number | undefined {
  const enterprise = user[ENTERPRISE_USER_SCHEMA] as { employeeNumber?: string } | undefined;
  const emails = (user.emails ?? []) as { value: string; primary?: boolean }[];
  const value = {
    userName: user.userName,
    title: user.title as string | undefined,
    'name.familyName': (user.name as { familyName?: string } | undefined)?.familyName,
    emails: (emails.find((email) => email.primary === true) ?? emails[0])?.value,
    active: user.active === undefined ? undefined : Number(user.active),
    [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: enterprise?.employeeNumber,
  }[path];
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** Ascending: values in code point order, missing last; descending: the reverse, missing first. Ties keep creation order. */
function expectedOrder(users: readonly Listed[], path: string, descending: boolean): string[] {
  const compare = (a: string | number | undefined, b: string | number | undefined) => {
    if (a === b) return 0;
    if (a === undefined) return descending ? -1 : 1;
    if (b === undefined) return descending ? 1 : -1;
    const order = a < b ? -1 : 1;
    return descending ? -order : order;
  };
  return users
    .map((user, index) => ({ user, index, key: sortKeyOf(user, path) }))
    .sort((a, b) => compare(a.key, b.key) || a.index - b.index)
    .map((entry) => entry.user.id);
}

for (const dialect of dialects) {
  describe(`listing, paging, sorting and .search (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    let created: Listed[];
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage, {
        env: { LOCKSTEP_FILTER_MAX_RESULTS: '50', LOCKSTEP_DEFAULT_PAGE_SIZE: '10' },
      });
      created = [];
      for (let i = 0; i < USERS; i++) {
        const response = await service.request('POST', 'Users', { body: userBody(i) });
        assert.equal(response.status, 201, response.text);
        created.push(response.body);
      }
    });
    after(async () => {
      await service.close();
      await storage.close();
    });

    /** Walks every page of `query` with `count` per page; returns the ids in page order. */
    const walk = async (query: string, count: number) => {
      const ids: string[] = [];
      for (let startIndex = 1; ; startIndex += count) {
        const page = await service.request('GET', `Users?${query}&startIndex=${startIndex}&count=${count}`);
        assert.equal(page.status, 200, page.text);
        assert.equal(page.body.totalResults, USERS);
        assert.equal(page.body.startIndex, startIndex);
        assert.equal(page.body.itemsPerPage, page.body.Resources.length);
        ids.push(...page.body.Resources.map((user: Listed) => user.id));
        if (startIndex + count > USERS) {
          assert.equal(page.body.Resources.length, USERS - startIndex + 1);
          return ids;
        }
        assert.equal(page.body.Resources.length, count);
      }
    };

    it('pages through an unsorted list completely, without duplicates, in a stable order', async () => {
      const all = created.map((user) => user.id);
      for (const count of [1, 4, 7, 23]) {
        const ids = await walk('filter=userName%20pr', count);
        assert.equal(new Set(ids).size, ids.length, `duplicates with count=${count}`);
        assert.deepEqual(ids, all, `count=${count}`);
      }
    });

    it('pages through sorted lists completely and in order', async () => {
      for (const [path, descending, count] of [
        ['title', false, 5],
        ['name.familyName', true, 6],
        ['userName', true, 4],
      ] as const) {
        const query = `sortBy=${encodeURIComponent(path)}&sortOrder=${descending ? 'descending' : 'ascending'}`;
        const ids = await walk(query, count);
        assert.deepEqual(ids, expectedOrder(created, path, descending), `${query}, count=${count}`);
      }
    });

    // RFC 7644 §3.4.2.3: caseExact=false strings order case-insensitively; multi-valued attributes
    // by the primary value, else the first; booleans false before true. Missing values last ascending.
    it('sorts by several attributes in both orders', async () => {
      const paths = [
        'userName',
        'title',
        'name.familyName',
        'emails',
        'active',
        `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
      ];
      for (const path of paths) {
        for (const descending of [false, true]) {
          const response = await service.request(
            'GET',
            `Users?sortBy=${encodeURIComponent(path)}&sortOrder=${descending ? 'descending' : 'ascending'}&count=50`,
          );
          assert.equal(response.status, 200, response.text);
          const ids = response.body.Resources.map((user: Listed) => user.id);
          assert.deepEqual(
            ids,
            expectedOrder(created, path, descending),
            `sortBy=${path} ${descending ? 'descending' : 'ascending'}`,
          );
        }
      }
      // sortOrder without sortBy changes nothing; sortBy alone is ascending.
      const plain = await service.request('GET', 'Users?count=50&sortOrder=descending');
      assert.deepEqual(
        plain.body.Resources.map((user: Listed) => user.id),
        created.map((user) => user.id),
      );
    });

    // RFC 7644 §3.4.3: a SearchRequest takes the same parameters as GET and answers the same.
    it('POST /.search answers exactly as the equivalent GET', async () => {
      const parameters = {
        filter: 'title pr and emails.value ew "example.com"',
        sortBy: 'name.familyName',
        sortOrder: 'descending',
        startIndex: 3,
        count: 5,
      };
      const get = await service.request(
        'GET',
        `Users?${Object.entries({ ...parameters, attributes: 'userName,name' })
          .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
          .join('&')}`,
      );
      const search = await service.request('POST', 'Users/.search', {
        body: { schemas: [SEARCH_REQUEST_SCHEMA], ...parameters, attributes: ['userName', 'name'] },
      });
      assert.equal(get.status, 200, get.text);
      assert.equal(search.status, 200, search.text);
      assert.deepEqual(search.body, get.body);
      assert.equal(get.body.Resources.length, 5);
      for (const user of get.body.Resources as Listed[]) {
        assert.deepEqual(
          Object.keys(user).filter((key) => !['id', 'name', 'schemas', 'userName'].includes(key)),
          [],
        );
      }
      assert.ok(get.body.Resources.some((user: Listed) => user.name !== undefined));
    });

    // RFC 7644 §3.4.2.4 and decision 0006: count=0 gives only totalResults, counts above maxResults
    // are lowered, no count means the default page size, startIndex past the end is an empty page.
    it('applies count, maxResults, the default page size and startIndex as documented', async () => {
      const none = await service.request('GET', 'Users?count=0');
      assert.equal(none.body.totalResults, USERS);
      assert.deepEqual(none.body.Resources, []);
      const capped = await service.request('POST', 'Users/.search', {
        body: { schemas: [SEARCH_REQUEST_SCHEMA], count: 1000, filter: 'userName pr' },
      });
      assert.equal(capped.body.Resources.length, USERS);
      const byDefault = await service.request('GET', 'Users');
      assert.equal(byDefault.body.itemsPerPage, 10);
      const past = await service.request('GET', 'Users?startIndex=100');
      assert.equal(past.body.totalResults, USERS);
      assert.deepEqual(past.body.Resources, []);
      const filtered = await service.request(
        'GET',
        `Users?filter=${encodeURIComponent('active eq true')}&count=2`,
      );
      assert.equal(filtered.body.totalResults, created.filter((user) => user.active === true).length);
      assert.equal(filtered.body.Resources.length, 2);
    });

    // Regressions: each of these answered 500 on PostgreSQL (an untyped constant in the SQL).
    it('sorts by schemas, and filters on schemas and meta.resourceType, on every dialect', async () => {
      const sorted = await service.request('GET', 'Users?sortBy=schemas&count=50');
      assert.equal(sorted.status, 200, sorted.text);
      assert.deepEqual(
        sorted.body.Resources.map((user: Listed) => user.id),
        created.map((user) => user.id),
      );
      for (const filter of [
        'schemas pr',
        `schemas eq "${ENTERPRISE_USER_SCHEMA}"`,
        'meta.resourceType eq "User"',
        'meta.resourceType pr',
      ]) {
        const response = await service.request('GET', `Users?filter=${encodeURIComponent(filter)}&count=0`);
        assert.equal(response.status, 200, `${filter}: ${response.text}`);
        assert.equal(response.body.totalResults, USERS, filter);
      }
    });
  });
}
