import type { FastifyBaseLogger } from 'fastify';
import type { JobHandler, JobQueue, JobWorker } from '../../jobs/job-queue.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { createAccountBackups } from '../deprovisioning/account-backups.ts';
import { createDeletionGuard } from '../deprovisioning/deletion-guard.ts';
import { createDeprovisioningActions } from '../deprovisioning/deprovisioning-actions.ts';
import { createRemovalSweeper } from '../deprovisioning/removal-sweeper.ts';
import { createPlanService } from '../planning/plan-service.ts';
import { ProvisioningConfigSchema } from '../provisioning-config.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import { targetPacersOf } from '../targets/target-pacers.ts';
import type { TargetService } from '../targets/target-service.ts';
import { DEFAULT_TARGET_SETTINGS } from '../targets/target-settings.ts';
import {
  createChangeDispatcher,
  RECONCILE_GROUP,
  RECONCILE_USER,
  reconcileKey,
} from './change-dispatcher.ts';
import type { DeletionStrategy, DuplicationStrategy } from './compiled-provisioning.ts';
import { createDirectoryReader } from './directory-reader.ts';
import { createFullPushHandler, FULL_PUSH, startFullPushRun } from './full-push-handler.ts';
import { createLinkRepository } from './link-repository.ts';
import { createPendingReferences } from './pending-references.ts';
import { createProvisioningLogWriter, purgeProvisioningLog } from './provisioning-log-writer.ts';
import { createProvisioningPreviews } from './provisioning-previews.ts';
import { createProvisioningRuns, type RunView } from './provisioning-runs.ts';
import { createQuarantine } from './quarantine.ts';
import { createReconcileHandlers, groupReconcileJob } from './reconcile-handlers.ts';
import type { DeprovisioningKit } from './reconcile-outcome.ts';
import { createRemovalHandler } from './removal-handler.ts';
import { createTargetAdapters } from './target-adapters.ts';
import { createUserPageHandler, RECONCILE_USER_PAGE } from './user-page-handler.ts';

const REMOVAL = 'remove-provisioning';
const COMPILED_CACHE_MS = 2_000;

/**
 * Jobs one process runs at once, over all targets: twice the largest default per-target limit (a
 * Lockstep target's 16), so one target's full push leaves room for every other target's changes.
 */
export const ENGINE_WORKER_CONCURRENCY = 32;

export interface EngineOptions {
  readonly storage: Storage;
  readonly queue: JobQueue;
  readonly targets: TargetService;
  readonly provisionings: ProvisioningService;
  readonly logger: FastifyBaseLogger;
  /** Jobs this process runs at once (default `ENGINE_WORKER_CONCURRENCY`). */
  readonly concurrency?: number;
  readonly pollIntervalMs?: number;
  /** More job handlers for the same workers (e.g. scheduled source runs). */
  readonly handlers?: Readonly<Record<string, JobHandler>>;
  /** Provisioning-log entries older than this are purged (daily, and a minute after start). */
  readonly logRetentionDays?: number;
}

/**
 * The provisioning engine: directory changes become reconcile jobs (change-dispatcher.ts), workers
 * reconcile each object against its target (reconcile-handlers.ts), full pushes and removals run as
 * jobs that plan their objects and follow them to the end (full-push-handler.ts, removal-handler.ts),
 * and a target that keeps failing is quarantined until it answers again. This file wires them together
 * and is the engine's public API.
 */
export function createProvisioningEngine(options: EngineOptions) {
  const { storage, queue, logger } = options;
  const links = createLinkRepository(storage.db);
  const log = createProvisioningLogWriter(storage.db);
  const runs = createProvisioningRuns(storage);
  const reader = createDirectoryReader(storage);
  const adapters = createTargetAdapters(
    options.targets,
    targetPacersOf(storage, {
      onFallback: (error) =>
        logger.warn({ err: error }, 'booking a rate-limit slot failed; pacing this process alone meanwhile'),
    }),
  );
  const previews = createProvisioningPreviews({ provisionings: options.provisionings, reader, links });
  const quarantine = createQuarantine({ queue, targets: options.targets, adapters, logger });
  const references = createPendingReferences(storage.db, queue);

  const sweeper = createRemovalSweeper({ storage, queue, logger });
  const deprovisioning: DeprovisioningKit = {
    guard: createDeletionGuard(storage),
    backups: createAccountBackups(storage.db),
  };
  /** Per provisioning, the users deleted in recent dispatch batches (this process), for the guard. */
  const recentDeletes = new Map<string, { at: number; ids: readonly string[] }[]>();
  const dispatcher = createChangeDispatcher(storage, queue, {
    logger,
    onUserDeletes: async (trx, provisioning, userIds) => {
      const config = ProvisioningConfigSchema.safeParse(
        typeof provisioning.config === 'string' ? JSON.parse(provisioning.config) : provisioning.config,
      );
      if (!config.success || config.data.deprovision.onDeleted === 'keep') return undefined;
      // Deletes seen in the last few seconds are still waiting (the dispatcher's settle delay): they
      // are weighed with this batch, so a burst spread over several transactions counts whole.
      const now = Date.now();
      const seen = (recentDeletes.get(provisioning.id) ?? []).filter((entry) => entry.at > now - 5_000);
      seen.push({ at: now, ids: userIds });
      recentDeletes.set(provisioning.id, seen);
      const burst = [...new Set(seen.flatMap((entry) => entry.ids))];
      const paused = await deprovisioning.guard.assessBurst(
        trx,
        {
          id: provisioning.id,
          tenantId: provisioning.tenant_id,
          guard: config.data.deprovision.deletionGuard,
        },
        burst,
      );
      if (paused !== undefined) logger.warn({ provisioningId: provisioning.id }, paused);
      const current = new Set(userIds);
      return burst.filter((id) => !current.has(id));
    },
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  const compiledCache = new Map<
    string,
    { until: number; value: Awaited<ReturnType<ProvisioningService['compiled']>> }
  >();
  let worker: JobWorker | undefined;
  const purgeTimers: NodeJS.Timeout[] = [];
  const purgeLog = () =>
    void purgeProvisioningLog(storage.db, options.logRetentionDays ?? 90)
      .then(
        (purged) =>
          purged > 0 && logger.info({ purged }, 'provisioning log entries past their retention purged'),
      )
      .catch((error: unknown) => logger.error({ err: error }, 'purging the provisioning log failed'));

  async function compiledOf(id: string) {
    const cached = compiledCache.get(id);
    if (cached !== undefined && cached.until > Date.now()) return cached.value;
    const value = await options.provisionings.compiled(id).catch((error: unknown) => {
      logger.warn({ provisioningId: id, err: error }, 'provisioning configuration does not compile');
      return undefined;
    });
    compiledCache.set(id, { until: Date.now() + COMPILED_CACHE_MS, value });
    return value;
  }

  const startRun = (tenantId: string, provisioningId: string) =>
    startFullPushRun({ runs, queue }, tenantId, provisioningId);
  const reconcile = createReconcileHandlers({
    queue,
    runs,
    reader,
    links,
    log,
    adapters,
    quarantine,
    deprovisioning,
    references,
    compiledOf,
    startFullPush: startRun,
  });
  const handleFullPush = createFullPushHandler({
    runs,
    queue,
    reader,
    links,
    guard: deprovisioning.guard,
    logger,
    compiledOf,
  });

  const handleUserPage = createUserPageHandler({
    storage,
    queue,
    runs,
    reader,
    links,
    log,
    compiledOf,
    adapterFor: (targetId) => adapters.adapterFor(targetId),
    contextFor: async (provisioning, adapter, runId, job) => ({
      provisioning,
      adapter,
      links,
      log,
      runId,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
      native: await adapters.nativeFor(provisioning.targetId),
      deprovisioning,
      references,
    }),
    holdMs: reconcile.holdMs,
    observe: (targetId, result) => void reconcile.observe(targetId, result),
    groupJobsAfter: async (provisioning, userIds) =>
      (await Promise.all(userIds.map((id) => reader.directGroupsOf(provisioning.tenantId, id)))).flatMap(
        (groupIds) =>
          groupIds.map((groupId) => groupReconcileJob(provisioning.id, provisioning.targetId, groupId, null)),
      ),
  });

  const handleRemoval = createRemovalHandler({
    runs,
    deprovisioning,
    provisionings: options.provisionings,
    adapters,
    links,
    log,
    onRemoved: (id) => compiledCache.delete(id),
  });

  async function requireProvisioning(tenantId: string, provisioningId: string) {
    const view = await options.provisionings.getProvisioning(tenantId, provisioningId);
    return view;
  }

  const engine = {
    start(): void {
      dispatcher.start();
      options.targets
        .applyConcurrencyLimits(queue)
        .catch((error: unknown) =>
          logger.error({ err: error }, 'setting the targets’ concurrency limits failed; the default applies'),
        );
      worker = queue.startWorker({
        handlers: {
          [RECONCILE_USER]: reconcile.handleReconcile,
          [RECONCILE_GROUP]: reconcile.handleReconcileGroup,
          [FULL_PUSH]: handleFullPush,
          [RECONCILE_USER_PAGE]: handleUserPage,
          [REMOVAL]: handleRemoval,
          ...options.handlers,
        },
        concurrency: options.concurrency ?? ENGINE_WORKER_CONCURRENCY,
        // Jobs are grouped by target: a target's settings.concurrency is its group's limit (set by the
        // target service, and below for targets older than the limits); this covers a group without one.
        groupConcurrency: DEFAULT_TARGET_SETTINGS.concurrency,
        pollIntervalMs: 250,
        onError: (error) => logger.error({ err: error }, 'provisioning job failed unexpectedly'),
      });
      quarantine.start();
      sweeper.start();
      purgeTimers.push(setTimeout(purgeLog, 60_000).unref(), setInterval(purgeLog, 86_400_000).unref());
    },
    /** A directory write committed in this process: dispatch it now. */
    poke: () => dispatcher.poke(),
    /** A provisioning changed: forget its compiled form. */
    forget: (provisioningId: string) => compiledCache.delete(provisioningId),
    /** A target changed: rebuild its adapter (connection, credentials) on next use. */
    forgetTarget: (targetId: string) => adapters.forget(targetId),
    drain: () => dispatcher.drain(),

    async startFullPush(tenantId: string, provisioningId: string): Promise<RunView> {
      const provisioning = await requireProvisioning(tenantId, provisioningId);
      if (provisioning.status !== 'enabled')
        throw new ProvisioningError(
          'conflict',
          `Provisioning "${provisioningId}" is ${provisioning.status}; enable it first`,
        );
      return startRun(tenantId, provisioningId);
    },

    async removeProvisioning(
      tenantId: string,
      provisioningId: string,
      strategy?: DeletionStrategy,
    ): Promise<RunView> {
      await requireProvisioning(tenantId, provisioningId);
      await options.provisionings.markRemoving(tenantId, provisioningId, strategy);
      compiledCache.delete(provisioningId);
      await queue.cancel(`reconcile:${provisioningId}:`);
      const run = await runs.create(tenantId, provisioningId, 'removal');
      await queue.enqueue([
        { kind: REMOVAL, key: `removal:${provisioningId}`, payload: { runId: run.id }, maxAttempts: 1000 },
      ]);
      return runs.view(run);
    },

    async getRun(tenantId: string, runId: string): Promise<RunView> {
      const run = await runs.find(runId);
      if (run === undefined || run.tenant_id !== tenantId)
        throw new ProvisioningError('not_found', `Run "${runId}" not found`);
      return runs.view(run);
    },
    listRuns: (tenantId: string, provisioningId: string) => runs.list(tenantId, provisioningId),
    async cancelRun(tenantId: string, runId: string): Promise<RunView> {
      const run = await runs.find(runId);
      if (run === undefined || run.tenant_id !== tenantId)
        throw new ProvisioningError('not_found', `Run "${runId}" not found`);
      if (run.kind !== 'full-push')
        throw new ProvisioningError('conflict', 'Only a full push can be cancelled');
      await runs.update(runId, { cancel_requested: 1 });
      if (run.status === 'pending' || (run.status === 'running' && run.cursor === 'done')) {
        await runs.cancelPending(runId);
        await runs.update(runId, { status: 'cancelled', finished_at: new Date().toISOString() });
      }
      return runs.view((await runs.find(runId)) ?? run);
    },
    resumeTarget: (targetId: string) => quarantine.resume(targetId, 'resumed on command'),

    /** Retries a failed event's object now, optionally with another duplication strategy. */
    async retryObject(
      tenantId: string,
      provisioningId: string,
      objectType: 'User' | 'Group',
      objectId: string,
      duplicationStrategy?: DuplicationStrategy,
    ): Promise<void> {
      const provisioning = await requireProvisioning(tenantId, provisioningId);
      await queue.enqueue([
        {
          kind: objectType === 'User' ? RECONCILE_USER : RECONCILE_GROUP,
          key: reconcileKey(provisioningId, objectType, objectId),
          group: provisioning.targetId,
          payload: {
            provisioningId,
            objectId,
            runId: null,
            ...(duplicationStrategy !== undefined ? { duplicationStrategy } : {}),
          },
        },
      ]);
    },

    /** Staged removals, blocked deletes, grace periods, backups and restore, revoke-now (issue 5). */
    deprovisioning: createDeprovisioningActions({
      storage,
      queue,
      kit: deprovisioning,
      compiled: async (id) => (await compiledOf(id))?.compiled,
      adapters,
      links,
      log,
      reader,
    }),

    previewScope: previews.previewScope,
    preview: previews.preview,

    /** Plans (dry runs) of a full push, a configuration change or a removal, and applying them (issue 5). */
    planning: createPlanService({
      storage,
      queue,
      provisionings: options.provisionings,
      reader,
      links,
      adapters,
      guard: deprovisioning.guard,
      backups: deprovisioning.backups,
      runs,
      removeProvisioning: (tenantId, provisioningId, strategy): Promise<RunView> =>
        engine.removeProvisioning(tenantId, provisioningId, strategy),
      forget: (provisioningId) => compiledCache.delete(provisioningId),
    }),

    async stop(): Promise<void> {
      for (const timer of purgeTimers) clearTimeout(timer);
      quarantine.stop();
      sweeper.stop();
      await dispatcher.stop();
      await worker?.stop();
    },
  };
  return engine;
}

export type ProvisioningEngine = ReturnType<typeof createProvisioningEngine>;
