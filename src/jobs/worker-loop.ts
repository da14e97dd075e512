import {
  DEFAULT_CONCURRENCY,
  DEFAULT_POLL_INTERVAL_MS,
  type JobOutcome,
  type JobWorker,
  type RunningJob,
  type WorkerOptions,
} from './job-queue.ts';
import { outcomeOfThrow } from './next-run.ts';

/** A job as a backend hands it out: what the handler sees plus the backend's own claim data. */
export interface ClaimedJob extends Omit<RunningJob, 'signal'> {
  readonly claim: unknown;
}

/** What each queue implementation provides to the shared worker loop. */
export interface WorkerBackend {
  /** Takes up to `limit` due jobs (a lease starts for each). */
  claim(limit: number): Promise<ClaimedJob[]>;
  /** Extends the leases of `jobs`; returns those whose lease was lost (taken over). */
  renew(jobs: readonly ClaimedJob[]): Promise<readonly ClaimedJob[]>;
  /** Records the outcome; a lost lease makes this a no-op. */
  finish(job: ClaimedJob, outcome: JobOutcome): Promise<void>;
  /** Calls `wake` when jobs may have become due (enqueue elsewhere). */
  subscribe(wake: () => void): Promise<void>;
}

const CLAIM_BATCH = 32;

/**
 * Runs handlers for claimed jobs, at most `concurrency` at once; claims again as soon as a slot is
 * free and jobs remain, otherwise sleeps until woken or the poll interval passes. Leases are renewed
 * every `renewEveryMs` while handlers run.
 */
export function startWorkerLoop(
  backend: WorkerBackend,
  options: WorkerOptions,
  renewEveryMs: number,
): JobWorker {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const report = options.onError ?? (() => {});
  const running = new Map<ClaimedJob, { controller: AbortController; done: Promise<void> }>();
  const stopping = new AbortController();
  let wakeUp: (() => void) | undefined;
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const runJob = async (job: ClaimedJob, controller: AbortController): Promise<void> => {
    const handler = options.handlers[job.kind];
    let outcome: JobOutcome;
    if (handler === undefined)
      outcome = { outcome: 'failed', error: `No handler for job kind "${job.kind}"` };
    else {
      try {
        outcome = await handler({ ...job, signal: controller.signal });
      } catch (error) {
        report(error);
        outcome = outcomeOfThrow(error);
      }
    }
    if (controller.signal.aborted && !stopping.signal.aborted) return; // lease lost: another worker owns it
    try {
      await backend.finish(job, outcome);
    } catch (error) {
      report(error); // the lease will expire and the job run again
    }
  };

  const start = (job: ClaimedJob) => {
    const controller = new AbortController();
    const done = runJob(job, controller).finally(() => {
      running.delete(job);
      wake();
    });
    running.set(job, { controller, done });
  };

  const renewTimer = setInterval(() => {
    const jobs = [...running.keys()];
    if (jobs.length === 0) return;
    backend.renew(jobs).then(
      (lost) => {
        for (const job of lost) running.get(job)?.controller.abort(new Error('Job lease lost'));
      },
      (error: unknown) => report(error),
    );
  }, renewEveryMs);
  renewTimer.unref();

  const loop = async (): Promise<void> => {
    await backend.subscribe(wake).catch(report);
    while (!stopping.signal.aborted) {
      woken = false;
      const free = concurrency - running.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await backend.claim(Math.min(free, CLAIM_BATCH));
        } catch (error) {
          report(error);
        }
        if (stopping.signal.aborted) {
          // Claimed during stop: run them anyway rather than leave them leased until expiry.
          for (const job of claimed) start(job);
          break;
        }
        for (const job of claimed) start(job);
      }
      if (claimed.length > 0 && claimed.length === Math.min(free, CLAIM_BATCH)) continue;
      await sleep(pollIntervalMs);
    }
  };
  const looping = loop();

  return {
    async stop() {
      stopping.abort();
      wakeUp?.();
      await looping;
      await Promise.all([...running.values()].map((entry) => entry.done));
      clearInterval(renewTimer);
    },
  };
}
