import type { FastifyBaseLogger } from 'fastify';
import type { JobOutcome, JobQueue, RunningJob } from '../../jobs/job-queue.ts';
import { nextScheduledRun } from '../../sources/source-schedule.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { createDirectoryReader } from '../engine/directory-reader.ts';
import { createLinkRepository } from '../engine/link-repository.ts';
import { createTargetAdapters } from '../engine/target-adapters.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import { targetPacersOf } from '../targets/target-pacers.ts';
import type { TargetService } from '../targets/target-service.ts';
import { createFindingActions, type RetryObject } from './finding-actions.ts';
import { createFindingRepository, type FindingQuery } from './finding-repository.ts';
import { reconcileTarget } from './reconcile-target.ts';
import { createReconciliationLinkQueries } from './reconciliation-link-queries.ts';
import { createReconciliationRuns } from './reconciliation-runs.ts';
import { createReconciliationScheduler } from './reconciliation-scheduler.ts';
import type {
  FindingAction,
  FindingView,
  ReconciliationProgress,
  ReconciliationRunView,
} from './reconciliation-types.ts';

export const RECONCILIATION_RUN = 'reconciliation-run';

export interface ReconciliationServiceOptions {
  readonly storage: Storage;
  readonly queue: JobQueue;
  readonly targets: TargetService;
  readonly provisionings: ProvisioningService;
  readonly logger: FastifyBaseLogger;
  /** The engine's `retryObject`: actions end by reconciling the object they touched. */
  readonly retryObject: RetryObject;
  /** Accounts per page when listing a target (default: the profile's largest page). */
  readonly pageSize?: number;
}

export interface ReconciliationReport {
  readonly run: ReconciliationRunView;
  readonly findings: { readonly items: FindingView[]; readonly nextCursor: string | null };
}

export interface ReconciliationSchedule {
  readonly provisioningId: string;
  readonly schedule: string | null;
  readonly nextRunAt: string | null;
}

/**
 * Reconciliation of provisionings (issue 5, item 7): runs that read a target back and compare it with
 * the links and the desired state (reconcile-target.ts), on demand or on a schedule, their reports,
 * and the actions on what they find (finding-actions.ts). Runs are jobs on the engine's queue: give
 * `handlers` to the engine's workers.
 */
export function createReconciliationService(options: ReconciliationServiceOptions) {
  const { storage, queue, provisionings, logger } = options;
  const findings = createFindingRepository(storage);
  const runs = createReconciliationRuns(storage, findings);
  const links = createLinkRepository(storage.db);
  const reader = createDirectoryReader(storage);
  const adapters = createTargetAdapters(options.targets, targetPacersOf(storage));
  const linkQueries = createReconciliationLinkQueries(storage.db);
  const actions = createFindingActions({
    storage,
    provisionings,
    adapters,
    reader,
    links,
    linkQueries,
    findings,
    retryObject: options.retryObject,
  });

  async function startRun(
    tenantId: string,
    provisioningId: string,
    trigger: ReconciliationProgress['trigger'] = 'manual',
  ): Promise<ReconciliationRunView> {
    const provisioning = await provisionings.getProvisioning(tenantId, provisioningId);
    if (provisioning.status === 'removing')
      throw new ProvisioningError('conflict', `Provisioning "${provisioningId}" is being removed`);
    // One run at a time per provisioning: asking again while one goes on answers that one.
    const active = await runs.findActive(provisioningId);
    if (active !== undefined) return runs.view(active);
    const run = await runs.create(tenantId, provisioningId, trigger);
    await queue.enqueue([
      {
        kind: RECONCILIATION_RUN,
        key: `reconciliation-run:${run.id}`,
        // The target's group: a quarantined (paused) target is not read back until it answers again.
        group: provisioning.targetId,
        payload: { runId: run.id, trigger },
        maxAttempts: 5,
      },
    ]);
    return runs.view(run);
  }

  const scheduler = createReconciliationScheduler({ queue, runs, provisionings, logger, startRun });

  async function handleRun(job: RunningJob): Promise<JobOutcome> {
    const { runId, trigger } = job.payload as { runId: string; trigger?: ReconciliationProgress['trigger'] };
    const run = await runs.find(runId);
    if (run === undefined || (run.status !== 'pending' && run.status !== 'running'))
      return { outcome: 'done' };
    const fail = async (error: string) => {
      await runs.update(runId, { status: 'failed', error, finished_at: new Date().toISOString() });
      logger.warn({ runId, provisioningId: run.provisioning_id, error }, 'reconciliation failed');
      return { outcome: 'done' } as const;
    };
    try {
      const loaded = await provisionings.compiled(run.provisioning_id).catch(() => undefined);
      if (loaded === undefined)
        return await fail('The provisioning is gone or its configuration does not compile');
      const adapter = await adapters.adapterFor(loaded.compiled.targetId);
      if (adapter === undefined) return await fail(`The target "${loaded.compiled.targetId}" is gone`);
      // A run taken over after a crash starts over: what it found so far is found again.
      if (run.status === 'running') await findings.deleteRun(runId);
      await runs.update(runId, { status: 'running', started_at: new Date().toISOString(), error: null });
      const result = await reconcileTarget(
        {
          provisioning: loaded.compiled,
          adapter,
          reader,
          links,
          linkQueries,
          findings,
          signal: job.signal,
          onProgress: (progress) => runs.update(runId, { progress }),
          ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
        },
        { id: runId, tenantId: run.tenant_id, provisioningId: run.provisioning_id },
        trigger ?? 'manual',
      );
      if (!result.ok) {
        await runs.update(runId, { progress: result.progress });
        return await fail(result.error);
      }
      const partial = !result.progress.complete || result.progress.unchecked > 0;
      await runs.update(runId, {
        status: partial ? 'partial_success' : 'success',
        error: !result.progress.complete
          ? 'The target lists only one page and holds more: orphans beyond it are not found'
          : result.progress.unchecked > 0
            ? `${result.progress.unchecked} linked account(s) could not be read`
            : null,
        finished_at: new Date().toISOString(),
        progress: result.progress,
      });
      return { outcome: 'done' };
    } catch (error) {
      // A worker that stops (or lost the job) leaves the run to the next attempt, which starts over.
      if (job.signal.aborted) throw error;
      logger.error({ err: error, runId }, 'reconciliation failed unexpectedly');
      return fail('The reconciliation failed unexpectedly (see the server log)');
    }
  }

  async function findingOf(tenantId: string, provisioningId: string | undefined, findingId: string) {
    const finding = await findings.find(findingId);
    if (
      finding === undefined ||
      finding.tenantId !== tenantId ||
      (provisioningId !== undefined && finding.provisioningId !== provisioningId)
    )
      throw new ProvisioningError('not_found', `Finding "${findingId}" not found`);
    return finding;
  }

  async function runOf(tenantId: string, provisioningId: string | undefined, runId: string) {
    const run = await runs.find(runId);
    if (
      run === undefined ||
      run.tenant_id !== tenantId ||
      (provisioningId !== undefined && run.provisioning_id !== provisioningId)
    )
      throw new ProvisioningError('not_found', `Reconciliation "${runId}" not found`);
    return run;
  }

  return {
    /** Job handlers for the engine's workers: runs, and scheduled occurrences. */
    handlers: { [RECONCILIATION_RUN]: handleRun, ...scheduler.handlers },
    /** At start: queue every scheduled provisioning's next reconciliation. */
    scheduleAll: () => scheduler.scheduleAll(),

    /** Starts a reconciliation (or answers the one still going for this provisioning). */
    startRun: (tenantId: string, provisioningId: string) => startRun(tenantId, provisioningId, 'manual'),

    async listRuns(tenantId: string, provisioningId: string): Promise<ReconciliationRunView[]> {
      await provisionings.getProvisioning(tenantId, provisioningId);
      return runs.list(tenantId, provisioningId);
    },

    /** A run with its counts per kind and status, and a page of its findings. */
    async report(
      tenantId: string,
      provisioningId: string | undefined,
      runId: string,
      query: FindingQuery = {},
    ): Promise<ReconciliationReport> {
      const run = await runOf(tenantId, provisioningId, runId);
      return { run: await runs.view(run), findings: await findings.list(runId, query) };
    },

    async act(
      tenantId: string,
      provisioningId: string | undefined,
      findingId: string,
      request: { action: FindingAction; objectId?: string | undefined },
    ): Promise<FindingView> {
      const finding = await findingOf(tenantId, provisioningId, findingId);
      return actions.act(finding, request.action, request.objectId);
    },

    async getSchedule(tenantId: string, provisioningId: string): Promise<ReconciliationSchedule> {
      await provisionings.getProvisioning(tenantId, provisioningId);
      const schedule = await runs.schedule(provisioningId);
      const next = schedule === null ? undefined : nextScheduledRun(schedule, new Date());
      return { provisioningId, schedule, nextRunAt: next?.ok ? next.at.toISOString() : null };
    },

    /** Sets (a five-field cron expression, UTC) or clears (null) a provisioning's schedule. */
    async setSchedule(
      tenantId: string,
      provisioningId: string,
      schedule: string | null,
    ): Promise<ReconciliationSchedule> {
      await provisionings.getProvisioning(tenantId, provisioningId);
      const expression = schedule === null || schedule.trim() === '' ? null : schedule.trim();
      if (expression !== null) {
        const checked = nextScheduledRun(expression, new Date());
        if (!checked.ok) throw new ProvisioningError('invalid', checked.message, { field: 'schedule' });
      }
      await runs.saveSchedule(tenantId, provisioningId, expression);
      const next = await scheduler.schedule(tenantId, provisioningId);
      return { provisioningId, schedule: expression, nextRunAt: next?.toISOString() ?? null };
    },
  };
}

export type ReconciliationService = ReturnType<typeof createReconciliationService>;
