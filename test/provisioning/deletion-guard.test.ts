import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDeletionGuard } from '../../src/provisioning/deprovisioning/deletion-guard.ts';
import { DeletionGuardSchema } from '../../src/provisioning/deprovisioning/deprovision-policy.ts';
import { createLinkRepository } from '../../src/provisioning/engine/link-repository.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(skipped);

const NOW = Date.parse('2026-11-24T10:00:00.000Z');

for (const dialect of dialects) {
  describe(`deletion guard (${dialect.name})`, () => {
    let storage: Storage;
    let now = NOW;
    const clock = () => new Date(now);
    let guard: ReturnType<typeof createDeletionGuard>;
    let serial = 0;

    /** A provisioning with `accounts` live links u0…u(n-1). */
    async function provisioning(accounts: number): Promise<string> {
      const id = `prv_${++serial}`;
      const at = new Date(NOW).toISOString();
      await storage.db
        .insertInto('provisionings')
        .values({
          id,
          tenant_id: 'acme',
          target_id: 'tgt',
          name: id,
          status: 'enabled',
          config: '{}',
          created_at: at,
          updated_at: at,
          removals_paused_reason: null,
          removals_paused_at: null,
        })
        .execute();
      const links = createLinkRepository(storage.db);
      for (let i = 0; i < accounts; i++)
        await links.save({
          provisioningId: id,
          objectType: 'User',
          objectId: `u${String(i).padStart(3, '0')}`,
          tenantId: 'acme',
          accountId: `a${i}`,
          state: 'active',
          createdByUs: true,
          pushed: {},
          lastError: null,
        });
      return id;
    }
    const removal = (objectId: string) => ({
      objectId,
      accountId: null,
      action: 'delete' as const,
      trigger: 'deleted' as const,
    });

    before(async () => {
      storage = await dialect.open();
      const at = new Date(NOW).toISOString();
      await storage.db
        .insertInto('tenants')
        .values({ id: 'acme', display_name: 'Acme', status: 'active', created_at: at, updated_at: at })
        .execute();
      await storage.db
        .insertInto('targets')
        .values({
          id: 'tgt',
          tenant_id: 'acme',
          name: 'target',
          profile: 'lockstep',
          base_url: 'http://127.0.0.1:9/scim',
          auth_sealed: 'x',
          settings: '{}',
          status: 'active',
          status_reason: null,
          status_since: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      guard = createDeletionGuard(storage, clock);
    });
    after(() => storage?.close());

    it('admits removals up to the count, then pauses and stages the rest; a retry of an admitted one is not counted again', async () => {
      const id = await provisioning(1000);
      const settings = DeletionGuardSchema.parse({ maxCount: 3, maxPercent: 100 });
      const p = { id, tenantId: 'acme', guard: settings };
      for (const objectId of ['u000', 'u001', 'u002'])
        assert.deepEqual(await guard.admit(p, removal(objectId)), { admitted: true });
      assert.deepEqual(await guard.admit(p, removal('u001')), { admitted: true }, 'a retry');
      const fourth = await guard.admit(p, removal('u003'));
      assert.equal(fourth.admitted, false);
      assert.match(fourth.admitted ? '' : fourth.reason, /4 removals exceed the deletion threshold of 3/);
      assert.match((await guard.pausedReason(id)) ?? '', /deletion guard/);
      const fifth = await guard.admit(p, removal('u004'));
      assert.equal(fifth.admitted, false, 'paused: every removal is staged');
      assert.deepEqual(
        (await guard.list(id)).map((staged) => [staged.objectId, staged.status]),
        [
          ['u003', 'staged'],
          ['u004', 'staged'],
        ],
      );
    });

    it('applies the percentage from the minimum on, and a window that has passed forgets', async () => {
      const id = await provisioning(20);
      const p = {
        id,
        tenantId: 'acme',
        guard: DeletionGuardSchema.parse({ maxPercent: 20, minimumForPercent: 5, windowMinutes: 10 }),
      };
      for (const objectId of ['u000', 'u001', 'u002', 'u003'])
        assert.equal(
          (await guard.admit(p, removal(objectId))).admitted,
          true,
          `${objectId}: under the minimum`,
        );
      const fifth = await guard.admit(p, removal('u004'));
      assert.equal(fifth.admitted, false, '5 removals of 20 accounts (25 %) pass 20 %');
      assert.match(fifth.admitted ? '' : fifth.reason, /5 removals of 2\d accounts/);

      const windowed = await provisioning(100);
      const q = {
        id: windowed,
        tenantId: 'acme',
        guard: DeletionGuardSchema.parse({ maxCount: 2, maxPercent: 100, windowMinutes: 10 }),
      };
      for (const objectId of ['u000', 'u001'])
        assert.equal((await guard.admit(q, removal(objectId))).admitted, true);
      now += 11 * 60_000;
      for (const objectId of ['u002', 'u003'])
        assert.equal((await guard.admit(q, removal(objectId))).admitted, true, `${objectId}: a fresh window`);
      assert.equal((await guard.admit(q, removal('u004'))).admitted, false);
      now = NOW;
    });

    it('approve lifts the pause and lets the staged removals through; reject drops them', async () => {
      const id = await provisioning(100);
      const p = { id, tenantId: 'acme', guard: DeletionGuardSchema.parse({ maxCount: 1, maxPercent: 100 }) };
      await guard.admit(p, removal('u000'));
      await guard.admit(p, removal('u001'));
      await guard.admit(p, removal('u002'));
      assert.equal(await guard.count(id), 2);
      assert.deepEqual(await guard.approve(id, ['u001']), ['u001']);
      assert.notEqual(await guard.pausedReason(id), null, 'still paused: u002 waits for a decision');
      assert.deepEqual(await guard.admit(p, removal('u001')), { admitted: true }, 'approved');
      await guard.settle(id, 'u001');
      assert.deepEqual(await guard.reject(id), ['u002']);
      assert.equal(await guard.pausedReason(id), null);
      assert.equal(await guard.count(id), 0);
    });

    it('weighs a planned run and a burst of deletes whole', async () => {
      const id = await provisioning(10);
      const p = { id, tenantId: 'acme', guard: DeletionGuardSchema.parse({ minimumForPercent: 2 }) };
      assert.equal(await guard.assessPlan(p, 1), undefined, '1 of 10 is within 20 %');
      assert.match((await guard.assessPlan(p, 9)) ?? '', /a full push would make 9 removals/);
      await guard.reject(id);
      const burst = await storage.write((trx) =>
        guard.assessBurst(trx, p, ['u000', 'u001', 'u002', 'nobody']),
      );
      assert.match(burst ?? '', /3 linked users were deleted in the directory at once/);
    });
  });
}
