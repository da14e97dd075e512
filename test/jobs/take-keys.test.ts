/**
 * `takeKeys` / `releaseKeys` (job-queue.ts): a running job doing the work of other keys, as a page of a
 * full push does for its users. Run over every queue implementation that has them.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { JobOutcome, JobSpec, RunningJob, WorkerOptions } from '../../src/jobs/job-queue.ts';
import { type OpenedQueue, queueImplementations } from './job-queue-implementations.ts';

const { implementations, skipped } = await queueImplementations();
const POLL_MS = 50;
const DONE: JobOutcome = { outcome: 'done' };

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const userJob = (key: string, payload: unknown = { key }): JobSpec => ({
  kind: 'user',
  key,
  group: 'g',
  payload,
});

for (const implementation of implementations) {
  describe(`taking keys: ${implementation.name}`, { skip: skipped }, () => {
    let opened: OpenedQueue;
    before(async () => {
      opened = await implementation.open();
    });
    after(() => opened.close());
    const workers: { stop(): Promise<void> }[] = [];
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    });
    const startWorker = (options: WorkerOptions) => {
      const worker = opened.queue.startWorker({ pollIntervalMs: POLL_MS, ...options });
      workers.push(worker);
      return worker;
    };
    const supported = () => opened.queue.takeKeys !== undefined && opened.queue.releaseKeys !== undefined;

    /**
     * Runs a holder job whose handler is `body` on a worker that also runs `handlers` (one worker, so
     * no job meets a worker without its handler); resolves with what the holder returned.
     */
    async function hold<T>(
      prefix: string,
      body: (job: RunningJob) => Promise<T>,
      handlers: WorkerOptions['handlers'] = {},
      groupConcurrency?: number,
    ): Promise<T> {
      const result = Promise.withResolvers<T>();
      startWorker({
        handlers: {
          ...handlers,
          holder: async (job) => {
            try {
              result.resolve(await body(job));
            } catch (error) {
              result.reject(error);
            }
            return DONE;
          },
        },
        ...(groupConcurrency !== undefined ? { groupConcurrency } : {}),
      });
      await opened.queue.enqueue([{ kind: 'holder', key: `${prefix}:holder`, group: 'g' }]);
      return result.promise;
    }

    it('takes free keys only, once, until they are released', { timeout: 20_000 }, async (t) => {
      if (!supported()) return t.skip('this queue cannot hand a job other keys');
      const { queue } = opened;
      await queue.enqueue([{ ...userJob('a:waiting'), runAt: new Date(Date.now() + 60_000) }]);
      const taken = await hold('a', async (job) => {
        const keys = await queue.takeKeys?.(job, [userJob('a:free'), userJob('a:waiting')]);
        const again = await queue.takeKeys?.(job, [userJob('a:free')]);
        await queue.releaseKeys?.(job, ['a:free']);
        const afterRelease = await queue.takeKeys?.(job, [userJob('a:free')]);
        await queue.releaseKeys?.(job, ['a:free']);
        return { keys, again, afterRelease };
      });
      assert.deepEqual([...(taken.keys ?? [])], ['a:free']);
      assert.deepEqual([...(taken.again ?? [])], [], 'a taken key cannot be taken twice');
      assert.deepEqual([...(taken.afterRelease ?? [])], ['a:free'], 'a released key is free again');
      assert.deepEqual(await queue.listJobs({ keyPrefix: 'a:free', state: 'queued' }), []);
      const [waiting] = await queue.listJobs({ keyPrefix: 'a:waiting' });
      assert.equal(waiting?.state, 'queued', 'a waiting key stays with its own job');
    });

    it('runs a key enqueued while taken once after the release, never during', {
      timeout: 20_000,
    }, async (t) => {
      if (!supported()) return t.skip('this queue cannot hand a job other keys');
      const { queue } = opened;
      const runs: unknown[] = [];
      let released = false;
      const user = async (job: RunningJob) => {
        assert.ok(released, 'the key ran while it was taken');
        runs.push(job.payload);
        return DONE;
      };
      await hold(
        'b',
        async (job) => {
          await queue.takeKeys?.(job, [userJob('b:1')]);
          await queue.enqueue([userJob('b:1', { change: 1 })]);
          await queue.enqueue([userJob('b:1', { change: 2 })]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          released = true;
          await queue.releaseKeys?.(job, ['b:1']);
        },
        { user },
      );
      await waitFor(async () => runs.length === 1, 'the coalesced run after the release');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(runs, [{ change: 2 }]);
    });

    it('hands the keys a holder ends with back to their own jobs', { timeout: 20_000 }, async (t) => {
      if (!supported()) return t.skip('this queue cannot hand a job other keys');
      const { queue } = opened;
      const seen: number[] = [];
      const user = async (job: RunningJob) => {
        seen.push((job.payload as { n: number }).n);
        return DONE;
      };
      const taken = await hold(
        'e',
        async (job) => {
          const keys = await queue.takeKeys?.(job, [userJob('e:1', { n: 1 }), userJob('e:2', { n: 2 })]);
          await queue.releaseKeys?.(job, ['e:1']);
          return keys;
        },
        { user },
      );
      assert.equal(taken?.size, 2);
      await waitFor(async () => seen.length === 1, 'the key still held to run on its own');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(seen, [2], 'only the key the holder kept runs, once');
    });

    it('does not count taken keys towards the group limit', { timeout: 20_000 }, async (t) => {
      if (!supported()) return t.skip('this queue cannot hand a job other keys');
      const { queue } = opened;
      const ran = Promise.withResolvers<void>();
      const other = async () => {
        ran.resolve();
        return DONE;
      };
      const keys = Array.from({ length: 10 }, (_, index) => `c:${index}`);
      await hold(
        'c',
        async (job) => {
          await queue.takeKeys?.(
            job,
            keys.map((key) => userJob(key)),
          );
          await queue.enqueue([{ kind: 'other', key: 'c:other', group: 'g' }]);
          await ran.promise;
          await queue.releaseKeys?.(job, keys);
        },
        { other },
        2,
      );
    });

    it('runs the keys of a holder that died as their own jobs once its lease expires', {
      timeout: 20_000,
    }, async (t) => {
      if (!supported()) return t.skip('this queue cannot hand a job other keys');
      const { queue } = opened;
      // A holder whose process died: its claim row stays running, and nothing renews its lease.
      const now = Date.now();
      await opened.storage.db
        .insertInto('jobs')
        .values({
          job_key: 'd:holder',
          kind: 'holder',
          group_name: 'g',
          payload: 'null',
          state: 'running',
          rerun: 0,
          attempts: 1,
          max_attempts: 10,
          run_at: new Date(now).toISOString(),
          lock_token: 'dead-worker',
          locked_until: new Date(now + 500).toISOString(),
          last_error: null,
          updated_at: new Date(now).toISOString(),
        })
        .execute();
      const dead: RunningJob = {
        key: 'd:holder',
        kind: 'holder',
        group: 'g',
        payload: null,
        attempt: 1,
        maxAttempts: 10,
        claim: 'dead-worker',
        signal: new AbortController().signal,
      };
      const taken = await queue.takeKeys?.(dead, [userJob('d:1', { n: 1 }), userJob('d:2', { n: 2 })]);
      assert.equal(taken?.size, 2);
      const seen: number[] = [];
      startWorker({
        handlers: {
          holder: async () => DONE,
          user: async (job) => {
            seen.push((job.payload as { n: number }).n);
            return DONE;
          },
        },
      });
      await waitFor(async () => seen.length === 2, 'the taken keys to run on their own');
      assert.deepEqual(seen.sort(), [1, 2]);
      assert.ok(Date.now() - now >= 450, 'not before the lease expired');
      await waitFor(
        async () => (await queue.listJobs({ keyPrefix: 'd:', state: 'done' })).length === 3,
        'the runs to be recorded',
      );
      // A release by the dead holder after the takeover changes nothing.
      await queue.releaseKeys?.(dead, ['d:1', 'd:2']);
      const rows = await queue.listJobs({ keyPrefix: 'd:' });
      assert.ok(
        rows.every((row) => row.state === 'done'),
        JSON.stringify(rows),
      );
    });
  });
}
