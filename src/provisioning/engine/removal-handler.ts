import type { JobOutcome, RunningJob } from '../../jobs/job-queue.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import type { DeletionStrategy } from './compiled-provisioning.ts';
import type { LinkRepository } from './link-repository.ts';
import type { ProvisioningLogWriter } from './provisioning-log-writer.ts';
import type { ProvisioningRuns } from './provisioning-runs.ts';
import type { DeprovisioningKit } from './reconcile-outcome.ts';
import { reconcileUser } from './reconcile-user.ts';
import type { TargetAdapters } from './target-adapters.ts';

const PAGE = 500;

/** The job that removes a provisioning (a run): every linked account deprovisioned or unlinked, then the row. */
export function createRemovalHandler(dependencies: {
  runs: ProvisioningRuns;
  deprovisioning: DeprovisioningKit;
  provisionings: ProvisioningService;
  adapters: TargetAdapters;
  links: LinkRepository;
  log: ProvisioningLogWriter;
  onRemoved: (provisioningId: string) => void;
}) {
  const { runs, provisionings, adapters, links, log, onRemoved, deprovisioning } = dependencies;
  /** Deprovisions (Delete) or unlinks (Keep) every linked account, then deletes the provisioning. */
  return async function handleRemoval(job: RunningJob): Promise<JobOutcome> {
    const { runId } = job.payload as { runId: string };
    const run = await runs.find(runId);
    if (run === undefined || !['pending', 'running'].includes(run.status)) return { outcome: 'done' };
    const loaded = await provisionings.compiled(run.provisioning_id).catch(() => undefined);
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
    const provisioning = { ...loaded.compiled, status: 'removing' as const };
    const adapter = await adapters.adapterFor(provisioning.targetId);
    const native = await adapters.nativeFor(provisioning.targetId);
    if (adapter === undefined) return { outcome: 'failed', error: 'the target is gone' };
    const strategy: DeletionStrategy = loaded.config.deletionStrategy;
    let failures = 0;
    let retryAfter: number | undefined;
    for (let page = await links.listLive(provisioning.id, 'User', '', PAGE); page.length > 0; ) {
      await runs.plan(
        runId,
        'User',
        page.map((link) => link.objectId),
      );
      for (const link of page) {
        if (strategy === 'Keep') {
          await links.save({ ...link, state: 'kept' });
          await runs.complete(provisioning.id, 'User', link.objectId, 'skipped', 'success');
          await log.record({
            tenantId: provisioning.tenantId,
            provisioningId: provisioning.id,
            targetId: provisioning.targetId,
            runId,
            objectType: 'User',
            objectId: link.objectId,
            accountId: link.accountId,
            action: 'unlink',
            status: 'success',
            attempt: job.attempt,
            message: 'provisioning removed with DeletionStrategy Keep: the account is left as it is',
          });
          continue;
        }
        const result = await reconcileUser(
          {
            provisioning,
            adapter,
            links,
            log,
            runId,
            attempt: job.attempt,
            maxAttempts: job.maxAttempts,
            native,
            deprovisioning,
          },
          link.objectId,
          undefined,
        );
        if (result.outcome === 'retry') {
          retryAfter = result.afterMs;
          failures++;
          continue;
        }
        await runs.complete(
          provisioning.id,
          'User',
          link.objectId,
          result.action,
          result.outcome === 'done' ? 'success' : 'failed',
        );
        if (result.outcome === 'failed') failures++;
      }
      const last = page[page.length - 1]?.objectId ?? '';
      page = await links.listLive(provisioning.id, 'User', last, PAGE);
    }
    if (failures > 0 && job.attempt < job.maxAttempts)
      return {
        outcome: 'retry',
        error: `${failures} account(s) could not be removed yet`,
        ...(retryAfter !== undefined ? { afterMs: retryAfter } : {}),
      };
    // Accounts in a disable-then-delete grace period: the removal finishes when the last one is deleted.
    const waiting = strategy === 'Delete' ? await links.listLive(provisioning.id, 'User', '', 1) : [];
    const graceEnd = waiting[0]?.deleteAfter;
    if (typeof graceEnd === 'string' && job.attempt < job.maxAttempts)
      return {
        outcome: 'retry',
        error: 'accounts are disabled and wait for the end of their grace period',
        afterMs: Math.min(Math.max(Date.parse(graceEnd) - Date.now(), 1_000), 3_600_000),
      };
    await runs.update(runId, { cursor: 'done' });
    const status = (await runs.finishIfDone(runId)) ?? 'success';
    if (status !== 'failed') await provisionings.deleteRow(provisioning.id);
    onRemoved(provisioning.id);
    return { outcome: 'done' };
  };
}
