import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

/**
 * The work queue of the provisioning engine. A job means "reconcile this key" (e.g. object O for
 * provisioning P): handlers are level-triggered and idempotent, so the queue promises at-least-once
 * runs, never two runs of one key at once, and coalescing instead of history:
 * - enqueueing key K while K waits replaces it: one job, the latest payload, `runAt` if given, else the
 *   earlier of the waiting job's run time and now;
 * - enqueueing K while K runs yields exactly one more run after the running one ends;
 * - a worker killed mid-job loses its lease; the job runs again once the lease has expired.
 */
export interface JobQueue {
  /**
   * Adds or coalesces jobs. With `trx` (a transaction from `storage.write`), the jobs commit or roll
   * back with the caller's writes.
   */
  enqueue(jobs: readonly JobSpec[], trx?: Kysely<DatabaseSchema>): Promise<void>;
  /** Starts taking jobs in this process until `stop()`, which waits for the running handlers. */
  startWorker(options: WorkerOptions): JobWorker;
  /** Jobs of a paused group stay queued (running ones finish) until the group is resumed. */
  pauseGroup(group: string): Promise<void>;
  resumeGroup(group: string): Promise<void>;
  listPausedGroups(): Promise<string[]>;
  /**
   * At most `max` jobs of `group` run at once across all workers, in place of the workers'
   * `groupConcurrency` (a target's `settings.concurrency`); null returns the group to that default.
   * Takes effect at the next claim. With `trx`, it commits with the caller's writes.
   */
  setGroupLimit(group: string, max: number | null, trx?: Kysely<DatabaseSchema>): Promise<void>;
  /** The jobs that match, oldest run time first (for status APIs and tests). */
  listJobs(filter?: JobFilter): Promise<JobInfo[]>;
  /**
   * Drops waiting jobs whose key starts with `keyPrefix`; a running one finishes but is not run again.
   * Returns how many waiting jobs were dropped.
   */
  cancel(keyPrefix: string): Promise<number>;
  /**
   * Optional (the SQL queue has it): lets a running job do the work of other keys itself, e.g. a page
   * of a full push reconciling its users in one job. Takes each key of `jobs` that has no waiting or
   * running job, as if it were claimed under `holder`'s lease, and returns the keys taken. A taken key
   * counts as running (an enqueue of it waits for the release, as for a running job) but not towards
   * its group's concurrency: the holder does. If the holder dies, each taken key runs as its own job,
   * from its spec, once the lease has expired; so does each key it still holds when it ends. (SQLite
   * holds taken keys in memory, PostgreSQL as running rows: `listJobs` shows them only there.)
   */
  takeKeys?(holder: RunningJob, jobs: readonly JobSpec[]): Promise<ReadonlySet<string>>;
  /**
   * Ends keys taken by `holder`: each is done, or waits to run again when it was enqueued meanwhile
   * (enqueue first to hand a key back to its own job). With `trx`, it commits with the caller's writes.
   */
  releaseKeys?(holder: RunningJob, keys: readonly string[], trx?: Kysely<DatabaseSchema>): Promise<void>;
  /** Releases what the queue holds (connections); workers must be stopped first. */
  close(): Promise<void>;
}

export interface JobSpec {
  /** The handler that runs the job. */
  readonly kind: string;
  /** Identity for coalescing and serial execution, e.g. `reconcile:<provisioning>:<object>`. */
  readonly key: string;
  /** Concurrency and pause group, e.g. the target id. */
  readonly group?: string;
  /** JSON-serialisable. */
  readonly payload?: unknown;
  /** Not before this time. Default: now. */
  readonly runAt?: Date;
  /** Runs (attempts) before the job is failed. Default 10. */
  readonly maxAttempts?: number;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobInfo {
  readonly key: string;
  readonly kind: string;
  readonly group: string | undefined;
  readonly payload: unknown;
  readonly state: JobState;
  /** Runs started so far (1 during the first run). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: Date;
  readonly lastError: string | undefined;
}

export interface JobFilter {
  readonly group?: string;
  readonly state?: JobState;
  readonly keyPrefix?: string;
  readonly limit?: number;
}

/** What a handler sees. */
export interface RunningJob {
  readonly key: string;
  readonly kind: string;
  readonly group: string | undefined;
  readonly payload: unknown;
  /** 1 on the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The queue's own record of this claim (opaque); `takeKeys` recognises the holder by it. */
  readonly claim?: unknown;
  /** Aborted when the worker stops or loses the job's lease. */
  readonly signal: AbortSignal;
}

/**
 * A handler's verdict. `retry` runs the job again after `afterMs` (exponential backoff with jitter
 * when absent; a `Retry-After` belongs here) unless the attempts are spent, which fails it. A handler
 * that throws is retried with backoff.
 */
export type JobOutcome =
  | { readonly outcome: 'done' }
  | { readonly outcome: 'retry'; readonly afterMs?: number; readonly error: string }
  | { readonly outcome: 'failed'; readonly error: string };

export type JobHandler = (job: RunningJob) => Promise<JobOutcome>;

export interface WorkerOptions {
  /** By job kind. A job whose kind has no handler here fails. */
  readonly handlers: Readonly<Record<string, JobHandler>>;
  /** Jobs this worker runs at once. Default 8. */
  readonly concurrency?: number;
  /**
   * Jobs of one group running at once across all workers, for groups without a limit of their own
   * (`setGroupLimit`). Default: unlimited.
   */
  readonly groupConcurrency?: number;
  /** Idle polling period; enqueues on the same database also wake workers. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Called with handler errors and queue failures (the worker keeps going). */
  readonly onError?: (error: unknown) => void;
}

export interface JobWorker {
  stop(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 10;
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_POLL_INTERVAL_MS = 1000;
