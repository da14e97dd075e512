import type { FastifyBaseLogger } from 'fastify';
import type { JobOutcome, JobQueue, RunningJob } from '../../jobs/job-queue.ts';
import type { DeletionGuard } from '../deprovisioning/deletion-guard.ts';
import { countPlannedRemovals } from '../deprovisioning/plan-removals.ts';
import { RECONCILE_USER, reconcileKey } from './change-dispatcher.ts';
import type { CompiledProvisioning } from './compiled-provisioning.ts';
import type { DirectoryReader } from './directory-reader.ts';
import type { LinkRepository } from './link-repository.ts';
import type { ProvisioningRuns, RunView } from './provisioning-runs.ts';
import { groupReconcileJob } from './reconcile-handlers.ts';
import { planUserPages } from './user-page-handler.ts';

export const FULL_PUSH = 'full-push';
const PAGE = 500;

/** Creates a full-push run and enqueues the job that plans it. */
export async function startFullPushRun(
  dependencies: { readonly runs: ProvisioningRuns; readonly queue: JobQueue },
  tenantId: string,
  provisioningId: string,
): Promise<RunView> {
  const { runs, queue } = dependencies;
  const run = await runs.create(tenantId, provisioningId, 'full-push');
  await queue.enqueue([
    { kind: FULL_PUSH, key: `run:${run.id}`, payload: { runId: run.id }, maxAttempts: 100 },
  ]);
  return runs.view(run);
}

/** The job that plans a full push (a run): every object of the tenant and every live link, in phases. */
export function createFullPushHandler(dependencies: {
  runs: ProvisioningRuns;
  queue: JobQueue;
  reader: DirectoryReader;
  links: LinkRepository;
  guard: DeletionGuard;
  logger: FastifyBaseLogger;
  compiledOf(provisioningId: string): Promise<{ compiled: CompiledProvisioning } | undefined>;
}) {
  const { runs, queue, reader, links, guard, logger, compiledOf } = dependencies;
  /** Plans every user of the tenant and every live link, page by page from the saved cursor, so a crash resumes where it stopped. */
  return async function handleFullPush(job: RunningJob): Promise<JobOutcome> {
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
      const paused = await guard.assessPlan(
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
              ? groupReconcileJob(run.provisioning_id, loaded.compiled.targetId, id, runId)
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
  };
}
