import type { FastifyBaseLogger } from 'fastify';
import type { JobQueue } from '../../jobs/job-queue.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { RECONCILE_USER, reconcileKey } from '../engine/change-dispatcher.ts';
import { createAccountBackups } from './account-backups.ts';
import { blockedRecheckMs as defaultBlockedRecheckMs } from './remove-account.ts';

const BATCH = 500;
const PURGE_EVERY_MS = 3_600_000;

/**
 * Removals that wait on time rather than on a directory change: a disable-then-delete whose grace
 * period ended, and a delete blocked by target state (tried again every blockedRecheckMs(), so it
 * completes by itself once someone clears the state). Each becomes an ordinary reconcile job, so
 * per-object ordering and coalescing hold. Expired backups are purged here too.
 */
export function createRemovalSweeper(options: {
  storage: Storage;
  queue: JobQueue;
  logger: FastifyBaseLogger;
  intervalMs?: number;
  blockedRecheckMs?: number;
}) {
  const { storage, queue, logger } = options;
  const intervalMs = options.intervalMs ?? Number(process.env.LOCKSTEP_REMOVAL_SWEEP_MS ?? 15_000);
  const blockedRecheckMs = options.blockedRecheckMs ?? defaultBlockedRecheckMs();
  const backups = createAccountBackups(storage.db);
  let timer: NodeJS.Timeout | undefined;
  let lastPurge = 0;
  let running = false;

  async function sweep(now = new Date()): Promise<number> {
    const db = storage.db;
    const due = await db
      .selectFrom('links')
      .innerJoin('provisionings', 'provisionings.id', 'links.provisioning_id')
      .select(['links.provisioning_id', 'links.object_id', 'provisionings.target_id'])
      .where('links.object_type', '=', 'User')
      .where('links.state', '=', 'disabled')
      .where('links.delete_after', '<=', now.toISOString())
      .where('provisionings.status', '=', 'enabled')
      .limit(BATCH)
      .execute();
    const blocked = await db
      .selectFrom('links')
      .innerJoin('provisionings', 'provisionings.id', 'links.provisioning_id')
      .select(['links.provisioning_id', 'links.object_id', 'provisionings.target_id'])
      .where('links.removal_state', '=', 'blocked')
      .where('links.updated_at', '<=', new Date(now.getTime() - blockedRecheckMs).toISOString())
      .where('provisionings.status', '=', 'enabled')
      .limit(BATCH)
      .execute();
    const jobs = [...due, ...blocked].map((row) => ({
      kind: RECONCILE_USER,
      key: reconcileKey(row.provisioning_id, 'User', row.object_id),
      group: row.target_id,
      payload: { provisioningId: row.provisioning_id, objectId: row.object_id, runId: null },
    }));
    if (jobs.length > 0) await queue.enqueue([...new Map(jobs.map((job) => [job.key, job])).values()]);
    if (now.getTime() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = now.getTime();
      const purged = await backups.purgeExpired(now);
      if (purged > 0) logger.info({ purged }, 'account backups past their retention purged');
      // Admissions outlive no window (the longest is a week).
      await db
        .deleteFrom('removal_admissions')
        .where('admitted_at', '<', new Date(now.getTime() - 7 * 86_400_000).toISOString())
        .execute();
    }
    return jobs.length;
  }

  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await sweep();
    } catch (error) {
      logger.error({ err: error }, 'sweeping due and blocked removals failed; will retry');
    } finally {
      running = false;
    }
  };

  return {
    sweep,
    start() {
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
