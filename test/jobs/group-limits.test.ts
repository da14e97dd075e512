/**
 * Per-group limits (`setGroupLimit`, a target's `settings.concurrency`) over every queue
 * implementation: a group with its own limit never runs more jobs at once than that limit, while a
 * group without one runs up to the worker's `groupConcurrency`; null returns a group to the default.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobWorker, RunningJob } from '../../src/jobs/job-queue.ts';
import { type OpenedQueue, queueImplementations } from './job-queue-implementations.ts';

const { implementations, skipped } = await queueImplementations();

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

for (const implementation of implementations) {
  describe(`group limits: ${implementation.name}`, { skip: skipped }, () => {
    let opened: OpenedQueue;
    let worker: JobWorker | undefined;
    before(async () => {
      opened = await implementation.open();
    });
    after(() => opened.close());
    afterEach(async () => {
      await worker?.stop();
      worker = undefined;
    });

    /** Runs `jobs` jobs in each group and returns the most of each group running at once. */
    async function peaks(round: string, groups: readonly string[], jobs: number) {
      const running = new Map<string, number>();
      const peak = new Map<string, number>();
      let done = 0;
      const handler = async (job: RunningJob) => {
        const group = job.group ?? '';
        running.set(group, (running.get(group) ?? 0) + 1);
        peak.set(group, Math.max(peak.get(group) ?? 0, running.get(group) ?? 0));
        await sleep(80);
        running.set(group, (running.get(group) ?? 1) - 1);
        done++;
        return { outcome: 'done' } as const;
      };
      worker = opened.queue.startWorker({
        handlers: { k: handler },
        concurrency: 10,
        groupConcurrency: 4,
        pollIntervalMs: 50,
      });
      await opened.queue.enqueue(
        groups.flatMap((group) =>
          Array.from({ length: jobs }, (_, index) => ({
            kind: 'k',
            key: `${round}:${group}:${index}`,
            group,
          })),
        ),
      );
      await waitFor(() => done === groups.length * jobs, `${round}: every job done`);
      await worker.stop();
      worker = undefined;
      return peak;
    }

    it("runs a limited group's jobs at most `max` at once, another group up to the default", async () => {
      await opened.queue.setGroupLimit('limited', 2);
      const peak = await peaks('first', ['limited', 'open'], 8);
      assert.equal(peak.get('limited'), 2);
      assert.equal(peak.get('open'), 4);
    });

    it('follows a changed limit, and null returns the group to the default', async () => {
      await opened.queue.setGroupLimit('limited', 1);
      assert.equal((await peaks('lowered', ['limited'], 4)).get('limited'), 1);
      await opened.queue.setGroupLimit('limited', null);
      assert.equal((await peaks('default', ['limited'], 8)).get('limited'), 4);
    });

    it('refuses a limit below 1', async () => {
      await assert.rejects(opened.queue.setGroupLimit('limited', 0), RangeError);
    });
  });
}
