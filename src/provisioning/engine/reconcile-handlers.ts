import type { JobOutcome, JobQueue, RunningJob } from '../../jobs/job-queue.ts';
import { RECONCILE_GROUP, reconcileKey } from './change-dispatcher.ts';
import type { CompiledProvisioning } from './compiled-provisioning.ts';
import type { DirectoryReader } from './directory-reader.ts';
import type { LinkRepository } from './link-repository.ts';
import type { PendingReferences } from './pending-references.ts';
import type { ProvisioningLogWriter } from './provisioning-log-writer.ts';
import type { ProvisioningRuns } from './provisioning-runs.ts';
import { reconcileGroup } from './reconcile-group.ts';
import type { DeprovisioningKit } from './reconcile-outcome.ts';
import { type ReconcileResult, reconcileUser } from './reconcile-user.ts';
import type { TargetAdapters } from './target-adapters.ts';

/** The job that reconciles one group (for a run, or `null` for a directory change). */
export const groupReconcileJob = (
  provisioningId: string,
  targetId: string,
  groupId: string,
  runId: string | null,
) => ({
  kind: RECONCILE_GROUP,
  key: reconcileKey(provisioningId, 'Group', groupId),
  group: targetId,
  payload: { provisioningId, objectId: groupId, runId },
});

/**
 * The jobs that reconcile one user or one group against its target, with what they share: the
 * target's Retry-After holds (per process), quarantine accounting, and settling the runs that planned
 * the object.
 */
export function createReconcileHandlers(dependencies: {
  queue: JobQueue;
  runs: ProvisioningRuns;
  reader: DirectoryReader;
  links: LinkRepository;
  log: ProvisioningLogWriter;
  adapters: TargetAdapters;
  quarantine: { observe(targetId: string, error: string | undefined): void };
  deprovisioning: DeprovisioningKit;
  references: PendingReferences;
  compiledOf(provisioningId: string): Promise<{ compiled: CompiledProvisioning } | undefined>;
  /** Starts a full push (a group change re-evaluates everyone when scope uses groups). */
  startFullPush(tenantId: string, provisioningId: string): Promise<unknown>;
}) {
  const { queue, runs, reader, links, log, adapters, quarantine, deprovisioning, references, compiledOf } =
    dependencies;
  /** Targets that answered Retry-After, until when (per process). */
  const holds = new Map<string, number>();
  const holdTarget = (targetId: string, afterMs: number) =>
    holds.set(targetId, Math.max(holds.get(targetId) ?? 0, Date.now() + afterMs));

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
        groupIds.map((groupId) => groupReconcileJob(provisioning.id, provisioning.targetId, groupId, null)),
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
      if (!active) await dependencies.startFullPush(provisioning.tenantId, provisioningId);
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

  return {
    handleReconcile,
    handleReconcileGroup,
    observe,
    /** How long the target still asks us to wait (Retry-After), in ms; ≤ 0 when it does not. */
    holdMs: (targetId: string) => (holds.get(targetId) ?? 0) - Date.now(),
  };
}
