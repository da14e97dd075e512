/** Applying a source snapshot to the directory: upsert by key, authority, binding, deletes, pull protection. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGroupService } from '../../src/directory/group-service.ts';
import { createUserService } from '../../src/directory/user-service.ts';
import {
  applySourceSnapshot,
  type SourceApplyOptions,
} from '../../src/sources/apply/apply-source-snapshot.ts';
import { createSourceObjectRepository } from '../../src/sources/apply/source-object-repository.ts';
import { SourceProtectionSchema } from '../../src/sources/apply/source-protection.ts';
import type { SourceSnapshot, SourceUserEntry } from '../../src/sources/apply/source-snapshot.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestTenant } from '../support/create-test-tenant.ts';
import { testDialects } from '../support/test-storage.ts';
import { insertTestSource } from './source-test-support.ts';

const { dialects } = await testDialects();
const TENANT = 'acme';

const person = (key: string, given: string, orgUnitKey: string | null = 'ou-eng'): SourceUserEntry => ({
  key,
  name: `uid=${key}`,
  attributes: {
    userName: key,
    displayName: `${given} ${key}`,
    'name.givenName': given,
    'emails[type eq "work"].value': `${key}@example.test`,
    active: true,
  },
  orgUnitKey,
});

const snapshotOf = (users: SourceUserEntry[], complete = true): SourceSnapshot => ({
  complete,
  users,
  groups: [
    {
      key: 'g-leads',
      name: 'cn=leads',
      attributes: { displayName: 'leads' },
      memberKeys: users.slice(0, 2).map((user) => user.key),
    },
  ],
  orgUnits: [
    { key: 'ou-people', path: ['People'] },
    { key: 'ou-eng', path: ['People', 'Eng'] },
  ],
});

for (const dialect of dialects) {
  describe(`applying a source snapshot (${dialect.name})`, () => {
    let storage: Storage;
    let users: ReturnType<typeof createUserService>;
    let groups: ReturnType<typeof createGroupService>;
    const options = (overrides: Partial<SourceApplyOptions> = {}): SourceApplyOptions => ({
      tenantId: TENANT,
      sourceId: 'src-a',
      protection: SourceProtectionSchema.parse({}),
      ...overrides,
    });
    const apply = (snapshot: SourceSnapshot, overrides: Partial<SourceApplyOptions> = {}) =>
      applySourceSnapshot({ storage, users, groups }, options(overrides), snapshot);
    const outboxSize = async () =>
      (await storage.db.selectFrom('directory_changes').select('seq').execute()).length;
    const userByName = async (userName: string) => {
      const row = await storage.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', TENANT)
        .where('user_name_ci', '=', userName)
        .executeTakeFirst();
      return row === undefined ? undefined : users.get(TENANT, row.id);
    };

    before(async () => {
      storage = await dialect.open();
      users = createUserService(storage);
      groups = createGroupService(storage);
      await createTestTenant(storage, TENANT);
      await insertTestSource(storage, 'src-a');
      await insertTestSource(storage, 'src-b');
    });
    after(() => storage.close());

    const alice = person('alice', 'Alice');
    const bob = person('bob', 'Bob');
    const carol = person('carol', 'Carol', 'ou-people');

    it('creates users, a group with members and org units, each write in the outbox', async () => {
      const result = await apply(snapshotOf([alice, bob, carol]));
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.stats.users.created, 3);
      assert.equal(result.stats.groups.created, 1);
      assert.equal(result.stats.orgUnits.created, 2);
      const alicia = await userByName('alice');
      assert.ok(alicia);
      assert.deepEqual(alicia.doc.emails, [{ type: 'work', value: 'alice@example.test' }]);
      const changes = await storage.db.selectFrom('directory_changes').selectAll().execute();
      // Each user once for its creation and once for its placement in an org unit.
      const userChanges = changes.filter((change) => change.object_type === 'User');
      assert.equal(new Set(userChanges.map((change) => change.object_id)).size, 3);
      assert.equal(userChanges.length, 6);
      assert.equal(changes.filter((change) => change.object_type === 'Group').length, 1);
      const units = await storage.db.selectFrom('org_units').selectAll().orderBy('path').execute();
      assert.deepEqual(
        units.map((unit) => unit.path),
        ['People', 'People/Eng'],
      );
      assert.equal(units[1]?.parent_id, units[0]?.id);
      const placed = await storage.db
        .selectFrom('user_org_units')
        .selectAll()
        .where('user_id', '=', alicia.id)
        .execute();
      assert.equal(placed[0]?.org_unit_id, units[1]?.id);
      const group = await storage.db.selectFrom('groups').select('id').executeTakeFirstOrThrow();
      assert.equal((await groups.members(TENANT, group.id)).length, 2);
    });

    it('changes nothing and records nothing when the source says the same again', async () => {
      const before = await outboxSize();
      const result = await apply(snapshotOf([alice, bob, carol]));
      assert.ok(result.ok);
      assert.equal(result.stats.users.same, 3);
      assert.equal(result.stats.groups.same, 1);
      assert.equal(await outboxSize(), before);
    });

    it('writes only the attributes the source supplies and leaves released ones alone', async () => {
      const id = (await userByName('alice'))?.id ?? '';
      await users.patch(TENANT, id, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'add', path: 'nickName', value: 'Ali' },
          { op: 'replace', path: 'displayName', value: 'Local Name' },
        ],
      });
      const objects = createSourceObjectRepository(storage.db, storage.dialect);
      assert.equal(await objects.setReleased('src-a', 'User', id, ['displayName']), true);
      const renamed = {
        ...alice,
        attributes: { ...alice.attributes, 'name.givenName': 'Alicia', displayName: 'Src' },
      };
      const result = await apply(snapshotOf([renamed, bob, carol]));
      assert.ok(result.ok);
      assert.equal(result.stats.users.updated, 1);
      const after = await users.get(TENANT, id);
      assert.equal(after.doc.nickName, 'Ali');
      assert.equal(after.doc.displayName, 'Local Name');
      assert.deepEqual(after.doc.name, { givenName: 'Alicia' });
    });

    it('binds an existing local user by e-mail instead of duplicating it, and another source cannot take it', async () => {
      const local = await users.create(TENANT, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'dave.local',
        emails: [{ value: 'DAVE@example.test', type: 'work' }],
      });
      const dave = person('dave', 'Dave');
      const result = await apply(snapshotOf([alice, bob, carol, dave]), { bindBy: 'emails' });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.stats.users.bound, 1);
      assert.equal(result.stats.users.created, 0);
      assert.equal((await users.get(TENANT, local.id)).doc.userName, 'dave');

      const other = await apply(
        { complete: false, users: [{ ...dave, key: 'other-dave' }], groups: [], orgUnits: [] },
        { sourceId: 'src-b', bindBy: 'emails' },
      );
      assert.equal(other.ok, false);
      assert.ok(!other.ok && other.error.code === 'invalid_entries');
      assert.match(other.items[0]?.message ?? '', /another source \(src-a\) owns/);
    });

    it('deletes vanished users only from a complete snapshot', async () => {
      const incremental = await apply(snapshotOf([alice, bob, carol], false));
      assert.ok(incremental.ok);
      assert.equal(incremental.stats.users.deleted, 0);
      const full = await apply(snapshotOf([alice, bob, carol]));
      assert.ok(full.ok);
      assert.equal(full.stats.users.deleted, 1);
      assert.equal(await userByName('dave'), undefined);
      const changes = await storage.db
        .selectFrom('directory_changes')
        .selectAll()
        .where('change', '=', 'delete')
        .execute();
      assert.equal(changes.length, 1);
    });

    it('refuses, changing nothing, a run beyond a deletion threshold, an empty snapshot, and a dry run writes nothing', async () => {
      const before = await outboxSize();
      const tight = SourceProtectionSchema.parse({ users: { maxCount: 1 } });
      const mass = await apply(snapshotOf([alice]), { protection: tight });
      assert.equal(mass.ok, false);
      assert.ok(!mass.ok && mass.error.code === 'protection');
      assert.match(!mass.ok ? mass.error.message : '', /would delete 2 users, more than the threshold of 1/);
      const empty = await apply({ complete: true, users: [], groups: [], orgUnits: [] });
      assert.ok(!empty.ok && empty.error.code === 'empty_source');
      const dry = await apply(snapshotOf([alice]), { dryRun: true });
      assert.ok(dry.ok && dry.dryRun);
      assert.equal(dry.stats.users.deleted, 2);
      assert.equal(await outboxSize(), before);
      assert.ok(await userByName('bob'));
    });
  });
}
