/**
 * The deletion guard's forecast for a plan (planning/guard-forecast.ts): which removals it would
 * stage, decided as `admit` decides each one — approved ones run, staged ones stay staged, one
 * admitted within the window runs without counting again, a pause stages the rest — and the new ones
 * counted whole with the window's, so a plan that passes the threshold stages all of them.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createDeletionGuard } from '../../src/provisioning/deprovisioning/deletion-guard.ts';
import { DeletionGuardSchema } from '../../src/provisioning/deprovisioning/deprovision-policy.ts';
import { forecastGuard } from '../../src/provisioning/planning/guard-forecast.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const NOW = new Date('2025-06-01T12:00:00.000Z');
const P = 'prv_forecast';

for (const dialect of dialects) {
  describe(`deletion guard forecast (${dialect.name})`, () => {
    let storage: Storage;
    let paused: string | null = null;
    before(async () => {
      storage = await dialect.open();
    });
    after(() => storage.close());
    beforeEach(async () => {
      paused = null;
      await storage.db.deleteFrom('links').execute();
      await storage.db.deleteFrom('removal_admissions').execute();
      await storage.db.deleteFrom('staged_removals').execute();
      await storage.db
        .insertInto('links')
        .values(
          Array.from({ length: 10 }, (_, index) => ({
            provisioning_id: P,
            object_type: 'User' as const,
            object_id: `u${index}`,
            tenant_id: 'acme',
            account_id: `a${index}`,
            state: 'active',
            created_by_us: 1,
            pushed: '{}',
            last_error: null,
            created_at: NOW.toISOString(),
            updated_at: NOW.toISOString(),
          })),
        )
        .execute();
    });
    const forecast = (objectIds: string[], settings: Record<string, unknown> = {}) => {
      const real = createDeletionGuard(storage);
      return forecastGuard(
        storage,
        { exceeds: real.exceeds, pausedReason: async () => paused },
        {
          provisioningId: P,
          settings: DeletionGuardSchema.parse(settings),
          objectIds,
          subject: 'applying plan pln_test',
        },
        NOW,
      );
    };
    const admitted = (objectId: string, minutesAgo: number) =>
      storage.db
        .insertInto('removal_admissions')
        .values({
          provisioning_id: P,
          object_id: objectId,
          admitted_at: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
        })
        .execute();
    const staged = (objectId: string, status: 'staged' | 'approved') =>
      storage.db
        .insertInto('staged_removals')
        .values({
          provisioning_id: P,
          object_id: objectId,
          tenant_id: 'acme',
          account_id: null,
          action: 'delete',
          trigger: 'deleted',
          status,
          reason: 'an earlier decision',
          staged_at: NOW.toISOString(),
          decided_at: null,
        })
        .execute();

    it('holds nothing within the threshold', async () => {
      const result = await forecast(['u1', 'u2']);
      assert.equal(result.stages, null);
      assert.equal(result.held.size, 0);
      assert.equal(result.live, 10);
    });

    it('stages every new removal when the plan passes the threshold (as assessPlan counts a full push)', async () => {
      const result = await forecast(['u1', 'u2', 'u3'], { maxPercent: 20, minimumForPercent: 2 });
      assert.match(result.stages ?? '', /applying plan pln_test: 3 removals of 10 accounts \(30 %\)/);
      assert.deepEqual([...result.held.keys()], ['u1', 'u2', 'u3']);
    });

    it('counts the removals already admitted in the window, but not twice, and not expired ones', async () => {
      await admitted('u8', 5);
      await admitted('u9', 5);
      await admitted('u7', 120);
      const over = await forecast(['u1'], { maxCount: 2 });
      assert.equal(over.inWindow, 2);
      assert.match(over.stages ?? '', /3 removals exceed the deletion threshold of 2/);
      assert.deepEqual([...over.held.keys()], ['u1']);
      const already = await forecast(['u8', 'u9'], { maxCount: 2 });
      assert.equal(already.stages, null, 'admitted within the window: they run without counting again');
    });

    it('runs approved removals, keeps staged ones staged with their reason, and stages the rest while paused', async () => {
      await staged('u1', 'approved');
      await staged('u2', 'staged');
      paused = 'deletion guard: an earlier burst';
      const result = await forecast(['u1', 'u2', 'u3']);
      assert.equal(result.stages, paused);
      assert.equal(result.held.has('u1'), false);
      assert.equal(result.held.get('u2'), 'an earlier decision');
      assert.equal(result.held.get('u3'), paused);
    });

    it('holds nothing when the guard is off', async () => {
      await staged('u2', 'staged');
      const result = await forecast(['u1', 'u2', 'u3'], { enabled: false, maxCount: 1 });
      assert.equal(result.held.size, 0);
      assert.equal(result.stages, null);
    });
  });
}
