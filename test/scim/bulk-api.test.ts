/**
 * /Bulk over HTTP (RFC 7644 §3.7): bulkId references between operations, the circular groups of
 * §3.7.2, failOnErrors (§3.7.3), an operation that references a failed POST (409), and PUT, PATCH
 * and DELETE with a version.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BULK_REQUEST_SCHEMA,
  BULK_RESPONSE_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

const BASE = 'https://scim.example.test/t/acme/scim/v2';
type OperationResult = {
  method: string;
  bulkId?: string;
  location?: string;
  version?: string;
  status: string;
  response?: { scimType?: string; detail: string };
};
const idFrom = (location: string | undefined) =>
  String(location).slice(String(location).lastIndexOf('/') + 1);

for (const dialect of dialects) {
  describe(`/Bulk (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
    });
    after(async () => {
      await service.close();
      await storage.close();
    });
    const bulk = async (operations: unknown[], failOnErrors?: number): Promise<OperationResult[]> => {
      const response = await service.request('POST', 'Bulk', {
        body: {
          schemas: [BULK_REQUEST_SCHEMA],
          ...(failOnErrors !== undefined ? { failOnErrors } : {}),
          Operations: operations,
        },
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.schemas, [BULK_RESPONSE_SCHEMA]);
      return response.body.Operations;
    };
    const members = async (groupId: string) =>
      ((await service.request('GET', `Groups/${groupId}`)).body.members ?? []).map(
        (member: { value: string; type: string }) => `${member.type}:${member.value}`,
      );

    // RFC 7644 §3.7.2: "bulkId:qwerty" in data is replaced by the id of the resource created for it.
    it('creates a user, then a group with that user as member, by bulkId', async () => {
      const results = await bulk([
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'qwerty',
          data: { schemas: [USER_SCHEMA], userName: 'Alice' },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'ytrewq',
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: 'Tour Guides',
            members: [{ type: 'User', value: 'bulkId:qwerty' }],
          },
        },
      ]);
      assert.deepEqual(
        results.map((result) => [result.method, result.bulkId, result.status]),
        [
          ['POST', 'qwerty', '201'],
          ['POST', 'ytrewq', '201'],
        ],
      );
      const [user, group] = results;
      assert.match(String(user?.location), new RegExp(`^${BASE}/Users/[0-9a-f-]{36}$`));
      assert.equal(user?.version, 'W/"1"');
      assert.deepEqual(await members(idFrom(group?.location)), [`User:${idFrom(user?.location)}`]);
    });

    // A reference to a POST later in the request waits for it.
    it('resolves a reference to a later POST', async () => {
      const results = await bulk([
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g',
          data: { schemas: [GROUP_SCHEMA], displayName: 'Later', members: [{ value: 'bulkId:u' }] },
        },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'u',
          data: { schemas: [USER_SCHEMA], userName: 'later.user' },
        },
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['201', '201'],
      );
      assert.deepEqual(await members(idFrom(results[0]?.location)), [`User:${idFrom(results[1]?.location)}`]);
    });

    // RFC 7644 §3.7.2's example: two groups that contain each other, created in one request.
    it("creates RFC 7644 §3.7.2's circular groups", async () => {
      const results = await bulk([
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'qwerty',
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: 'Group A',
            members: [{ type: 'Group', value: 'bulkId:ytrewq' }],
          },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'ytrewq',
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: 'Group B',
            members: [{ type: 'Group', value: 'bulkId:qwerty' }],
          },
        },
      ]);
      assert.deepEqual(
        results.map((result) => [result.bulkId, result.status]),
        [
          ['qwerty', '201'],
          ['ytrewq', '201'],
        ],
      );
      const [a, b] = results.map((result) => idFrom(result.location));
      assert.deepEqual(await members(String(a)), [`Group:${b}`]);
      assert.deepEqual(await members(String(b)), [`Group:${a}`]);
      const read = await service.request('GET', `Groups/${a}`);
      assert.equal(
        results[0]?.version,
        read.headers.etag,
        'the version reported is the group after its members were added',
      );
    });

    // RFC 7644 §3.7.3: after failOnErrors errors the rest is not run and not reported.
    it('stops after failOnErrors errors', async () => {
      const results = await bulk(
        [
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'ok',
            data: { schemas: [USER_SCHEMA], userName: 'first.ok' },
          },
          { method: 'POST', path: '/Users', bulkId: 'bad1', data: { schemas: [USER_SCHEMA] } },
          { method: 'DELETE', path: '/Users/no-such-user' },
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'never',
            data: { schemas: [USER_SCHEMA], userName: 'never.created' },
          },
        ],
        2,
      );
      assert.deepEqual(
        results.map((result) => result.status),
        ['201', '400', '404'],
      );
      assert.equal(results[1]?.response?.scimType, 'invalidValue');
      const never = await service.request(
        'GET',
        `Users?filter=${encodeURIComponent('userName eq "never.created"')}`,
      );
      assert.equal(never.body.totalResults, 0);
    });

    it('runs every operation without failOnErrors, reporting each failure', async () => {
      const results = await bulk([
        { method: 'POST', path: '/Users', bulkId: 'x1', data: { schemas: [USER_SCHEMA] } },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'x2',
          data: { schemas: [USER_SCHEMA], userName: 'after.failure' },
        },
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['400', '201'],
      );
    });

    // RFC 7644 §3.7.2–§3.7.3: an operation whose bulkId reference cannot be resolved fails with 409.
    it('fails an operation that references a failed POST with 409', async () => {
      const results = await bulk([
        { method: 'POST', path: '/Users', bulkId: 'broken', data: { schemas: [USER_SCHEMA], userName: 5 } },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'dependent',
          data: { schemas: [GROUP_SCHEMA], displayName: 'Depends', members: [{ value: 'bulkId:broken' }] },
        },
        {
          method: 'PATCH',
          path: '/Groups/bulkId:dependent',
          data: {
            schemas: [PATCH_OP_SCHEMA],
            Operations: [{ op: 'replace', path: 'displayName', value: 'x' }],
          },
        },
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['400', '409', '409'],
      );
      assert.match(String(results[1]?.response?.detail), /bulkId "broken"/);
      const depends = await service.request(
        'GET',
        `Groups?filter=${encodeURIComponent('displayName eq "Depends"')}`,
      );
      assert.equal(depends.body.totalResults, 0);
    });

    // RFC 7644 §3.7: PUT, PATCH and DELETE take the resource path and, optionally, its version.
    it('replaces, patches and deletes with versions', async () => {
      const [created] = await bulk([
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'v',
          data: { schemas: [USER_SCHEMA], userName: 'versioned' },
        },
      ]);
      const path = `/Users/${idFrom(created?.location)}`;
      const results = await bulk([
        {
          method: 'PUT',
          path,
          version: created?.version,
          data: { schemas: [USER_SCHEMA], userName: 'versioned', title: 'One' },
        },
        {
          method: 'PATCH',
          path,
          data: { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'Two' }] },
        },
        { method: 'DELETE', path, version: 'W/"3"' },
      ]);
      assert.deepEqual(
        results.map((result) => [result.method, result.status, result.version]),
        [
          ['PUT', '200', 'W/"2"'],
          ['PATCH', '200', 'W/"3"'],
          ['DELETE', '204', undefined],
        ],
      );
      assert.equal(results[0]?.location, `${BASE}${path}`);
      assert.equal((await service.request('GET', path.slice(1))).status, 404);
    });
  });
}
