import type { FastifyBaseLogger } from 'fastify';
import type { JobQueue } from '../../jobs/job-queue.ts';
import type { TargetService } from '../targets/target-service.ts';
import type { TargetAdapters } from './target-adapters.ts';

/** Consecutive retryable failures after which a target is paused. */
const QUARANTINE_AFTER = 20;
const PROBE_INTERVAL_MS = 10_000;

/**
 * A target that keeps failing is quarantined: its jobs are paused (nothing is lost: they wait in the
 * queue), its status says why, and a probe asks it every few seconds whether it answers again; when
 * it does, or on command, the jobs resume.
 */
export function createQuarantine(options: {
  queue: JobQueue;
  targets: TargetService;
  adapters: TargetAdapters;
  logger: FastifyBaseLogger;
}) {
  const failures = new Map<string, number>();
  const quarantined = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  async function quarantine(targetId: string, reason: string): Promise<void> {
    if (quarantined.has(targetId)) return;
    quarantined.add(targetId);
    await options.queue.pauseGroup(targetId);
    await options.targets.setStatus(
      targetId,
      'quarantined',
      `Paused after ${QUARANTINE_AFTER} failures in a row; last: ${reason}`,
    );
    options.logger.warn({ targetId }, 'target quarantined');
  }

  async function resume(targetId: string, why: string): Promise<void> {
    quarantined.delete(targetId);
    failures.delete(targetId);
    await options.queue.resumeGroup(targetId);
    await options.targets.setStatus(targetId, 'active', why);
    options.logger.info({ targetId, why }, 'target resumed');
  }

  async function probe(): Promise<void> {
    for (const targetId of [
      ...quarantined,
      ...(await options.queue.listPausedGroups()).filter((group) => group.startsWith('tgt_')),
    ]) {
      const adapter = await options.adapters.adapterFor(targetId);
      if (adapter === undefined) continue;
      const answer = await adapter.findUsers('userName eq "lockstep-quarantine-probe"');
      if (answer.ok) await resume(targetId, 'the target answers again');
    }
  }

  return {
    /** Counts a job's result against its target: an error string is a retryable failure, undefined a success. */
    observe(targetId: string, error: string | undefined): void {
      if (error === undefined) {
        failures.delete(targetId);
        return;
      }
      const count = (failures.get(targetId) ?? 0) + 1;
      failures.set(targetId, count);
      if (count >= QUARANTINE_AFTER)
        void quarantine(targetId, error).catch((cause: unknown) =>
          options.logger.error({ err: cause }, 'quarantining a target failed'),
        );
    },
    resume,
    start(): void {
      timer = setInterval(
        () =>
          void probe().catch((error: unknown) =>
            options.logger.error({ err: error }, 'quarantine probe failed'),
          ),
        PROBE_INTERVAL_MS,
      );
      timer.unref();
    },
    stop(): void {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
