/**
 * /Groups over HTTP: CRUD with members as RFC 7643 §4.2 and RFC 7644 §3.3–§3.6 describe them;
 * membership PATCH answering 204 (decision 0004), PUT replacing the member list, nested groups,
 * ETags, and the group filters clients use (RFC 7644 §3.4.2.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

const BASE = 'https://scim.example.test/t/acme/scim/v2';
const patchOf = (...operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: operations });
const valuesOf = (group: { members?: { value: string }[] }) =>
  (group.members ?? []).map((member) => member.value).sort();

for (const dialect of dialects) {
  describe(`/Groups (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    /** Barbara Jensen, John Smith, Ann Lee. */
    let users: { id: string; userName: string; displayName: string }[];
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
      users = [];
      for (const [userName, displayName] of [
        ['bjensen', 'Barbara Jensen'],
        ['jsmith', 'John Smith'],
        ['alee', 'Ann Lee'],
      ] as const) {
        const response = await service.request('POST', 'Users', {
          body: { schemas: [USER_SCHEMA], userName, displayName },
        });
        users.push({ id: response.body.id, userName, displayName });
      }
    });
    after(async () => {
      await service.close();
      await storage.close();
    });
    const createGroup = async (displayName: string, members: { value: string; type?: string }[] = []) => {
      const response = await service.request('POST', 'Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName, members },
      });
      assert.equal(response.status, 201, response.text);
      return response;
    };
    const user = (index: number) => users[index]!;

    it('a PATCH that changes nothing keeps the version; one that does bumps it', async () => {
      const group = (await createGroup('Idempotent', [{ value: user(0).id }])).body;
      const versionOf = async () => (await service.request('GET', `Groups/${group.id}`)).headers.etag;
      const patch = (operation: unknown) =>
        service.request('PATCH', `Groups/${group.id}`, { body: patchOf(operation) });
      const initial = await versionOf();
      assert.equal((await patch({ op: 'add', path: 'members', value: [{ value: user(0).id }] })).status, 204);
      assert.equal(await versionOf(), initial, 're-adding a member changes nothing');
      assert.equal((await patch({ op: 'remove', path: `members[value eq "${user(2).id}"]` })).status, 204);
      assert.equal(await versionOf(), initial, 'removing a non-member changes nothing');
      assert.equal((await patch({ op: 'replace', path: 'displayName', value: 'Idempotent' })).status, 204);
      assert.equal(await versionOf(), initial, 'setting the same name changes nothing');
      assert.equal((await patch({ op: 'add', path: 'members', value: [{ value: user(1).id }] })).status, 204);
      assert.notEqual(await versionOf(), initial);
    });

    // RFC 7643 §4.2: members carry value, $ref, type; display is the server's (decision 0004).
    it('POST creates a group with members: 201, Location, ETag', async () => {
      const response = await createGroup('Tour Guides', [
        { value: user(0).id },
        { value: user(1).id, type: 'User' },
      ]);
      const group = response.body;
      assert.equal(response.headers.location, `${BASE}/Groups/${group.id}`);
      assert.equal(response.headers.etag, group.meta.version);
      assert.equal(group.meta.resourceType, 'Group');
      assert.deepEqual(
        [...group.members].sort((a: { value: string }, b: { value: string }) =>
          a.value.localeCompare(b.value),
        ),
        [user(0), user(1)]
          .map((u) => ({ value: u.id, $ref: `${BASE}/Users/${u.id}`, type: 'User', display: u.displayName }))
          .sort((a, b) => a.value.localeCompare(b.value)),
      );
    });

    it('GET returns the group; excludedAttributes=members leaves members out', async () => {
      const created = await createGroup('Readers', [{ value: user(2).id }]);
      const read = await service.request('GET', `Groups/${created.body.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, created.body);
      const lean = await service.request('GET', `Groups/${created.body.id}?excludedAttributes=members`);
      assert.equal(lean.body.members, undefined);
      assert.equal(lean.body.displayName, 'Readers');
    });

    // Decision 0004: membership PATCH answers 204 with the new ETag; with attributes, 200 and the group.
    it('PATCH adds and removes members: 204 with a new ETag, members changed', async () => {
      const created = await createGroup('Patchers', [{ value: user(0).id }]);
      const path = `Groups/${created.body.id}`;
      const added = await service.request('PATCH', path, {
        body: patchOf({ op: 'add', path: 'members', value: [{ value: user(1).id }, { value: user(2).id }] }),
        headers: { 'if-match': created.headers.etag as string },
      });
      assert.equal(added.status, 204, added.text);
      assert.equal(added.text, '');
      assert.notEqual(added.headers.etag, created.headers.etag);
      // Entra's removal form (value filter) and Okta's (value array).
      const removed = await service.request('PATCH', path, {
        body: patchOf(
          { op: 'remove', path: `members[value eq "${user(0).id}"]` },
          { op: 'remove', path: 'members', value: [{ value: user(1).id }] },
        ),
      });
      assert.equal(removed.status, 204, removed.text);
      const read = await service.request('GET', path);
      assert.deepEqual(valuesOf(read.body), [user(2).id]);
      assert.equal(read.headers.etag, removed.headers.etag);
      const projected = await service.request('PATCH', `${path}?attributes=displayName`, {
        body: patchOf({ op: 'replace', path: 'displayName', value: 'Patched' }),
      });
      assert.equal(projected.status, 200);
      assert.deepEqual(projected.body, {
        schemas: [GROUP_SCHEMA],
        id: created.body.id,
        displayName: 'Patched',
      });
    });

    // RFC 7644 §3.5.1: PUT replaces the member list; an absent members attribute empties it.
    it('PUT replaces the member list', async () => {
      const created = await createGroup('Replaced', [{ value: user(0).id }, { value: user(1).id }]);
      const path = `Groups/${created.body.id}`;
      const put = await service.request('PUT', path, {
        body: {
          schemas: [GROUP_SCHEMA],
          displayName: 'Replaced',
          members: [{ value: user(1).id }, { value: user(2).id }],
        },
      });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(valuesOf(put.body), [user(1).id, user(2).id].sort());
      assert.notEqual(put.headers.etag, created.headers.etag);
      const emptied = await service.request('PUT', path, {
        body: { schemas: [GROUP_SCHEMA], displayName: 'Replaced' },
      });
      assert.equal(emptied.status, 200);
      assert.equal(emptied.body.members, undefined);
    });

    // RFC 7643 §4.2: a member may be a group; decision 0004: deleting a group leaves its parents, bumping them.
    it('nests groups, and deleting a nested group removes it from its parent', async () => {
      const inner = await createGroup('Inner', [{ value: user(0).id }]);
      const outer = await createGroup('Outer', [
        { value: inner.body.id, type: 'Group' },
        { value: user(1).id },
      ]);
      const member = outer.body.members.find((m: { value: string }) => m.value === inner.body.id);
      assert.deepEqual(member, {
        value: inner.body.id,
        $ref: `${BASE}/Groups/${inner.body.id}`,
        type: 'Group',
        display: 'Inner',
      });
      assert.equal((await service.request('DELETE', `Groups/${inner.body.id}`)).status, 204);
      const read = await service.request('GET', `Groups/${outer.body.id}`);
      assert.deepEqual(valuesOf(read.body), [user(1).id]);
      assert.notEqual(read.headers.etag, outer.headers.etag);
      assert.equal((await service.request('GET', `Groups/${inner.body.id}`)).status, 404);
    });

    // The lookups Entra, Okta and IDaaS make; each must return exactly the expected groups.
    it('filters by members.value, members[type eq "Group"], displayName sw and members.display co', async () => {
      const engineering = await createGroup('Engineering', [{ value: user(0).id }]);
      const engineers = await createGroup('Engineers EU', [
        { value: user(1).id },
        { value: engineering.body.id },
      ]);
      const sales = await createGroup('Sales', [{ value: user(2).id }, { value: user(0).id }]);
      const ids = (response: { body: { Resources: { id: string }[] } }) =>
        response.body.Resources.map((group) => group.id).sort();
      const query = (filter: string) =>
        service.request('GET', `Groups?filter=${encodeURIComponent(filter)}&count=1000`);
      const mine = [engineering.body.id, engineers.body.id, sales.body.id];
      const only = (found: string[]) => found.filter((id) => mine.includes(id)).sort();
      assert.deepEqual(
        only(ids(await query(`members.value eq "${user(0).id}"`))),
        [engineering.body.id, sales.body.id].sort(),
      );
      assert.deepEqual(only(ids(await query('members[type eq "Group"]'))), [engineers.body.id]);
      assert.deepEqual(
        ids(await query('displayName sw "eng"')),
        [engineering.body.id, engineers.body.id].sort(),
      );
      assert.deepEqual(only(ids(await query('members.display co "lee"'))), [sales.body.id]);
      const lookup = await query('displayName eq "engineering"');
      assert.deepEqual(ids(lookup), [engineering.body.id]);
      assert.equal(lookup.body.totalResults, 1);
    });
  });
}
