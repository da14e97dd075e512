import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { JobQueue, JobSpec } from '../../jobs/job-queue.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';

const BATCH = 500;
export const RECONCILE_USER = 'reconcile-user';
export const RECONCILE_GROUP = 'reconcile-group';

export const reconcileKey = (provisioningId: string, objectType: 'User' | 'Group', objectId: string) =>
  `reconcile:${provisioningId}:${objectType}:${objectId}`;

/**
 * Turns directory changes (the outbox) into reconcile jobs, one per enabled provisioning of the
 * tenant, coalesced by the queue (ten quick edits of one user become one job). Outbox rows are
 * removed in the transaction that enqueues their jobs, so a crash loses or duplicates nothing.
 * Wakes on the `directory` signal (every process on the database) and polls as a fallback.
 */
export function createChangeDispatcher(
  storage: Storage,
  queue: JobQueue,
  options: {
    logger: FastifyBaseLogger;
    pollIntervalMs?: number;
    /** How long a deleted user's removal waits for the rest of a burst (LOCKSTEP_DELETE_SETTLE_MS, 750 ms). */
    deleteSettleMs?: number;
    /**
     * Weighs users deleted together; returns the users deleted just before (earlier transactions of
     * the same burst), whose removals wait again with this batch's.
     */
    onUserDeletes?: (
      trx: Kysely<DatabaseSchema>,
      provisioning: { id: string; tenant_id: string; config: unknown },
      userIds: readonly string[],
    ) => Promise<readonly string[] | undefined>;
  },
) {
  const deleteSettleMs = options.deleteSettleMs ?? Number(process.env.LOCKSTEP_DELETE_SETTLE_MS ?? 750);
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let started = false;

  async function drainOnce(): Promise<number> {
    return storage.write(async (trx) => {
      const changes = await trx
        .selectFrom('directory_changes')
        .selectAll()
        .orderBy('seq')
        .limit(BATCH)
        .execute();
      if (changes.length === 0) return 0;
      const tenants = [...new Set(changes.map((change) => change.tenant_id))];
      const provisionings = await trx
        .selectFrom('provisionings')
        .select(['id', 'tenant_id', 'target_id', 'config'])
        .where('tenant_id', 'in', tenants)
        .where('status', '=', 'enabled')
        .execute();
      // Users deleted together are weighed by the deletion guard before any of their removals runs.
      const earlierDeletes: { provisioning: (typeof provisionings)[number]; userId: string }[] = [];
      if (options.onUserDeletes !== undefined)
        for (const provisioning of provisionings) {
          const deleted = changes
            .filter(
              (change) =>
                change.tenant_id === provisioning.tenant_id &&
                change.object_type === 'User' &&
                change.change === 'delete',
            )
            .map((change) => change.object_id);
          if (deleted.length === 0) continue;
          const earlier = await options.onUserDeletes(trx, provisioning, deleted);
          for (const userId of earlier ?? []) earlierDeletes.push({ provisioning, userId });
        }
      const jobs: JobSpec[] = [];
      // A deleted user's removal waits a moment, so that a burst of deletes spread over several
      // transactions (a source's run deletes user by user) is weighed whole by the deletion guard first.
      const settleAt = new Date(Date.now() + deleteSettleMs);
      for (const change of changes) {
        for (const provisioning of provisionings) {
          if (provisioning.tenant_id !== change.tenant_id) continue;
          jobs.push({
            kind: change.object_type === 'User' ? RECONCILE_USER : RECONCILE_GROUP,
            key: reconcileKey(provisioning.id, change.object_type, change.object_id),
            group: provisioning.target_id,
            payload: { provisioningId: provisioning.id, objectId: change.object_id, runId: null },
            ...(change.object_type === 'User' && change.change === 'delete' && deleteSettleMs > 0
              ? { runAt: settleAt }
              : {}),
          });
        }
      }
      // The settle slides: while a burst goes on, the removals of its earlier deletes wait with the
      // latest, so a source that deletes slowly (a loaded machine, a long run) is still weighed whole.
      if (deleteSettleMs > 0)
        for (const { provisioning, userId } of earlierDeletes)
          jobs.unshift({
            kind: RECONCILE_USER,
            key: reconcileKey(provisioning.id, 'User', userId),
            group: provisioning.target_id,
            payload: { provisioningId: provisioning.id, objectId: userId, runId: null },
            runAt: settleAt,
          });
      if (jobs.length > 0) await queue.enqueue(dedupe(jobs), trx);
      const last = changes[changes.length - 1]?.seq ?? 0;
      await trx.deleteFrom('directory_changes').where('seq', '<=', last).execute();
      return changes.length;
    });
  }

  async function drain(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        while (!stopped && (await drainOnce()) === BATCH);
      } while (again && !stopped);
    } catch (error) {
      options.logger.error({ err: error }, 'dispatching directory changes failed; will retry');
    } finally {
      running = false;
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      await drain();
      schedule();
    }, options.pollIntervalMs ?? 200);
    timer.unref();
  };

  return {
    start() {
      started = true;
      schedule();
    },
    /** A directory write committed: dispatch now rather than at the next poll (once started). */
    poke: () => {
      if (started && !stopped) void drain();
    },
    drain,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      while (running) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}

function dedupe(jobs: JobSpec[]): JobSpec[] {
  return [...new Map(jobs.map((job) => [job.key, job])).values()];
}
