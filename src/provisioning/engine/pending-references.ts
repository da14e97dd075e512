import type { Kysely } from 'kysely';
import type { JobQueue, JobSpec } from '../../jobs/job-queue.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import { RECONCILE_USER, reconcileKey } from './change-dispatcher.ts';
import type { CompiledProvisioning } from './compiled-provisioning.ts';

/** A reference that could not be translated: the user's attribute waits for the referenced user's account. */
export interface WaitingReference {
  readonly attribute: string;
  readonly referencedId: string;
}

type ProvisioningRef = Pick<CompiledProvisioning, 'id' | 'targetId'>;

/**
 * The users pushed without a reference (their manager) because the referenced user had no account on
 * the target yet (`pending_references`), and the reconciles that fill it in once it has one.
 * @see docs/decisions/0020-reference-attributes.md
 */
export function createPendingReferences(db: Kysely<DatabaseSchema>, queue: JobQueue) {
  const reconcileJob = (p: ProvisioningRef, objectId: string): JobSpec => ({
    kind: RECONCILE_USER,
    key: reconcileKey(p.id, 'User', objectId),
    group: p.targetId,
    payload: { provisioningId: p.id, objectId, runId: null },
  });

  /** Which of `referencedIds` have an account on the target now. */
  async function withAccounts(p: ProvisioningRef, referencedIds: readonly string[]): Promise<Set<string>> {
    if (referencedIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('links')
      .select('object_id')
      .where('provisioning_id', '=', p.id)
      .where('object_type', '=', 'User')
      .where('object_id', 'in', referencedIds)
      .where('state', 'in', ['active', 'disabled'])
      .where('account_id', 'is not', null)
      .execute();
    return new Set(rows.map((row) => row.object_id));
  }

  return {
    /**
     * Replaces what `objectId` waits for (nothing: it waits for nothing). Written only when it changed.
     * A referenced user whose account appeared meanwhile (its release looked before this was written)
     * gets `objectId` reconciled again, so no reference is left waiting for an account that exists.
     */
    async remember(
      p: ProvisioningRef,
      objectId: string,
      waiting: readonly WaitingReference[],
    ): Promise<void> {
      const current = await db
        .selectFrom('pending_references')
        .select(['attribute', 'referenced_id'])
        .where('provisioning_id', '=', p.id)
        .where('object_id', '=', objectId)
        .execute();
      const same =
        current.length === waiting.length &&
        waiting.every((want) =>
          current.some((row) => row.attribute === want.attribute && row.referenced_id === want.referencedId),
        );
      if (same) return;
      await db
        .deleteFrom('pending_references')
        .where('provisioning_id', '=', p.id)
        .where('object_id', '=', objectId)
        .execute();
      if (waiting.length === 0) return;
      const now = new Date().toISOString();
      await db
        .insertInto('pending_references')
        .values(
          waiting.map((want) => ({
            provisioning_id: p.id,
            object_id: objectId,
            attribute: want.attribute,
            referenced_id: want.referencedId,
            created_at: now,
          })),
        )
        .onConflict((conflict) =>
          conflict
            .columns(['provisioning_id', 'object_id', 'attribute'])
            .doUpdateSet((eb) => ({ referenced_id: eb.ref('excluded.referenced_id') })),
        )
        .execute();
      const arrived = await withAccounts(
        p,
        waiting.map((want) => want.referencedId),
      );
      if (arrived.size > 0) await queue.enqueue([reconcileJob(p, objectId)]);
    },

    /**
     * `referencedId` was reconciled: when it has an account now, every user waiting for it is
     * reconciled again (and gets its target id). Returns how many were.
     */
    async release(p: ProvisioningRef, referencedId: string): Promise<number> {
      const waiting = await db
        .selectFrom('pending_references')
        .select('object_id')
        .distinct()
        .where('provisioning_id', '=', p.id)
        .where('referenced_id', '=', referencedId)
        .execute();
      if (waiting.length === 0 || !(await withAccounts(p, [referencedId])).has(referencedId)) return 0;
      await queue.enqueue(waiting.map((row) => reconcileJob(p, row.object_id)));
      return waiting.length;
    },
  };
}

export type PendingReferences = ReturnType<typeof createPendingReferences>;
