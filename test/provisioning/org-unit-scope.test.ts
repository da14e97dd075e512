/**
 * Org units in a provisioning's scope, over the database (both dialects): the engine's reader gives
 * each user the paths of the org units it is placed in (batched for a page), the compiled
 * provisioning decides on them, a move from a source reaches the outbox, and a scope naming an org
 * unit that does not exist is refused with its place in the scope.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserService } from '../../src/directory/user-service.ts';
import { compileProvisioning } from '../../src/provisioning/compile-provisioning.ts';
import { createDirectoryReader } from '../../src/provisioning/engine/directory-reader.ts';
import { ProvisioningError } from '../../src/provisioning/provisioning-error.ts';
import { createProvisioningService } from '../../src/provisioning/provisioning-service.ts';
import { placeUsers } from '../../src/sources/apply/org-unit-sync.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { findTargetProfile } from '../../src/targets/profiles/target-profiles.ts';
import { createTestTenant } from '../support/create-test-tenant.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const TENANT = 'acme';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

for (const dialect of dialects) {
  describe(`org units in scope (${dialect.name})`, () => {
    let storage: Storage;
    const ids: Record<string, string> = {};

    const unit = async (id: string, name: string, parent: string | null, path: string) => {
      const now = new Date().toISOString();
      await storage.db
        .insertInto('org_units')
        .values({
          id,
          tenant_id: TENANT,
          source_id: null,
          external_key: null,
          name,
          parent_id: parent,
          path,
          created_at: now,
          updated_at: now,
        })
        .execute();
    };

    before(async () => {
      storage = await dialect.open();
      await createTestTenant(storage, TENANT);
      const users = createUserService(storage);
      for (const name of ['ada', 'bob', 'cy', 'dee'])
        ids[name] = (await users.create(TENANT, { schemas: [USER], userName: name })).id;
      await unit('ou-eu', 'Europe', null, 'Europe');
      await unit('ou-eng', 'Engineering', 'ou-eu', 'Europe/Engineering');
      await unit('ou-platform', 'Platform', 'ou-eng', 'Europe/Engineering/Platform');
      await unit('ou-sales', 'Sales', 'ou-eu', 'Europe/Sales');
      await placeUsers(
        storage,
        TENANT,
        new Map([
          [ids.ada ?? '', 'ou-eng'],
          [ids.bob ?? '', 'ou-platform'],
          [ids.cy ?? '', 'ou-sales'],
        ]),
      );
    });
    after(async () => {
      await storage?.close();
    });

    it('reads each user with the paths of its org units, one by one or a page at a time', async () => {
      const reader = createDirectoryReader(storage);
      const bob = await reader.readUser(TENANT, ids.bob ?? '');
      assert.deepEqual(bob?.orgUnitPaths, [
        [
          { id: 'ou-eu', name: 'Europe' },
          { id: 'ou-eng', name: 'Engineering' },
          { id: 'ou-platform', name: 'Platform' },
        ],
      ]);
      const page = await reader.readUsers(TENANT, Object.values(ids));
      assert.deepEqual(
        page.get(ids.ada ?? '')?.orgUnitPaths?.map((path) => path.map((step) => step.name).join('/')),
        ['Europe/Engineering'],
      );
      assert.deepEqual(page.get(ids.dee ?? '')?.orgUnitPaths, [], 'placed nowhere');
      const skipped = await reader.readUser(TENANT, ids.bob ?? '', { groups: false, orgUnits: false });
      assert.equal(skipped?.orgUnitPaths, undefined, 'not read when the scope does not need them');
    });

    it('decides scope on them, with and without the sub-tree, and follows a move', async () => {
      const profile = findTargetProfile('lockstep');
      assert.ok(profile);
      const compiled = (orgUnits: unknown) => {
        const result = compileProvisioning(
          { id: 'p', tenant_id: TENANT, target_id: 't', status: 'enabled' },
          { scope: { orgUnits } },
          profile,
        );
        assert.ok(result.ok, JSON.stringify(result));
        return result.compiled;
      };
      const reader = createDirectoryReader(storage);
      const inScope = async (p: ReturnType<typeof compiled>) => {
        const users = await reader.readUsers(TENANT, Object.values(ids), { groups: false });
        return Object.entries(ids)
          .filter(([, id]) => {
            const user = users.get(id);
            return user !== undefined && p.inScope(user);
          })
          .map(([name]) => name);
      };
      const subtree = compiled([{ id: 'ou-eng', includeSubtree: true }]);
      assert.equal(subtree.scopeUsesOrgUnits, true);
      assert.deepEqual(await inScope(subtree), ['ada', 'bob']);
      assert.deepEqual(await inScope(compiled([{ id: 'ou-eng', includeSubtree: false }])), ['ada']);
      assert.deepEqual(await inScope(compiled([{ path: ['europe', 'sales'], includeSubtree: false }])), [
        'cy',
      ]);

      // A source moves ada to Sales: the move is in the outbox, and ada leaves the Engineering scope.
      await storage.db.deleteFrom('directory_changes').execute();
      await placeUsers(storage, TENANT, new Map([[ids.ada ?? '', 'ou-sales']]));
      const changes = await storage.db.selectFrom('directory_changes').select('object_id').execute();
      assert.deepEqual(
        changes.map((change) => change.object_id),
        [ids.ada],
      );
      assert.deepEqual(await inScope(subtree), ['bob']);
      await placeUsers(storage, TENANT, new Map([[ids.ada ?? '', 'ou-eng']]));
    });

    it('refuses a scope that names an org unit the tenant does not have', async () => {
      const now = new Date().toISOString();
      await storage.db
        .insertInto('targets')
        .values({
          id: 'tgt_1',
          tenant_id: TENANT,
          name: 'Target',
          profile: 'lockstep',
          base_url: 'https://target.example.test/scim/v2',
          auth_sealed: 'unused',
          native_sealed: null,
          settings: '{}',
          status: 'active',
          status_reason: null,
          status_since: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const provisionings = createProvisioningService(storage);
      const refused = await provisionings
        .createProvisioning(TENANT, {
          name: 'engineering',
          targetId: 'tgt_1',
          config: {
            scope: {
              orgUnits: [
                { id: 'ou-eng', includeSubtree: true },
                { id: 'ou-nowhere', includeSubtree: true },
                { path: ['Europe', 'Marketing'], includeSubtree: false },
                { path: ['EUROPE', 'engineering'], includeSubtree: false },
              ],
            },
          },
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      assert.ok(refused instanceof ProvisioningError, String(refused));
      assert.equal(refused.code, 'invalid');
      assert.deepEqual(refused.details?.problems, [
        { path: 'scope.orgUnits[1].id', message: 'no org unit "ou-nowhere" in this tenant' },
        { path: 'scope.orgUnits[2].path', message: 'no org unit at /Europe/Marketing in this tenant' },
      ]);
      const saved = await provisionings.createProvisioning(TENANT, {
        name: 'engineering',
        targetId: 'tgt_1',
        config: { scope: { orgUnits: [{ id: 'ou-eng', includeSubtree: true }] } },
      });
      assert.deepEqual(saved.config.scope.orgUnits, [{ id: 'ou-eng', includeSubtree: true }]);
    });
  });
}
