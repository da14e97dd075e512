import type { FastifyBaseLogger } from 'fastify';
import type { JobOutcome, JobQueue, RunningJob } from '../../jobs/job-queue.ts';
import { nextScheduledRun } from '../../sources/source-schedule.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import type { ReconciliationRuns } from './reconciliation-runs.ts';

export const RECONCILIATION_SCHEDULE = 'reconciliation-schedule';
const keyOf = (provisioningId: string) => `reconciliation-schedule:${provisioningId}`;

/**
 * Runs each provisioning's reconciliation on its cron schedule (five fields, UTC, like sources)
 * through the job queue, so exactly one process starts each occurrence and a crash only delays it.
 * Each occurrence queues the next. A disabled provisioning keeps its schedule but is not read back
 * until enabled again; an occurrence that finds a run still going starts none.
 */
export function createReconciliationScheduler(options: {
  queue: JobQueue;
  runs: ReconciliationRuns;
  provisionings: ProvisioningService;
  logger: FastifyBaseLogger;
  startRun: (tenantId: string, provisioningId: string, trigger: 'schedule') => Promise<unknown>;
}) {
  const { queue, runs, logger } = options;

  /** (Re)queues the provisioning's next occurrence from its current schedule, or drops it. */
  async function schedule(tenantId: string, provisioningId: string): Promise<Date | undefined> {
    const expression = await runs.schedule(provisioningId);
    const next = expression === null ? undefined : nextScheduledRun(expression, new Date());
    if (next === undefined || !next.ok) {
      await queue.cancel(keyOf(provisioningId));
      return undefined;
    }
    await queue.enqueue([
      {
        kind: RECONCILIATION_SCHEDULE,
        key: keyOf(provisioningId),
        payload: { tenantId, provisioningId },
        runAt: next.at,
      },
    ]);
    return next.at;
  }

  async function handle(job: RunningJob): Promise<JobOutcome> {
    const { tenantId, provisioningId } = job.payload as { tenantId: string; provisioningId: string };
    const provisioning = await options.provisionings
      .getProvisioning(tenantId, provisioningId)
      .catch(() => undefined);
    if (provisioning === undefined) return { outcome: 'done' };
    if (provisioning.status === 'enabled')
      await options
        .startRun(tenantId, provisioningId, 'schedule')
        .catch((error: unknown) =>
          logger.warn({ provisioningId, err: error }, 'scheduled reconciliation did not start'),
        );
    await schedule(tenantId, provisioningId);
    return { outcome: 'done' };
  }

  return {
    handlers: { [RECONCILIATION_SCHEDULE]: handle },
    schedule,
    /** At start: make sure every scheduled provisioning has its next reconciliation queued. */
    async scheduleAll(): Promise<void> {
      for (const row of await runs.scheduled()) await schedule(row.tenant_id, row.provisioning_id);
    },
  };
}
