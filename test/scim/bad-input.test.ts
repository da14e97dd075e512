/**
 * The bad-input suite: every request a client can get wrong is answered with the precise RFC 7644
 * §3.12 error (status, scimType, a detail naming the problem, application/scim+json), and leaves
 * the store byte-for-byte as it was. The cases live in `bad-input/`, one table per area.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GROUP_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';
import type { BadInputCase, Fixture } from './bad-input/bad-input-case.ts';
import { BODY_CASES } from './bad-input/body-cases.ts';
import { QUERY_CASES } from './bad-input/query-cases.ts';
import { WRITE_CASES } from './bad-input/write-cases.ts';
import { assertScimError } from './scim-error-assertions.ts';
import { snapshotStore } from './store-snapshot.ts';

const LIMITS = {
  LOCKSTEP_BODY_LIMIT_BYTES: '2048',
  LOCKSTEP_BULK_MAX_PAYLOAD_BYTES: '4096',
  LOCKSTEP_BULK_MAX_OPERATIONS: '2',
};

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

/** The users and groups the cases refer to, created through the API. */
async function createFixture(service: TestService, limited: TestService): Promise<Fixture> {
  const created = async (path: string, body: unknown) => {
    const response = await service.request('POST', path, { body });
    assert.equal(response.status, 201, response.text);
    return response;
  };
  const user = await created('Users', {
    schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName: 'bjensen@example.com',
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '701984' },
  });
  const other = await created('Users', { schemas: [USER_SCHEMA], userName: 'ÄNNE@example.com' });
  const group = await created('Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: 'Admins',
    members: [{ value: user.body.id }],
  });
  const otherGroup = await created('Groups', { schemas: [GROUP_SCHEMA], displayName: 'Staff' });
  const foreign = await limited.request('POST', 'Users', {
    body: { schemas: [USER_SCHEMA], userName: 'foreign.user' },
  });
  assert.equal(foreign.status, 201, foreign.text);
  return {
    userId: user.body.id,
    userEtag: String(user.headers.etag),
    otherUserId: other.body.id,
    groupId: group.body.id,
    groupEtag: String(group.headers.etag),
    otherGroupId: otherGroup.body.id,
    foreignToken: limited.token,
    foreignUserId: foreign.body.id,
  };
}

for (const dialect of dialects) {
  describe(`bad input gets a precise SCIM error and changes nothing (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    let limited: TestService;
    let fixture: Fixture;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
      limited = await createTestService(storage, { tenantId: 'limited', env: LIMITS });
      fixture = await createFixture(service, limited);
    });
    after(async () => {
      await service.close();
      await limited.close();
      await storage.close();
    });

    const run = async (badInput: BadInputCase) => {
      const { method, path, options } = badInput.request(fixture);
      const before = await snapshotStore(storage);
      const response = await (badInput.limited === true ? limited : service).request(method, path, options);
      assertScimError(response, badInput.expected);
      badInput.check?.(response);
      assert.equal(await snapshotStore(storage), before, 'the store changed');
    };

    for (const [area, cases] of [
      ['bodies', BODY_CASES],
      ['queries, URLs and authentication', QUERY_CASES],
      ['writes: PATCH, PUT, ETags, uniqueness, members, limits', WRITE_CASES],
    ] as const) {
      describe(area, () => {
        for (const badInput of cases) it(badInput.name, () => run(badInput));
      });
    }

    // The snapshot must see a change when there is one, or every "unchanged" above proves nothing.
    it('the store snapshot sees a successful write', async () => {
      const before = await snapshotStore(storage);
      const response = await service.request('PATCH', `Groups/${fixture.otherGroupId}`, {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'displayName', value: 'Staff Room' }],
        },
      });
      assert.equal(response.status, 204, response.text);
      assert.notEqual(await snapshotStore(storage), before);
    });

    // RFC 7644 §3.14: "If-None-Match" naming the current version → 304 Not Modified, no body.
    it('If-None-Match with the current version answers 304 without a body', async () => {
      const before = await snapshotStore(storage);
      const response = await service.request('GET', `Users/${fixture.userId}`, {
        headers: { 'if-none-match': fixture.userEtag },
      });
      assert.equal(response.status, 304);
      assert.equal(response.text, '');
      assert.equal(response.headers.etag, fixture.userEtag);
      assert.equal(await snapshotStore(storage), before);
    });

    // RFC 7644 §3.7.3: a failed operation is reported in the BulkResponse (200), with its own error.
    it('a Bulk POST of a duplicate userName fails alone with 409 uniqueness', async () => {
      const before = await snapshotStore(storage);
      const response = await service.request('POST', 'Bulk', {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [
            {
              method: 'POST',
              path: '/Users',
              bulkId: 'dup',
              data: { schemas: [USER_SCHEMA], userName: 'BJensen@Example.COM' },
            },
          ],
        },
      });
      assert.equal(response.status, 200, response.text);
      const [operation] = response.body.Operations;
      assert.equal(operation.status, '409');
      assert.equal(operation.response.scimType, 'uniqueness');
      assert.match(operation.response.detail, /already taken/);
      assert.equal(await snapshotStore(storage), before);
    });

    // RFC 7644 §3.7: a Bulk operation carries its ETag in "version"; a stale one fails that operation with 412.
    it('a Bulk operation with a stale version fails alone with 412', async () => {
      const before = await snapshotStore(storage);
      const response = await service.request('POST', 'Bulk', {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [{ method: 'DELETE', path: `/Users/${fixture.userId}`, version: 'W/"999"' }],
        },
      });
      assert.equal(response.status, 200, response.text);
      const [operation] = response.body.Operations;
      assert.equal(operation.status, '412');
      assert.match(operation.response.detail, /Precondition failed/);
      assert.equal(await snapshotStore(storage), before);
    });

    // The two limits are separate: /Bulk takes bodies up to its maxPayloadSize even above the general limit.
    it("Bulk's maxPayloadSize, not the general body limit, governs /Bulk", async () => {
      const response = await limited.request('POST', 'Bulk', {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [
            {
              method: 'POST',
              path: '/Users',
              bulkId: 'big',
              data: { schemas: [USER_SCHEMA], userName: 'big.user', title: 'x'.repeat(3000) },
            },
          ],
        },
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.Operations[0].status, '201');
    });
  });
}
