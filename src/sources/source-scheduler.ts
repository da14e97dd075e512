import type { FastifyBaseLogger } from 'fastify';
import type { JobOutcome, JobQueue, RunningJob } from '../jobs/job-queue.ts';
import type { Storage } from '../storage/open-storage.ts';
import { nextScheduledRun } from './source-schedule.ts';
import type { SourceService } from './source-service.ts';

export const SOURCE_SCHEDULE = 'source-schedule';
const keyOf = (sourceId: string) => `source-schedule:${sourceId}`;

/**
 * Runs LDAP sources on their cron schedule through the job queue, so exactly one process runs each
 * occurrence and a crash only delays it. Scheduled runs are **full**: they compare everything, so
 * entries deleted in the directory are found (OpenLDAP gives no deletion signal to an incremental run),
 * always behind pull protection. Each run enqueues the next occurrence.
 */
export function createSourceScheduler(options: {
  storage: Storage;
  queue: JobQueue;
  sources: SourceService;
  logger: FastifyBaseLogger;
  /** A run changed the directory: dispatch its outbox rows now. */
  onDirectoryWrite?: () => void;
}) {
  const { queue, sources, logger } = options;

  /** (Re)schedules a source's next run from its current schedule; a source without one is left alone. */
  async function schedule(tenantId: string, sourceId: string): Promise<void> {
    const source = await sources.getSource(tenantId, sourceId).catch(() => undefined);
    if (
      source === undefined ||
      source.kind !== 'ldap' ||
      source.schedule === null ||
      source.status !== 'enabled'
    ) {
      await queue.cancel(keyOf(sourceId));
      return;
    }
    const next = nextScheduledRun(source.schedule, new Date());
    if (!next.ok) return;
    await queue.enqueue([
      {
        kind: SOURCE_SCHEDULE,
        key: keyOf(sourceId),
        payload: { tenantId, sourceId, at: next.at.toISOString() },
        runAt: next.at,
      },
    ]);
  }

  async function handle(job: RunningJob): Promise<JobOutcome> {
    const { tenantId, sourceId } = job.payload as { tenantId: string; sourceId: string };
    const source = await sources.getSource(tenantId, sourceId).catch(() => undefined);
    if (source === undefined || source.schedule === null || source.status !== 'enabled')
      return { outcome: 'done' };
    const result = await sources.runSource(tenantId, sourceId, { mode: 'full', trigger: 'schedule' });
    if (result.ok) options.onDirectoryWrite?.();
    else logger.warn({ sourceId, error: result.error?.code }, 'scheduled source run stopped');
    await schedule(tenantId, sourceId);
    return { outcome: 'done' };
  }

  return {
    handlers: { [SOURCE_SCHEDULE]: handle },
    schedule,
    /** At start: make sure every scheduled source has its next run queued. */
    async scheduleAll(): Promise<void> {
      const rows = await options.storage.db
        .selectFrom('sources')
        .select(['id', 'tenant_id'])
        .where('schedule', 'is not', null)
        .execute();
      for (const row of rows) await schedule(row.tenant_id, row.id);
    },
  };
}

export type SourceScheduler = ReturnType<typeof createSourceScheduler>;
