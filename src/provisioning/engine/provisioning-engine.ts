import type { FastifyBaseLogger } from 'fastify';
import type { JobHandler, JobOutcome, JobQueue, JobWorker, RunningJob } from '../../jobs/job-queue.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { createAccountBackups } from '../deprovisioning/account-backups.ts';
import { createDeletionGuard } from '../deprovisioning/deletion-guard.ts';
import { createDeprovisioningActions } from '../deprovisioning/deprovisioning-actions.ts';
import { countPlannedRemovals } from '../deprovisioning/plan-removals.ts';
import { createRemovalSweeper } from '../deprovisioning/removal-sweeper.ts';
import { createPlanService } from '../planning/plan-service.ts';
import { ProvisioningConfigSchema } from '../provisioning-config.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import { targetPacersOf } from '../targets/target-pacers.ts';
import { DEFAULT_TARGET_SETTINGS, type TargetService } from '../targets/target-service.ts';
import {
  createChangeDispatcher,
  RECONCILE_GROUP,
  RECONCILE_USER,
  reconcileKey,
} from './change-dispatcher.ts';
import type { CompiledProvisioning, DeletionStrategy, DuplicationStrategy } from './compiled-provisioning.ts';
import { createDirectoryReader } from './directory-reader.ts';
import { createLinkRepository } from './link-repository.ts';
import { createPendingReferences } from './pending-references.ts';
import { createProvisioningLogWriter, purgeProvisioningLog } from './provisioning-log-writer.ts';
import { createProvisioningPreviews } from './provisioning-previews.ts';
import { createProvisioningRuns, type RunView } from './provisioning-runs.ts';
import { createQuarantine } from './quarantine.ts';
import { reconcileGroup } from './reconcile-group.ts';
import type { DeprovisioningKit } from './reconcile-outcome.ts';
import { type ReconcileResult, reconcileUser } from './reconcile-user.ts';
import { createRemovalHandler } from './removal-handler.ts';
import { createTargetAdapters } from './target-adapters.ts';
import { createUserPageHandler, planUserPages, RECONCILE_USER_PAGE } from './user-page-handler.ts';

const FULL_PUSH = 'full-push';
const REMOVAL = 'remove-provisioning';
const PAGE = 500;
const COMPILED_CACHE_MS = 2_000;

export interface EngineOptions {
  readonly storage: Storage;
  readonly queue: JobQueue;
  readonly targets: TargetService;
  readonly provisionings: ProvisioningService;
  readonly logger: FastifyBaseLogger;
  /** Jobs this process runs at once. */
  readonly concurrency?: number;
  readonly pollIntervalMs?: number;
  /** More job handlers for the same workers (e.g. scheduled source runs). */
  readonly handlers?: Readonly<Record<string, JobHandler>>;
  /** Provisioning-log entries older than this are purged (daily, and a minute after start). */
  readonly logRetentionDays?: number;
}

/**
 * The provisioning engine: directory changes become reconcile jobs (change-dispatcher.ts), workers
 * reconcile each object against its target (reconcile-user.ts), full pushes and removals run as jobs
 * that plan their objects and follow them to the end, and a target that keeps failing is quarantined
 * until it answers again.
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
  const dispatcher = createChangeDispatcher(storage, queue, {
    logger,
    onUserDeletes: async (trx, provisioning, userIds) => {
      const config = ProvisioningConfigSchema.safeParse(
        typeof provisioning.config === 'string' ? JSON.parse(provisioning.config) : provisioning.config,
      );
      if (!config.success || config.data.deprovision.onDeleted === 'keep') return;
      const paused = await deprovisioning.guard.assessBurst(
        trx,
        {
          id: provisioning.id,
          tenantId: provisioning.tenant_id,
          guard: config.data.deprovision.deletionGuard,
        },
        userIds,
      );
      if (paused !== undefined) logger.warn({ provisioningId: provisioning.id }, paused);
    },
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  const compiledCache = new Map<
    string,
    { until: number; value: Awaited<ReturnType<ProvisioningService['compiled']>> }
  >();
  let worker: JobWorker | undefined;
  /** Targets that answered Retry-After, until when (per process). */
  const holds = new Map<string, number>();
  const holdTarget = (targetId: string, afterMs: number) =>
    holds.set(targetId, Math.max(holds.get(targetId) ?? 0, Date.now() + afterMs));
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

  async function handleReconcile(job: RunningJob): Promise<JobOutcome> {
    const { provisioningId, objectId } = job.payload as {
      provisioningId: string;
      objectId: string;
      runId: string | null;
    };
    const loaded = await compiledOf(provisioningId);
    if (loaded === undefined)
      return { outcome: 'failed', error: `provisioning ${provisioningId} is gone or does not compile` };
    // A retry of a failed event may ask for another duplication strategy, for this object only.
    const override = (job.payload as { duplicationStrategy?: CompiledProvisioning['duplicationStrategy'] })
      .duplicationStrategy;
    const provisioning: CompiledProvisioning =
      override === undefined ? loaded.compiled : { ...loaded.compiled, duplicationStrategy: override };
    const adapter = await adapters.adapterFor(provisioning.targetId);
    if (adapter === undefined) return { outcome: 'failed', error: `target ${provisioning.targetId} is gone` };
    // The target asked us (429/503 Retry-After) to wait: a job that coalesced a new change must not
    // call it sooner, and waiting is not a failure that counts towards quarantine.
    const holdMs = (holds.get(provisioning.targetId) ?? 0) - Date.now();
    if (holdMs > 0) {
      // Rescheduled, not retried: waiting for the target is no failed attempt.
      await queue.enqueue([
        {
          kind: job.kind,
          key: job.key,
          group: provisioning.targetId,
          payload: job.payload,
          runAt: new Date(Date.now() + holdMs),
        },
      ]);
      return { outcome: 'done' };
    }
    const user = await reader.readUser(provisioning.tenantId, objectId, {
      groups: provisioning.scopeUsesGroups,
      orgUnits: provisioning.scopeUsesOrgUnits,
    });
    const result = await reconcileUser(
      {
        provisioning,
        adapter,
        links,
        log,
        runId: (job.payload as { runId: string | null }).runId,
        attempt: job.attempt,
        maxAttempts: job.maxAttempts,
        native: await adapters.nativeFor(provisioning.targetId),
        deprovisioning,
        references,
      },
      objectId,
      user,
    );
    const retry = observe(provisioning.targetId, result);
    if (retry !== undefined) return retry;
    // A member that just got (or lost) its account: its groups can now list (or drop) it.
    if (provisioning.pushGroups && (result.action === 'created' || result.action === 'deleted')) {
      const groupIds = await reader.directGroupsOf(provisioning.tenantId, objectId);
      await queue.enqueue(
        groupIds.map((groupId) => groupJob(provisioning.id, provisioning.targetId, groupId, null)),
      );
    }
    return settle(provisioningId, 'User', objectId, result);
  }

  /** A retry from the target counts towards quarantine, and its Retry-After holds the whole target. */
  function observe(targetId: string, result: ReconcileResult): JobOutcome | undefined {
    quarantine.observe(targetId, result.outcome === 'retry' ? result.error : undefined);
    if (result.outcome !== 'retry') return undefined;
    if (result.afterMs !== undefined) holdTarget(targetId, result.afterMs);
    return {
      outcome: 'retry',
      error: result.error,
      ...(result.afterMs !== undefined ? { afterMs: result.afterMs } : {}),
    };
  }

  /** Records how an object ended in the runs that planned it, and turns the result into the job's outcome. */
  async function settle(
    provisioningId: string,
    objectType: 'User' | 'Group',
    objectId: string,
    result: ReconcileResult,
  ): Promise<JobOutcome> {
    const outcome = result.outcome === 'done' ? 'success' : 'failed';
    for (const runId of await runs.complete(provisioningId, objectType, objectId, result.action, outcome))
      await runs.finishIfDone(runId);
    return result.outcome === 'failed' ? { outcome: 'failed', error: result.error } : { outcome: 'done' };
  }

  const groupJob = (provisioningId: string, targetId: string, groupId: string, runId: string | null) => ({
    kind: RECONCILE_GROUP,
    key: reconcileKey(provisioningId, 'Group', groupId),
    group: targetId,
    payload: { provisioningId, objectId: groupId, runId },
  });

  async function handleReconcileGroup(job: RunningJob): Promise<JobOutcome> {
    const { provisioningId, objectId, runId } = job.payload as {
      provisioningId: string;
      objectId: string;
      runId: string | null;
    };
    const loaded = await compiledOf(provisioningId);
    if (loaded === undefined)
      return { outcome: 'failed', error: `provisioning ${provisioningId} is gone or does not compile` };
    const provisioning = loaded.compiled;
    // Group membership decides who is in scope: a change to a group re-evaluates everyone.
    if (provisioning.scopeUsesGroups && runId === null) {
      const active = (await runs.list(provisioning.tenantId, provisioningId)).some(
        (run) => run.kind === 'full-push' && (run.status === 'pending' || run.status === 'running'),
      );
      if (!active) await startRun(provisioning.tenantId, provisioningId);
    }
    let result: ReconcileResult = { outcome: 'done', action: 'skipped' };
    if (provisioning.pushGroups) {
      const adapter = await adapters.adapterFor(provisioning.targetId);
      if (adapter === undefined)
        return { outcome: 'failed', error: `target ${provisioning.targetId} is gone` };
      const group = await reader.readGroup(provisioning.tenantId, objectId);
      result = await reconcileGroup(
        { provisioning, adapter, links, log, runId, attempt: job.attempt, maxAttempts: job.maxAttempts },
        objectId,
        group,
      );
      const retry = observe(provisioning.targetId, result);
      if (retry !== undefined) return retry;
    }
    return settle(provisioningId, 'Group', objectId, result);
  }

  async function startRun(tenantId: string, provisioningId: string): Promise<RunView> {
    const run = await runs.create(tenantId, provisioningId, 'full-push');
    await queue.enqueue([
      { kind: FULL_PUSH, key: `run:${run.id}`, payload: { runId: run.id }, maxAttempts: 100 },
    ]);
    return runs.view(run);
  }

  /** Plans every user of the tenant and every live link, page by page from the saved cursor, so a crash resumes where it stopped. */
  async function handleFullPush(job: RunningJob): Promise<JobOutcome> {
    const { runId } = job.payload as { runId: string };
    const run = await runs.find(runId);
    if (run === undefined || !['pending', 'running'].includes(run.status)) return { outcome: 'done' };
    const loaded = await compiledOf(run.provisioning_id);
    if (loaded === undefined) {
      await runs.update(runId, {
        status: 'failed',
        error: 'the provisioning is gone or its configuration does not compile',
        finished_at: new Date().toISOString(),
      });
      return { outcome: 'done' };
    }
    if (run.status === 'pending')
      await runs.update(runId, { status: 'running', started_at: new Date().toISOString() });
    if (run.cursor === null) {
      // The deletion guard counts the run's removals whole before any is made.
      const p = loaded.compiled;
      const planned = await countPlannedRemovals(p, reader, links);
      const paused = await deprovisioning.guard.assessPlan(
        { id: p.id, tenantId: p.tenantId, guard: p.deprovision.deletionGuard },
        planned,
      );
      if (paused !== undefined) logger.warn({ provisioningId: p.id, planned }, paused);
    }
    let cursor = run.cursor ?? 'U:';
    while (cursor !== 'done') {
      const current = await runs.find(runId);
      if (current?.cancel_requested === 1) {
        await runs.cancelPending(runId);
        await runs.update(runId, { status: 'cancelled', finished_at: new Date().toISOString() });
        return { outcome: 'done' };
      }
      const phase = cursor.slice(0, 2);
      const after = cursor.slice(2);
      // Phases: U: every user, L: every live user link (users deleted since), G: groups, H: live group links.
      const objectType = phase === 'U:' || phase === 'L:' ? 'User' : 'Group';
      let ids: string[] = [];
      if (phase === 'U:') ids = await reader.listUserIds(run.tenant_id, after, PAGE);
      else if (phase === 'L:')
        ids = (await links.listLive(run.provisioning_id, 'User', after, PAGE)).map((link) => link.objectId);
      else if (loaded.compiled.pushGroups && phase === 'G:')
        ids = await reader.listGroupIds(run.tenant_id, after, PAGE);
      else if (loaded.compiled.pushGroups)
        ids = (await links.listLive(run.provisioning_id, 'Group', after, PAGE)).map((link) => link.objectId);
      // Users in pages (user-page-handler.ts) where the queue lets a job take other keys.
      if (ids.length > 0 && queue.takeKeys !== undefined && (phase === 'U:' || phase === 'L:'))
        await planUserPages({ runs, queue }, runId, loaded.compiled, phase, ids);
      else if (ids.length > 0) {
        await runs.plan(runId, objectType, ids);
        const done = await runs.doneAmong(runId, ids);
        const todo = ids.filter((id) => !done.has(id));
        await queue.enqueue(
          todo.map((id) =>
            objectType === 'Group'
              ? groupJob(run.provisioning_id, loaded.compiled.targetId, id, runId)
              : {
                  kind: RECONCILE_USER,
                  key: reconcileKey(run.provisioning_id, 'User', id),
                  group: loaded.compiled.targetId,
                  payload: { provisioningId: run.provisioning_id, objectId: id, runId },
                },
          ),
        );
      }
      const last = ids[ids.length - 1];
      const nextPhase: Record<string, string> = { 'U:': 'L:', 'L:': 'G:', 'G:': 'H:', 'H:': 'done' };
      cursor = ids.length < PAGE ? (nextPhase[phase] ?? 'done') : `${phase}${last}`;
      await runs.update(runId, { cursor });
    }
    await runs.finishIfDone(runId);
    return { outcome: 'done' };
  }

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
    holdMs: (targetId) => (holds.get(targetId) ?? 0) - Date.now(),
    observe: (targetId, result) => void observe(targetId, result),
    groupJobsAfter: async (provisioning, userIds) =>
      (await Promise.all(userIds.map((id) => reader.directGroupsOf(provisioning.tenantId, id)))).flatMap(
        (groupIds) =>
          groupIds.map((groupId) => groupJob(provisioning.id, provisioning.targetId, groupId, null)),
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
          [RECONCILE_USER]: handleReconcile,
          [RECONCILE_GROUP]: handleReconcileGroup,
          [FULL_PUSH]: handleFullPush,
          [RECONCILE_USER_PAGE]: handleUserPage,
          [REMOVAL]: handleRemoval,
          ...options.handlers,
        },
        concurrency: options.concurrency ?? 16,
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
