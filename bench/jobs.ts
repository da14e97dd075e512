import { parseArgs } from 'node:util';
import type { JobQueue, JobSpec } from '../src/jobs/job-queue.ts';
import { type OpenedQueue, queueImplementations } from '../test/jobs/job-queue-implementations.ts';

/**
 * `npm run bench:jobs`: for each job-queue implementation (SQL queue on SQLite and PostgreSQL, pg-boss)
 * measures enqueue throughput (one job per call), enqueue → handler-start latency under light load
 * (p50/p99), and completion throughput of N trivial jobs at concurrency 16, and prints each as a ratio
 * to a plain in-memory async queue measured in the same run (the machine is shared and noisy).
 */
const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '10000' }, enqueues: { type: 'string', default: '1000' } },
});
const JOBS = Number(values.jobs);
const ENQUEUES = Number(values.enqueues);
const LATENCY_SAMPLES = 100;

interface Figures {
  enqueuePerSecond: number;
  p50Ms: number;
  p99Ms: number;
  completedPerSecond: number;
}

/** The baseline: an array queue drained by 16 async loops. */
function createMemoryQueue() {
  const waiting: JobSpec[] = [];
  let wake: (() => void) | undefined;
  return {
    async enqueue(jobs: readonly JobSpec[]) {
      waiting.push(...jobs);
      wake?.();
    },
    startWorker(handler: (job: JobSpec) => Promise<void>, concurrency: number) {
      let stopped = false;
      const loops = Array.from({ length: concurrency }, async () => {
        while (!stopped) {
          const job = waiting.shift();
          if (job === undefined) await new Promise<void>((resolve) => (wake = resolve));
          else await handler(job);
        }
      });
      return {
        async stop() {
          stopped = true;
          for (let index = 0; index < concurrency; index++) wake?.();
          await Promise.race([Promise.all(loops), new Promise((resolve) => setTimeout(resolve, 100))]);
        },
      };
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function measureBaseline(): Promise<Figures> {
  const queue = createMemoryQueue();
  let started = performance.now();
  for (let index = 0; index < ENQUEUES; index++) await queue.enqueue([{ kind: 'k', key: `e:${index}` }]);
  const enqueuePerSecond = ENQUEUES / ((performance.now() - started) / 1000);
  const latencies: number[] = [];
  let seen: (() => void) | undefined;
  const worker = queue.startWorker(async () => seen?.(), 16);
  for (let index = 0; index < LATENCY_SAMPLES; index++) {
    const ran = new Promise<void>((resolve) => (seen = resolve));
    const at = performance.now();
    await queue.enqueue([{ kind: 'k', key: `l:${index}` }]);
    await ran;
    latencies.push(performance.now() - at);
  }
  await worker.stop();
  const memory = createMemoryQueue();
  await memory.enqueue(Array.from({ length: JOBS }, (_, index) => ({ kind: 'k', key: `c:${index}` })));
  let done = 0;
  const finished = Promise.withResolvers<void>();
  started = performance.now();
  const drain = memory.startWorker(async () => {
    if (++done === JOBS) finished.resolve();
  }, 16);
  await finished.promise;
  const completedPerSecond = JOBS / ((performance.now() - started) / 1000);
  await drain.stop();
  latencies.sort((a, b) => a - b);
  return {
    enqueuePerSecond,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    completedPerSecond,
  };
}

async function measureQueue(queue: JobQueue): Promise<Figures> {
  let started = performance.now();
  for (let index = 0; index < ENQUEUES; index++) await queue.enqueue([{ kind: 'noop', key: `e:${index}` }]);
  const enqueuePerSecond = ENQUEUES / ((performance.now() - started) / 1000);
  await queue.cancel('e:');

  const latencies: number[] = [];
  let seen: (() => void) | undefined;
  const worker = queue.startWorker({
    handlers: {
      latency: async () => {
        seen?.();
        return { outcome: 'done' };
      },
    },
    concurrency: 16,
    pollIntervalMs: 1000,
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (let index = 0; index < LATENCY_SAMPLES; index++) {
    const ran = new Promise<void>((resolve) => (seen = resolve));
    const at = performance.now();
    await queue.enqueue([{ kind: 'latency', key: `l:${index}` }]);
    await ran;
    latencies.push(performance.now() - at);
  }
  await worker.stop();

  for (let start = 0; start < JOBS; start += 500)
    await queue.enqueue(
      Array.from({ length: Math.min(500, JOBS - start) }, (_, offset) => ({
        kind: 'noop',
        key: `c:${start + offset}`,
      })),
    );
  let done = 0;
  const finished = Promise.withResolvers<void>();
  started = performance.now();
  const drain = queue.startWorker({
    handlers: {
      noop: async () => {
        if (++done === JOBS) finished.resolve();
        return { outcome: 'done' };
      },
    },
    concurrency: 16,
    pollIntervalMs: 200,
  });
  await finished.promise;
  const completedPerSecond = JOBS / ((performance.now() - started) / 1000);
  await drain.stop();
  latencies.sort((a, b) => a - b);
  return {
    enqueuePerSecond,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    completedPerSecond,
  };
}

const round = (value: number) => (value >= 100 ? Math.round(value) : Number(value.toPrecision(3)));
const baseline = await measureBaseline();
console.log(
  `jobs bench: ${JOBS} jobs for completion, ${ENQUEUES} single-job enqueues, ${LATENCY_SAMPLES} latency samples`,
);
console.log(
  `baseline (in-memory async queue): ${JSON.stringify(Object.fromEntries(Object.entries(baseline).map(([k, v]) => [k, round(v)])))}`,
);
const { implementations } = await queueImplementations();
for (const implementation of implementations) {
  let opened: OpenedQueue | undefined;
  try {
    opened = await implementation.open();
    const figures = await measureQueue(opened.queue);
    console.log(
      `${implementation.name}: enqueue ${round(figures.enqueuePerSecond)}/s (×${round(figures.enqueuePerSecond / baseline.enqueuePerSecond)}), ` +
        `latency p50 ${round(figures.p50Ms)} ms p99 ${round(figures.p99Ms)} ms, ` +
        `completion ${round(figures.completedPerSecond)} jobs/s (×${round(figures.completedPerSecond / baseline.completedPerSecond)} of baseline)`,
    );
  } finally {
    await opened?.close();
  }
}
