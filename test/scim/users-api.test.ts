/**
 * /Users over HTTP: create, read, replace, patch and delete as RFC 7644 §3.3–§3.6 describe them,
 * with Location, ETag / meta.version (§3.14), `attributes` / `excludedAttributes` on reads and
 * writes (§3.9), and the read-only, derived `groups` attribute (RFC 7643 §4.1.2, decision 0004).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';
import { isScimContentType } from './scim-error-assertions.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

const BJENSEN = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName: 'bjensen@example.com',
  externalId: '701984',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  displayName: 'Babs Jensen',
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  active: true,
  password: 't1meMa$heen',
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations' },
};
const patchOf = (...operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: operations });

for (const dialect of dialects) {
  describe(`/Users (${dialect.name})`, () => {
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
    let counter = 0;
    const createUser = async (overrides: Record<string, unknown> = {}) => {
      const response = await service.request('POST', 'Users', {
        body: { ...BJENSEN, userName: `user${++counter}@example.com`, ...overrides },
      });
      assert.equal(response.status, 201, response.text);
      return response;
    };

    // RFC 7644 §3.3: 201 with the resource, Location and ETag; meta set by the server; password never returned.
    it('POST creates a user: 201, Location, ETag, meta, no password', async () => {
      const response = await service.request('POST', 'Users', { body: BJENSEN });
      assert.equal(response.status, 201, response.text);
      assert.ok(isScimContentType(response));
      const user = response.body;
      assert.match(user.id, /^[0-9a-f-]{36}$/);
      assert.equal(response.headers.location, `https://scim.example.test/t/acme/scim/v2/Users/${user.id}`);
      assert.equal(user.meta.location, response.headers.location);
      assert.equal(response.headers.etag, user.meta.version);
      assert.equal(user.meta.resourceType, 'User');
      assert.equal(user.meta.created, user.meta.lastModified);
      assert.deepEqual(user.schemas, [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
      assert.equal(user.userName, 'bjensen@example.com');
      assert.deepEqual(user.name, BJENSEN.name);
      assert.deepEqual(user[ENTERPRISE_USER_SCHEMA], BJENSEN[ENTERPRISE_USER_SCHEMA]);
      assert.equal(user.password, undefined);
      assert.equal(user.groups, undefined);
    });

    // RFC 7644 §3.1: application/json is accepted as well as application/scim+json.
    it('accepts application/json and answers application/scim+json', async () => {
      const response = await service.request('POST', 'Users', {
        rawBody: JSON.stringify({ schemas: [USER_SCHEMA], userName: 'json.client' }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      assert.equal(response.status, 201, response.text);
      assert.ok(isScimContentType(response));
    });

    it('GET returns what POST returned, with the same ETag', async () => {
      const created = await createUser();
      const response = await service.request('GET', `Users/${created.body.id}`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, created.body);
      assert.equal(response.headers.etag, created.headers.etag);
      assert.equal(response.headers.location, undefined, 'Location belongs to 201 responses');
    });

    // RFC 7644 §3.5.1: PUT replaces; what is absent is removed; readOnly values sent back are ignored.
    it('PUT replaces the user and moves the version on', async () => {
      const created = await createUser();
      const { id, meta, groups: _groups, ...rest } = created.body;
      const response = await service.request('PUT', `Users/${id}`, {
        body: {
          ...rest,
          id: 'ignored',
          meta,
          displayName: 'Barbara',
          emails: undefined,
          title: 'Tour Guide',
        },
        headers: { 'if-match': created.headers.etag as string },
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.id, id);
      assert.equal(response.body.displayName, 'Barbara');
      assert.equal(response.body.title, 'Tour Guide');
      assert.equal(response.body.emails, undefined);
      assert.notEqual(response.headers.etag, created.headers.etag);
      assert.equal(response.headers.etag, response.body.meta.version);
      assert.equal(response.body.meta.created, meta.created);
      assert.ok(response.body.meta.lastModified >= meta.lastModified);
    });

    it('PUT of the same representation keeps the version', async () => {
      const created = await createUser();
      const { id, ...rest } = created.body;
      const response = await service.request('PUT', `Users/${id}`, { body: rest });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers.etag, created.headers.etag);
    });

    // RFC 7644 §3.5.2: PATCH answers 200 with the user (decision 0004), If-Match `*` matches any version.
    it('PATCH changes attributes and answers 200 with the user', async () => {
      const created = await createUser();
      const response = await service.request('PATCH', `Users/${created.body.id}`, {
        body: patchOf(
          { op: 'replace', path: 'active', value: false },
          { op: 'add', path: 'nickName', value: 'Babs' },
        ),
        headers: { 'if-match': '*' },
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.active, false);
      assert.equal(response.body.nickName, 'Babs');
      assert.notEqual(response.headers.etag, created.headers.etag);
    });

    // RFC 7644 §3.6: 204, then 404.
    it('DELETE removes the user: 204, then 404', async () => {
      const created = await createUser();
      const path = `Users/${created.body.id}`;
      const deleted = await service.request('DELETE', path, {
        headers: { 'if-match': created.headers.etag as string },
      });
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, '');
      assert.equal((await service.request('GET', path)).status, 404);
      assert.equal((await service.request('DELETE', path)).status, 404);
    });

    // RFC 7644 §3.14: If-None-Match with a version that is no longer current gets the resource.
    it('If-None-Match with a stale version answers 200', async () => {
      const created = await createUser();
      await service.request('PATCH', `Users/${created.body.id}`, {
        body: patchOf({ op: 'replace', path: 'title', value: 'x' }),
      });
      const response = await service.request('GET', `Users/${created.body.id}`, {
        headers: { 'if-none-match': created.headers.etag as string },
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.title, 'x');
    });

    // RFC 7644 §3.9 and RFC 7643 §2.2: id and schemas are always returned; the rest as asked.
    it('attributes and excludedAttributes shape GET, POST, PUT and PATCH answers', async () => {
      const created = await createUser();
      const id = created.body.id;
      const only = await service.request('GET', `Users/${id}?attributes=userName,name.givenName`);
      assert.deepEqual(only.body, {
        schemas: created.body.schemas,
        id,
        userName: created.body.userName,
        name: { givenName: 'Barbara' },
      });
      const without = await service.request(
        'GET',
        `Users/${id}?excludedAttributes=emails,${ENTERPRISE_USER_SCHEMA}`,
      );
      assert.equal(without.body.emails, undefined);
      assert.equal(without.body[ENTERPRISE_USER_SCHEMA], undefined);
      assert.equal(without.body.userName, created.body.userName);
      assert.ok(without.body.meta);
      const posted = await service.request('POST', 'Users?attributes=id', {
        body: { schemas: [USER_SCHEMA], userName: 'projected.post' },
      });
      assert.equal(posted.status, 201);
      assert.deepEqual(Object.keys(posted.body).sort(), ['id', 'schemas']);
      const patched = await service.request('PATCH', `Users/${id}?excludedAttributes=name,emails,meta`, {
        body: patchOf({ op: 'replace', path: 'title', value: 'Boss' }),
      });
      assert.equal(patched.body.title, 'Boss');
      assert.equal(patched.body.name, undefined);
      assert.equal(patched.body.meta, undefined);
      const { id: _id, meta: _meta, ...rest } = created.body;
      const put = await service.request('PUT', `Users/${id}?attributes=displayName`, {
        body: { ...rest, displayName: 'B' },
      });
      assert.deepEqual(put.body, { schemas: created.body.schemas, id, displayName: 'B' });
    });

    // RFC 7643 §4.1.2: groups lists direct memberships (type "direct"), is readOnly, follows the groups.
    it('groups shows direct memberships only and cannot be written', async () => {
      const user = await createUser();
      const id = user.body.id;
      const team = await service.request('POST', 'Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName: `Team ${id}`, members: [{ value: id }] },
      });
      const outer = await service.request('POST', 'Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName: `Outer ${id}`, members: [{ value: team.body.id }] },
      });
      assert.equal(outer.status, 201, outer.text);
      const read = await service.request('GET', `Users/${id}`);
      assert.deepEqual(read.body.groups, [
        {
          value: team.body.id,
          $ref: `https://scim.example.test/t/acme/scim/v2/Groups/${team.body.id}`,
          display: `Team ${id}`,
          type: 'direct',
        },
      ]);
      assert.equal(read.headers.etag, user.headers.etag, 'a membership change does not bump the user');
      const { id: _id, ...rest } = read.body;
      const put = await service.request('PUT', `Users/${id}`, {
        body: { ...rest, groups: [{ value: outer.body.id }] },
      });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(put.body.groups, read.body.groups, 'groups in a PUT body are ignored');
      const patched = await service.request('PATCH', `Users/${id}`, {
        body: patchOf({ op: 'add', path: 'groups', value: [{ value: outer.body.id }] }),
      });
      assert.equal(patched.status, 400);
      assert.equal(patched.body.scimType, 'mutability');
    });

    // Decision 0004: deleting a user removes its memberships and bumps those groups' versions.
    it('deleting a user removes it from its groups and bumps their versions', async () => {
      const [first, second] = [await createUser(), await createUser()];
      const group = await service.request('POST', 'Groups', {
        body: {
          schemas: [GROUP_SCHEMA],
          displayName: `Pair ${first.body.id}`,
          members: [{ value: first.body.id }, { value: second.body.id }],
        },
      });
      assert.equal((await service.request('DELETE', `Users/${first.body.id}`)).status, 204);
      const read = await service.request('GET', `Groups/${group.body.id}`);
      assert.deepEqual(
        read.body.members.map((member: { value: string }) => member.value),
        [second.body.id],
      );
      assert.notEqual(read.headers.etag, group.headers.etag);
      const remaining = await service.request('GET', `Users/${second.body.id}`);
      assert.equal(remaining.body.groups.length, 1);
    });
  });
}
