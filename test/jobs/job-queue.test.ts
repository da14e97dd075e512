import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { JobHandler, JobOutcome, RunningJob, WorkerOptions } from '../../src/jobs/job-queue.ts';
import { createEffectsTable, effectHandler } from './effect-handler.ts';
import { type OpenedQueue, queueImplementations } from './job-queue-implementations.ts';

const { implementations, skipped } = await queueImplementations();
const CRASH_WORKER = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));
const POLL_MS = 50;

async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DONE: JobOutcome = { outcome: 'done' };

for (const implementation of implementations) {
  describe(`job queue: ${implementation.name}`, { skip: skipped }, () => {
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
      const worker = opened.queue.startWorker(options);
      workers.push(worker);
      return worker;
    };

    it('coalesces waiting jobs of one key into one run with the latest payload', async () => {
      const { queue } = opened;
      for (let index = 0; index < 10; index++)
        await queue.enqueue([{ kind: 'k', key: 'co:1', payload: { index } }]);
      const waiting = await queue.listJobs({ keyPrefix: 'co:' });
      assert.equal(waiting.length, 1);
      assert.deepEqual(waiting[0]?.payload, { index: 9 });
      const seen: unknown[] = [];
      const worker = startWorker({
        handlers: {
          k: async (job) => {
            seen.push(job.payload);
            return DONE;
          },
        },
        pollIntervalMs: POLL_MS,
      });
      await waitFor(async () => (await queue.listJobs({ keyPrefix: 'co:', state: 'done' })).length === 1);
      await sleep(200);
      await worker.stop();
      assert.deepEqual(seen, [{ index: 9 }]);
    });

    it('runs exactly once more when a running key is enqueued again, never concurrently', async () => {
      const { queue } = opened;
      let release: () => void = () => {};
      const firstStarted = Promise.withResolvers<void>();
      const payloads: unknown[] = [];
      let active = 0;
      let maxActive = 0;
      const handler: JobHandler = async (job) => {
        active++;
        maxActive = Math.max(maxActive, active);
        payloads.push(job.payload);
        if (payloads.length === 1) {
          firstStarted.resolve();
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        }
        active--;
        return DONE;
      };
      const worker = startWorker({ handlers: { k: handler }, concurrency: 4, pollIntervalMs: POLL_MS });
      await queue.enqueue([{ kind: 'k', key: 'run:1', payload: 'first' }]);
      await firstStarted.promise;
      for (const payload of ['second', 'third', 'fourth'])
        await queue.enqueue([{ kind: 'k', key: 'run:1', payload }]);
      await sleep(300);
      assert.equal(payloads.length, 1, 'no second run while the first runs');
      release();
      await waitFor(() => payloads.length === 2);
      await sleep(400);
      await worker.stop();
      assert.deepEqual(payloads, ['first', 'fourth']);
      assert.equal(maxActive, 1);
    });

    it('never runs two jobs of one key at once, and runs keys in parallel', async () => {
      const { queue } = opened;
      const active = new Map<string, number>();
      let violations = 0;
      let parallel = 0;
      let running = 0;
      const last = new Map<string, unknown>();
      const worker = startWorker({
        handlers: {
          k: async (job) => {
            const now = (active.get(job.key) ?? 0) + 1;
            active.set(job.key, now);
            if (now > 1) violations++;
            running++;
            parallel = Math.max(parallel, running);
            await sleep(5 + Math.random() * 15);
            running--;
            active.set(job.key, now - 1);
            last.set(job.key, job.payload);
            return DONE;
          },
        },
        concurrency: 8,
        pollIntervalMs: POLL_MS,
      });
      for (let round = 0; round < 15; round++) {
        await queue.enqueue(
          Array.from({ length: 5 }, (_, key) => ({ kind: 'k', key: `serial:${key}`, payload: round })),
        );
        await sleep(10);
      }
      await waitFor(
        async () =>
          (await queue.listJobs({ keyPrefix: 'serial:', state: 'done' })).length === 5 &&
          [...last.values()].every((payload) => payload === 14) &&
          last.size === 5,
      );
      await worker.stop();
      assert.equal(violations, 0);
      assert.ok(parallel > 1, `keys ran in parallel (max ${parallel})`);
    });

    it('retries after the handler-given delay and honours runAt', async () => {
      const { queue } = opened;
      const starts: number[] = [];
      const worker = startWorker({
        handlers: {
          k: async (job): Promise<JobOutcome> => {
            starts.push(Date.now());
            return job.attempt === 1
              ? { outcome: 'retry', afterMs: 400, error: '429 Too Many Requests' }
              : DONE;
          },
        },
        pollIntervalMs: POLL_MS,
      });
      const enqueuedAt = Date.now();
      await queue.enqueue([{ kind: 'k', key: 'retry:1', runAt: new Date(enqueuedAt + 500) }]);
      await waitFor(() => starts.length === 2);
      await worker.stop();
      assert.ok(starts[0]! - enqueuedAt >= 480, `first run waited for runAt (${starts[0]! - enqueuedAt} ms)`);
      assert.ok(starts[1]! - starts[0]! >= 380, `retry waited for afterMs (${starts[1]! - starts[0]!} ms)`);
      const [job] = await queue.listJobs({ keyPrefix: 'retry:' });
      assert.equal(job?.state, 'done');
    });

    it('fails a job when its attempts are spent, and a thrown error is retried', async () => {
      const { queue } = opened;
      let runs = 0;
      const worker = startWorker({
        handlers: {
          k: async (job) => {
            runs++;
            if (job.attempt === 1) throw new Error('boom');
            return { outcome: 'retry', afterMs: 10, error: `attempt ${job.attempt} failed` };
          },
        },
        pollIntervalMs: POLL_MS,
        onError: () => {},
      });
      await queue.enqueue([{ kind: 'k', key: 'fail:1', maxAttempts: 3 }]);
      await waitFor(
        async () => (await queue.listJobs({ keyPrefix: 'fail:', state: 'failed' })).length === 1,
        20_000,
      );
      await sleep(300);
      await worker.stop();
      assert.equal(runs, 3);
      const [job] = await queue.listJobs({ keyPrefix: 'fail:', state: 'failed' });
      assert.equal(job?.attempts, 3);
      assert.match(job?.lastError ?? '', /attempt 3 failed/);
    });

    it('enqueues inside the caller transaction: a rollback leaves no job', async () => {
      const { queue, storage } = opened;
      await assert.rejects(
        storage.write(async (trx) => {
          await queue.enqueue([{ kind: 'k', key: 'trx:rolled-back' }], trx);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      await storage.write((trx) => queue.enqueue([{ kind: 'k', key: 'trx:committed' }], trx));
      const jobs = await queue.listJobs({ keyPrefix: 'trx:' });
      assert.deepEqual(
        jobs.map((job) => job.key),
        ['trx:committed'],
      );
      assert.equal(await queue.cancel('trx:'), 1);
      assert.deepEqual(await queue.listJobs({ keyPrefix: 'trx:' }), []);
    });

    it('holds the jobs of a paused group until it is resumed', async () => {
      const { queue } = opened;
      const ran: string[] = [];
      await queue.pauseGroup('target-a');
      assert.deepEqual(await queue.listPausedGroups(), ['target-a']);
      const worker = startWorker({
        handlers: {
          k: async (job) => {
            ran.push(job.key);
            return DONE;
          },
        },
        pollIntervalMs: POLL_MS,
      });
      await queue.enqueue([
        { kind: 'k', key: 'pause:a', group: 'target-a' },
        { kind: 'k', key: 'pause:b', group: 'target-b' },
      ]);
      await waitFor(() => ran.includes('pause:b'));
      await sleep(300);
      assert.deepEqual(ran, ['pause:b']);
      assert.equal((await queue.listJobs({ group: 'target-a' }))[0]?.state, 'queued');
      await queue.resumeGroup('target-a');
      await waitFor(() => ran.includes('pause:a'));
      await worker.stop();
    });

    it('limits the jobs of one group running at once', async () => {
      const { queue } = opened;
      const running = new Map<string, number>();
      const peak = new Map<string, number>();
      let done = 0;
      const handler = async (job: RunningJob) => {
        const group = job.group ?? '';
        running.set(group, (running.get(group) ?? 0) + 1);
        peak.set(group, Math.max(peak.get(group) ?? 0, running.get(group)!));
        await sleep(60);
        running.set(group, running.get(group)! - 1);
        done++;
        return DONE;
      };
      const worker = startWorker({
        handlers: { k: handler },
        concurrency: 8,
        groupConcurrency: 2,
        pollIntervalMs: POLL_MS,
      });
      await queue.enqueue(
        Array.from({ length: 12 }, (_, index) => ({
          kind: 'k',
          key: `limit:${index}`,
          group: index < 8 ? 'busy' : 'quiet',
        })),
      );
      await waitFor(() => done === 12);
      await worker.stop();
      assert.equal(peak.get('busy'), 2);
      assert.equal(peak.get('quiet'), 2);
    });

    it('survives a worker killed with SIGKILL mid-job: every job takes effect, none is lost', {
      timeout: 90_000,
    }, async () => {
      const { queue, storage, address } = opened;
      await createEffectsTable(storage);
      const total = 60;
      await queue.enqueue(
        Array.from({ length: total }, (_, index) => ({ kind: 'effect', key: `crash:${index}` })),
      );
      const child = spawn(process.execPath, [CRASH_WORKER, JSON.stringify(address)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const effects = async () => {
        const { rows } = await sql<{
          count: number | string;
        }>`select count(*) as count from job_effects`.execute(storage.db);
        return Number(rows[0]?.count ?? 0);
      };
      await waitFor(
        async () => (await effects()) >= 5 + Math.floor(Math.random() * 15),
        30_000,
        'the child to work',
      );
      child.kill('SIGKILL');
      await exited;
      const running = await queue.listJobs({ keyPrefix: 'crash:', state: 'running' });
      const worker = startWorker({
        handlers: { effect: effectHandler(storage) },
        concurrency: 4,
        pollIntervalMs: POLL_MS,
      });
      await waitFor(
        async () => (await queue.listJobs({ keyPrefix: 'crash:', state: 'done' })).length === total,
        implementation.takeoverMs + 30_000,
        'every job to be done',
      );
      await worker.stop();
      assert.equal(await effects(), total);
      const { rows } = await sql<{
        job_key: string;
        runs: number;
      }>`select job_key, runs from job_effects where runs > 1`.execute(storage.db);
      // A job runs twice only when the kill caught it between its effect and its completion.
      assert.ok(
        rows.length <= Math.max(running.length, 4),
        `re-runs: ${rows.length}, in flight at the kill: ${running.length}`,
      );
    });
  });
}
