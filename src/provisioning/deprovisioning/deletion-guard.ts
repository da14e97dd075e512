import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, StagedRemovalTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { DeletionGuardSettings, DeprovisionAction, DeprovisionTrigger } from './deprovision-policy.ts';

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly reason: string };

export interface StagedRemoval {
  readonly provisioningId: string;
  readonly objectId: string;
  readonly accountId: string | null;
  readonly action: string;
  readonly trigger: string;
  readonly status: 'staged' | 'approved';
  readonly reason: string;
  readonly stagedAt: string;
  readonly decidedAt: string | null;
}

interface GuardedProvisioning {
  readonly id: string;
  readonly tenantId: string;
  readonly guard: DeletionGuardSettings;
}

const LIVE_STATES = ['creating', 'active', 'disabled'];

/**
 * The deletion guard (issue 5, item 5): removals (deletes, disables, revocations) are counted per
 * provisioning — a full push counts its whole plan before it starts, real-time removals count in a
 * sliding window. Beyond the threshold (a count, or a share of the provisioning's live accounts) the
 * provisioning's removals are paused and every removal is staged, not executed, until an admin
 * approves (they run) or rejects (they are dropped; a later run stages them again if the directory
 * still says so). A removal admitted once stays admitted for the window, so retries do not count twice.
 */
export function createDeletionGuard(storage: Storage, clock: () => Date = () => new Date()) {
  const db = storage.db;
  async function pausedReason(provisioningId: string): Promise<string | null> {
    const row = await db
      .selectFrom('provisionings')
      .select('removals_paused_reason')
      .where('id', '=', provisioningId)
      .executeTakeFirst();
    return row?.removals_paused_reason ?? null;
  }

  async function liveCount(provisioningId: string, from: Kysely<DatabaseSchema> = db): Promise<number> {
    const row = await from
      .selectFrom('links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('provisioning_id', '=', provisioningId)
      .where('object_type', '=', 'User')
      .where('state', 'in', LIVE_STATES)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The words for a threshold that `removals` out of `base` accounts would pass; undefined when within it. */
  function exceeds(settings: DeletionGuardSettings, removals: number, base: number): string | undefined {
    if (removals > settings.maxCount)
      return `${removals} removals exceed the deletion threshold of ${settings.maxCount}`;
    const share = base > 0 ? (removals * 100) / base : 100;
    if (removals >= settings.minimumForPercent && share > settings.maxPercent)
      return `${removals} removals of ${base} accounts (${share.toFixed(0)} %) exceed the deletion threshold of ${settings.maxPercent} %`;
    return undefined;
  }

  async function pause(provisioningId: string, reason: string): Promise<void> {
    await db
      .updateTable('provisionings')
      .set({ removals_paused_reason: reason, removals_paused_at: clock().toISOString() })
      .where('id', '=', provisioningId)
      .where('removals_paused_reason', 'is', null)
      .execute();
  }

  async function stage(
    p: GuardedProvisioning,
    removal: {
      objectId: string;
      accountId: string | null;
      action: DeprovisionAction;
      trigger: DeprovisionTrigger;
    },
    reason: string,
  ): Promise<void> {
    await db
      .insertInto('staged_removals')
      .values({
        provisioning_id: p.id,
        object_id: removal.objectId,
        tenant_id: p.tenantId,
        account_id: removal.accountId,
        action: removal.action,
        trigger: removal.trigger,
        status: 'staged',
        reason,
        staged_at: clock().toISOString(),
        decided_at: null,
      })
      .onConflict((conflict) => conflict.columns(['provisioning_id', 'object_id']).doNothing())
      .execute();
  }

  return {
    exceeds,
    pause,

    /**
     * May this removal run now? Staged (and the answer says why) when the provisioning's removals are
     * paused, or when admitting it would pass the threshold (which pauses them).
     */
    async admit(
      p: GuardedProvisioning,
      removal: {
        objectId: string;
        accountId: string | null;
        action: DeprovisionAction;
        trigger: DeprovisionTrigger;
      },
    ): Promise<Admission> {
      const staged = await db
        .selectFrom('staged_removals')
        .select(['status', 'reason'])
        .where('provisioning_id', '=', p.id)
        .where('object_id', '=', removal.objectId)
        .executeTakeFirst();
      if (staged?.status === 'approved') return { admitted: true };
      if (!p.guard.enabled) return { admitted: true };
      if (staged !== undefined) return { admitted: false, reason: staged.reason };
      const now = clock();
      const windowStart = new Date(now.getTime() - p.guard.windowMinutes * 60_000).toISOString();
      const earlier = await db
        .selectFrom('removal_admissions')
        .select('admitted_at')
        .where('provisioning_id', '=', p.id)
        .where('object_id', '=', removal.objectId)
        .executeTakeFirst();
      if (earlier !== undefined && earlier.admitted_at >= windowStart) return { admitted: true };
      const paused = await pausedReason(p.id);
      if (paused !== null) {
        await stage(p, removal, paused);
        return { admitted: false, reason: paused };
      }
      await db
        .insertInto('removal_admissions')
        .values({ provisioning_id: p.id, object_id: removal.objectId, admitted_at: now.toISOString() })
        .onConflict((conflict) =>
          conflict.columns(['provisioning_id', 'object_id']).doUpdateSet({ admitted_at: now.toISOString() }),
        )
        .execute();
      const counted = await db
        .selectFrom('removal_admissions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('provisioning_id', '=', p.id)
        .where('admitted_at', '>=', windowStart)
        .executeTakeFirst();
      const removals = Number(counted?.n ?? 0);
      // The base is the accounts there were when the window began: live now, plus those removed in it.
      const base = (await liveCount(p.id)) + removals - 1;
      const over = exceeds(p.guard, removals, base);
      if (over === undefined) return { admitted: true };
      await db
        .deleteFrom('removal_admissions')
        .where('provisioning_id', '=', p.id)
        .where('object_id', '=', removal.objectId)
        .execute();
      const reason = `deletion guard: ${over} within ${p.guard.windowMinutes} minutes; removals are paused until an admin approves or rejects them`;
      await pause(p.id, reason);
      await stage(p, removal, reason);
      return { admitted: false, reason };
    },

    /**
     * Before a full push: the removals it would make, counted whole. Beyond the threshold the
     * provisioning's removals are paused, so the run stages them all and deprovisions no one.
     */
    async assessPlan(p: GuardedProvisioning, plannedRemovals: number): Promise<string | undefined> {
      if (!p.guard.enabled || plannedRemovals === 0) return undefined;
      const over = exceeds(p.guard, plannedRemovals, await liveCount(p.id));
      if (over === undefined) return undefined;
      const reason = `deletion guard: a full push would make ${over.replace(/^\d+ removals/, `${plannedRemovals} removals`)}; removals are paused until an admin approves or rejects them`;
      await pause(p.id, reason);
      return reason;
    },

    /**
     * Directory deletes dispatched together (a source's snapshot, a bulk request): when removing the
     * accounts of those users, with what the window already holds, would pass the threshold, the
     * provisioning's removals are paused before any of them runs, so all are staged.
     */
    async assessBurst(
      trx: Kysely<DatabaseSchema>,
      p: GuardedProvisioning,
      deletedUserIds: readonly string[],
    ): Promise<string | undefined> {
      if (!p.guard.enabled || deletedUserIds.length === 0) return undefined;
      let linked = 0;
      for (let i = 0; i < deletedUserIds.length; i += 500) {
        const row = await trx
          .selectFrom('links')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('provisioning_id', '=', p.id)
          .where('object_type', '=', 'User')
          .where('state', 'in', LIVE_STATES)
          .where('object_id', 'in', deletedUserIds.slice(i, i + 500))
          .executeTakeFirst();
        linked += Number(row?.n ?? 0);
      }
      if (linked === 0) return undefined;
      const windowStart = new Date(clock().getTime() - p.guard.windowMinutes * 60_000).toISOString();
      const admitted = await trx
        .selectFrom('removal_admissions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('provisioning_id', '=', p.id)
        .where('admitted_at', '>=', windowStart)
        .executeTakeFirst();
      const inWindow = Number(admitted?.n ?? 0);
      const over = exceeds(p.guard, inWindow + linked, (await liveCount(p.id, trx)) + inWindow);
      if (over === undefined) return undefined;
      const reason = `deletion guard: ${linked} linked users were deleted in the directory at once (${over}); removals are paused until an admin approves or rejects them`;
      await trx
        .updateTable('provisionings')
        .set({ removals_paused_reason: reason, removals_paused_at: clock().toISOString() })
        .where('id', '=', p.id)
        .where('removals_paused_reason', 'is', null)
        .execute();
      return reason;
    },

    /** The removal ran (or is no longer wanted): forget its approval. */
    async settle(provisioningId: string, objectId: string): Promise<void> {
      await db
        .deleteFrom('staged_removals')
        .where('provisioning_id', '=', provisioningId)
        .where('object_id', '=', objectId)
        .where('status', '=', 'approved')
        .execute();
    },

    pausedReason,

    async list(provisioningId: string, limit = 1000): Promise<StagedRemoval[]> {
      const rows = await db
        .selectFrom('staged_removals')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .orderBy('staged_at')
        .orderBy('object_id')
        .limit(limit)
        .execute();
      return rows.map(toStaged);
    },

    async count(provisioningId: string): Promise<number> {
      const row = await db
        .selectFrom('staged_removals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('provisioning_id', '=', provisioningId)
        .where('status', '=', 'staged')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /**
     * Approves the staged removals (all, or the named objects) and lifts the pause; answers the
     * objects whose removal must now run.
     */
    async approve(provisioningId: string, objectIds?: readonly string[]): Promise<string[]> {
      const decidedAt = clock().toISOString();
      return storage.write(async (trx) => {
        const ids = await stagedIds(trx, provisioningId, objectIds);
        for (let i = 0; i < ids.length; i += 500)
          await trx
            .updateTable('staged_removals')
            .set({ status: 'approved', decided_at: decidedAt })
            .where('provisioning_id', '=', provisioningId)
            .where('object_id', 'in', ids.slice(i, i + 500))
            .execute();
        await liftIfDone(trx, provisioningId);
        return ids;
      });
    },

    /**
     * Rejects the staged removals (all, or the named objects): they are dropped and their accounts
     * left as they are; the pause is lifted once nothing is staged. Answers the objects.
     */
    async reject(provisioningId: string, objectIds?: readonly string[]): Promise<string[]> {
      return storage.write(async (trx) => {
        const ids = await stagedIds(trx, provisioningId, objectIds);
        for (let i = 0; i < ids.length; i += 500) {
          const slice = ids.slice(i, i + 500);
          await trx
            .deleteFrom('staged_removals')
            .where('provisioning_id', '=', provisioningId)
            .where('object_id', 'in', slice)
            .execute();
          await trx
            .updateTable('links')
            .set({ removal_state: null, removal_detail: null })
            .where('provisioning_id', '=', provisioningId)
            .where('object_type', '=', 'User')
            .where('object_id', 'in', slice)
            .where('removal_state', '=', 'staged')
            .execute();
        }
        await liftIfDone(trx, provisioningId);
        return ids;
      });
    },
  };

  /** The objects whose removals wait for a decision: all of the provisioning's, or those named. */
  async function stagedIds(
    trx: Kysely<DatabaseSchema>,
    provisioningId: string,
    objectIds: readonly string[] | undefined,
  ): Promise<string[]> {
    let query = trx
      .selectFrom('staged_removals')
      .select('object_id')
      .where('provisioning_id', '=', provisioningId)
      .where('status', '=', 'staged');
    if (objectIds !== undefined) query = query.where('object_id', 'in', [...objectIds, '']);
    return (await query.execute()).map((row) => row.object_id);
  }

  /** The pause ends when no removal waits for a decision. */
  async function liftIfDone(trx: Kysely<DatabaseSchema>, provisioningId: string): Promise<void> {
    const left = await trx
      .selectFrom('staged_removals')
      .select('object_id')
      .where('provisioning_id', '=', provisioningId)
      .where('status', '=', 'staged')
      .limit(1)
      .executeTakeFirst();
    if (left !== undefined) return;
    await trx
      .updateTable('provisionings')
      .set({ removals_paused_reason: null, removals_paused_at: null })
      .where('id', '=', provisioningId)
      .execute();
    // A fresh window: what was approved must not trip the guard again at once.
    await trx.deleteFrom('removal_admissions').where('provisioning_id', '=', provisioningId).execute();
  }
}

export type DeletionGuard = ReturnType<typeof createDeletionGuard>;

function toStaged(row: Selectable<StagedRemovalTable>): StagedRemoval {
  return {
    provisioningId: row.provisioning_id,
    objectId: row.object_id,
    accountId: row.account_id,
    action: row.action,
    trigger: row.trigger,
    status: row.status,
    reason: row.reason,
    stagedAt: row.staged_at,
    decidedAt: row.decided_at,
  };
}
