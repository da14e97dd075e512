import { CompiledQuery, type Kysely, sql } from 'kysely';
import { type Db, type JobWithMetadata, PgBoss } from 'pg-boss';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import { groupLimitsStore } from './group-limits.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  type JobFilter,
  type JobInfo,
  type JobQueue,
  type JobState,
  type WorkerOptions,
} from './job-queue.ts';
import { JOB_SIGNAL_TOPIC, signalJobs } from './job-signal.ts';
import { decideNextRun } from './next-run.ts';
import { pausedGroupsStore } from './paused-groups.ts';
import { type ClaimedJob, startWorkerLoop, type WorkerBackend } from './worker-loop.ts';

export interface PgBossJobQueueOptions {
  /** The PostgreSQL URL the storage was opened with. */
  readonly url: string;
  /** pg-boss's own schema. Default: `<current schema>_pgboss`. */
  readonly schema?: string;
  /** A running job's lease, renewed by heartbeat (pg-boss minimum 10 s). Default 30 s. */
  readonly heartbeatSeconds?: number;
  /** How often pg-boss looks for expired heartbeats. Default 5 s. */
  readonly monitorIntervalSeconds?: number;
  readonly poolSize?: number;
}

/** Every job lives in one pg-boss queue; the job kind travels in the data. */
const QUEUE = 'lockstep-jobs';
/** The `groupConcurrency.default` when only some groups have a limit (pg-boss needs a number). */
const UNLIMITED = 2_147_483_647;

interface BossData {
  readonly kind: string;
  readonly payload: unknown;
}

/**
 * The PostgreSQL queue for several lockstep processes, over pg-boss (decision record: jobs queue).
 * Mapping: one `stately` queue keyed by `singletonKey` = job key (one waiting and one active job per
 * key, and a waiting job is not fetched while its key is active), `upsert` for coalescing, `group` with
 * global `groupConcurrency` for per-target limits (a group's own limit from `job_group_limits` is a
 * pg-boss tier: each job's tier is its group id, and each fetch passes the limits as `tiers`), heartbeats
 * as the lease, per-job `retryLimit` =
 * maxAttempts − 1. Our own loop fetches (so paused groups can be skipped with `ignoreGroups`), and the
 * handler's retry delay (Retry-After) overrides pg-boss's backoff with an `update` of the retried job.
 */
export async function createPgBossJobQueue(
  storage: Storage,
  options: PgBossJobQueueOptions,
): Promise<JobQueue> {
  const schema = options.schema ?? `${await currentSchema(storage)}_pgboss`;
  const heartbeatSeconds = options.heartbeatSeconds ?? 30;
  const boss = new PgBoss({
    connectionString: options.url,
    schema,
    max: options.poolSize ?? 4,
    schedule: false,
    monitorIntervalSeconds: options.monitorIntervalSeconds ?? 5,
    superviseIntervalSeconds: options.monitorIntervalSeconds ?? 5,
  });
  const errors = new Set<(error: unknown) => void>();
  boss.on('error', (error) => {
    for (const report of errors) report(error);
  });
  await boss.start();
  await boss.createQueue(QUEUE, {
    policy: 'stately',
    heartbeatSeconds,
    expireInSeconds: 24 * 3600,
    retryLimit: DEFAULT_MAX_ATTEMPTS - 1,
    retryDelay: 1,
    retryBackoff: true,
  });
  const paused = pausedGroupsStore(storage);
  const limits = groupLimitsStore(storage);

  const backend = (groupConcurrency: number | undefined): WorkerBackend => ({
    async claim(limit) {
      const [ignoreGroups, tiers] = await Promise.all([paused.list(), limits.list()]);
      const limited = Object.keys(tiers).length > 0;
      const jobs = (await boss.fetch<BossData>(QUEUE, {
        batchSize: limit,
        includeMetadata: true,
        ...(limited
          ? { groupConcurrency: { default: groupConcurrency ?? UNLIMITED, tiers } }
          : groupConcurrency !== undefined
            ? { groupConcurrency }
            : {}),
        ...(ignoreGroups.length > 0 ? { ignoreGroups } : {}),
      })) as JobWithMetadata<BossData>[];
      return jobs.map(
        (job): ClaimedJob => ({
          key: job.singletonKey ?? job.id,
          kind: job.data.kind,
          group: job.groupId ?? undefined,
          payload: job.data.payload,
          attempt: job.retryCount + 1,
          maxAttempts: job.retryLimit + 1,
          claim: { id: job.id, retryCount: job.retryCount },
        }),
      );
    },
    async renew(jobs) {
      // The heartbeat. A lost job is not reported: completion is fenced to the fetched attempt, so a
      // worker that lost its job to another settles nothing.
      await boss.touch(
        QUEUE,
        jobs.map((job) => job.claim as { id: string; retryCount: number }),
      );
      return [];
    },
    async finish(job, outcome) {
      const attempt = job.claim as { id: string; retryCount: number };
      const next = decideNextRun(outcome, job.attempt, job.maxAttempts, new Date());
      if (next.state === 'done') {
        await boss.complete(QUEUE, attempt);
      } else if (next.state === 'failed') {
        // Terminal whatever the attempts left: pg-boss's fail() would retry, so the failure is recorded
        // as a completion whose output says failed (listJobs reports it as failed).
        await boss.complete(QUEUE, attempt, { lockstepFailed: next.error });
      } else {
        await storage.write(async (trx) => {
          const db = kyselyDatabase(trx);
          await boss.fail(QUEUE, attempt, { error: next.error }, { db });
          await boss.update(QUEUE, undefined, { id: attempt.id, startAfter: next.runAt, db });
        });
      }
    },
    subscribe: (wake) => storage.signals.subscribe(JOB_SIGNAL_TOPIC, wake),
  });

  return {
    async enqueue(jobs, trx) {
      if (jobs.length === 0) return;
      const run = async (db: Kysely<DatabaseSchema>) => {
        for (const job of jobs) {
          await boss.upsert(
            QUEUE,
            { kind: job.kind, payload: job.payload ?? null },
            {
              singletonKey: job.key,
              startAfter: job.runAt ?? new Date(),
              retryLimit: (job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) - 1,
              // The tier is the group itself, so that the group's own limit applies (see claim).
              ...(job.group !== undefined ? { group: { id: job.group, tier: job.group } } : {}),
              db: kyselyDatabase(db),
            },
          );
        }
        await signalJobs(storage, db);
      };
      if (trx !== undefined) await run(trx);
      else await storage.write(run);
    },
    startWorker(workerOptions: WorkerOptions) {
      if (workerOptions.onError !== undefined) errors.add(workerOptions.onError);
      const worker = startWorkerLoop(
        backend(workerOptions.groupConcurrency),
        workerOptions,
        (heartbeatSeconds * 1000) / 3,
      );
      return {
        async stop() {
          await worker.stop();
          if (workerOptions.onError !== undefined) errors.delete(workerOptions.onError);
        },
      };
    },
    pauseGroup: paused.pause,
    async resumeGroup(group) {
      await paused.resume(group);
      await storage.signals.publish(JOB_SIGNAL_TOPIC);
    },
    listPausedGroups: paused.list,
    setGroupLimit: limits.set,
    async listJobs(filter: JobFilter = {}) {
      const states: Record<JobState, string[]> = {
        queued: ['created', 'retry'],
        running: ['active'],
        done: ['completed'],
        failed: ['completed', 'failed'],
      };
      const wanted =
        filter.state === undefined
          ? ['created', 'retry', 'active', 'completed', 'failed']
          : states[filter.state];
      // pg-boss keeps a row per run; a key's current job is its newest row.
      const { rows } = await sql<BossRow>`
        select * from (
          select distinct on (singleton_key) singleton_key, data, state, retry_count, retry_limit, start_after, group_id, output
          from ${sql.id(schema, 'job')}
          where name = ${QUEUE} and state::text in ('created', 'retry', 'active', 'completed', 'failed')
            ${filter.group !== undefined ? sql`and group_id = ${filter.group}` : sql``}
            ${filter.keyPrefix !== undefined ? sql`and starts_with(singleton_key, ${filter.keyPrefix})` : sql``}
          order by singleton_key, created_on desc) current
        where state::text in (${sql.join(wanted)})
        order by start_after, singleton_key limit ${filter.limit ?? 1000}`.execute(storage.db);
      return rows.map(toJobInfo).filter((job) => filter.state === undefined || job.state === filter.state);
    },
    async cancel(keyPrefix) {
      const { rows } = await sql<{ id: string }>`
        select id from ${sql.id(schema, 'job')}
        where name = ${QUEUE} and state in ('created', 'retry') and starts_with(singleton_key, ${keyPrefix})`.execute(
        storage.db,
      );
      if (rows.length === 0) return 0;
      await boss.deleteJob(
        QUEUE,
        rows.map((row) => row.id),
      );
      return rows.length;
    },
    async close() {
      await boss.stop({ graceful: false, close: true });
    },
  };
}

interface BossRow {
  singleton_key: string;
  data: BossData;
  state: string;
  retry_count: number;
  retry_limit: number;
  start_after: Date;
  group_id: string | null;
  output: { lockstepFailed?: string; error?: string; message?: string } | null;
}

function toJobInfo(row: BossRow): JobInfo {
  const failedOutput = row.output?.lockstepFailed;
  const state: JobState =
    row.state === 'active'
      ? 'running'
      : row.state === 'completed'
        ? failedOutput !== undefined
          ? 'failed'
          : 'done'
        : row.state === 'failed'
          ? 'failed'
          : 'queued';
  const lastError = failedOutput ?? (row.output !== null ? JSON.stringify(row.output) : undefined);
  return {
    key: row.singleton_key,
    kind: row.data.kind,
    group: row.group_id ?? undefined,
    payload: row.data.payload,
    state,
    attempts: row.state === 'created' || row.state === 'retry' ? row.retry_count : row.retry_count + 1,
    maxAttempts: row.retry_limit + 1,
    runAt: new Date(row.start_after),
    lastError: state === 'done' ? undefined : lastError,
  };
}

/** pg-boss's database seam over a Kysely connection or transaction (so enqueue joins the caller's). */
function kyselyDatabase(db: Kysely<DatabaseSchema>): Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] as never[] };
    },
  };
}

async function currentSchema(storage: Storage): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(storage.db);
  return rows[0]?.name ?? 'public';
}
