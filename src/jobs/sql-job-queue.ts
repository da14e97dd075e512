import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DatabaseSchema, JobTable } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import { groupLimitsStore } from './group-limits.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  type JobFilter,
  type JobInfo,
  type JobQueue,
  type JobSpec,
  type WorkerOptions,
} from './job-queue.ts';
import { JOB_SIGNAL_TOPIC, signalJobs } from './job-signal.ts';
import { decideNextRun } from './next-run.ts';
import { pausedGroupsStore } from './paused-groups.ts';
import { sqliteKeyHolds } from './sqlite-key-holds.ts';
import { type ClaimedJob, startWorkerLoop, type WorkerBackend } from './worker-loop.ts';

export interface SqlJobQueueOptions {
  /** How long a claim holds without renewal; a killed worker's jobs run again after it. Default 30 s. */
  readonly leaseMs?: number;
}

const ENQUEUE_CHUNK = 500;

/**
 * The embedded queue: the `jobs` table of the application database, one row per key (so coalescing is
 * an upsert and serial execution per key is structural), claimed with a fenced lease. Works on SQLite
 * (claims go through the write batcher, one at a time) and on PostgreSQL (claims serialise on a
 * transaction-scoped advisory lock, which also keeps group limits exact across processes).
 */
export function createSqlJobQueue(storage: Storage, options: SqlJobQueueOptions = {}): JobQueue {
  const leaseMs = options.leaseMs ?? 30_000;
  const postgres = storage.dialect.name === 'postgres';
  const paused = pausedGroupsStore(storage);
  const limits = groupLimitsStore(storage);

  async function upsert(db: Kysely<DatabaseSchema>, jobs: readonly JobSpec[], given: boolean): Promise<void> {
    const now = new Date().toISOString();
    const rows = jobs.map((job) => ({
      job_key: job.key,
      kind: job.kind,
      group_name: job.group ?? null,
      payload: JSON.stringify(job.payload ?? null),
      state: 'queued' as const,
      rerun: 0,
      attempts: 0,
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: job.runAt?.toISOString() ?? now,
      updated_at: now,
    }));
    const running = sql`jobs.state = 'running'`;
    await db
      .insertInto('jobs')
      .values(rows)
      .onConflict((conflict) =>
        conflict.column('job_key').doUpdateSet({
          kind: sql`excluded.kind`,
          group_name: sql`excluded.group_name`,
          payload: sql`excluded.payload`,
          max_attempts: sql`excluded.max_attempts`,
          rerun: sql`case when ${running} then 1 else 0 end`,
          state: sql`case when ${running} then 'running' else 'queued' end`,
          // Coalescing into a waiting job keeps its attempt count; a finished job starts afresh.
          attempts: sql`case when jobs.state = 'queued' then jobs.attempts when ${running} then jobs.attempts else 0 end`,
          run_at: given
            ? sql`excluded.run_at`
            : sql`case when jobs.state = 'queued' and jobs.run_at < excluded.run_at then jobs.run_at else excluded.run_at end`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .execute();
  }

  async function enqueueIn(db: Kysely<DatabaseSchema>, jobs: readonly JobSpec[]): Promise<void> {
    const latest = new Map<string, JobSpec>();
    for (const job of jobs) latest.set(job.key, job); // one statement may not touch a row twice
    const all = [...latest.values()];
    for (const given of [false, true]) {
      const part = all.filter((job) => (job.runAt !== undefined) === given);
      for (let start = 0; start < part.length; start += ENQUEUE_CHUNK)
        await upsert(db, part.slice(start, start + ENQUEUE_CHUNK), given);
    }
  }

  /** SQLite (one process): taken keys held in memory; PostgreSQL: a running row per taken key. */
  const holds = postgres ? undefined : sqliteKeyHolds(storage, enqueueIn);

  const backend = (groupConcurrency: number | undefined, workerId: string): WorkerBackend => ({
    claim: async (limit) => {
      await holds?.ready();
      return storage.write(async (trx) => {
        if (postgres)
          await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.jobs.claim'))`.execute(trx);
        const now = new Date();
        const nowText = now.toISOString();
        await holds?.handBackExpired(trx, nowText);
        const token = `${workerId}:${randomUUID()}`;
        // The due jobs, each branch read from its own index in run order and bounded, so a claim
        // costs the same with 10 or 100,000 jobs waiting (an OR of both branches scanned them all).
        const window = Math.max(limit * 4, 32);
        // Running rows are mostly keys a page job took (up to 800 in a full push): the expired ones
        // and the group counts are read from partial indexes of their own (migration 0014). SQLite
        // would rather walk `(state, run_at)` for the order than sort the few expired leases.
        const byLease = postgres ? sql`` : sql`indexed by jobs_running_lease_ix`;
        const byGroup = postgres ? sql`` : sql`indexed by jobs_running_group_ix`;
        const notHeld = holds === undefined ? sql`` : sql`and ${holds.notHeld('j')}`;
        const due = sql`select job_key, group_name, run_at from (
            select j.job_key, j.group_name, j.run_at from jobs j
            where j.state = 'queued' and j.run_at <= ${nowText} ${notHeld}
            order by j.run_at limit ${window}) q
          union all
          select job_key, group_name, run_at from (
            select j.job_key, j.group_name, j.run_at from jobs j ${byLease}
            where j.state = 'running' and j.locked_until < ${nowText} order by j.run_at limit ${window}) r`;
        const open = sql`select d.job_key, d.group_name, d.run_at from (${due}) d
          where d.group_name is null or d.group_name not in (select group_name from job_paused_groups)`;
        // A group's own limit (job_group_limits) or else the worker's; neither: unlimited.
        const groupLimit =
          groupConcurrency === undefined
            ? sql`l.max_running`
            : sql`coalesce(l.max_running, ${groupConcurrency})`;
        const candidates = sql`select c.job_key from (
                select o.job_key, o.group_name, o.run_at,
                  row_number() over (partition by o.group_name order by o.run_at, o.job_key) as place
                from (${open}) o) c
              left join (select r.group_name, count(*) as n from jobs r ${byGroup}
                where r.state = 'running' and r.locked_until >= ${nowText} and r.group_name is not null
                  and r.attempts > 0
                group by r.group_name) g on g.group_name = c.group_name
              left join job_group_limits l on l.group_name = c.group_name
              where c.group_name is null or ${groupLimit} is null
                or c.place + coalesce(g.n, 0) <= ${groupLimit}
              order by c.run_at limit ${limit}`;
        const { rows } = await sql<
          Pick<JobTable, 'job_key' | 'kind' | 'group_name' | 'payload' | 'attempts' | 'max_attempts'>
        >`
          update jobs set state = 'running', attempts = attempts + 1, rerun = 0, lock_token = ${token},
            locked_until = ${new Date(now.getTime() + leaseMs).toISOString()}, updated_at = ${nowText}
          where job_key in (${candidates})
          returning job_key, kind, group_name, payload, attempts, max_attempts`.execute(trx);
        return rows.map(
          (row): ClaimedJob => ({
            key: row.job_key,
            kind: row.kind,
            group: row.group_name ?? undefined,
            payload: JSON.parse(row.payload),
            attempt: row.attempts,
            maxAttempts: row.max_attempts,
            claim: token,
          }),
        );
      });
    },
    renew: async (jobs) => {
      const tokens = [...new Set(jobs.map((job) => job.claim as string))];
      const held = await storage.write((trx) =>
        trx
          .updateTable('jobs')
          .set({ locked_until: new Date(Date.now() + leaseMs).toISOString() })
          .where('lock_token', 'in', tokens)
          .returning(['job_key', 'lock_token'])
          .execute(),
      );
      const kept = new Set(held.map((row) => `${row.lock_token}\u0000${row.job_key}`));
      return jobs.filter((job) => !kept.has(`${job.claim as string}\u0000${job.key}`));
    },
    finish: async (job, outcome) => {
      const now = new Date();
      const next = decideNextRun(outcome, job.attempt, job.maxAttempts, now);
      const runAt = next.state === 'queued' ? next.runAt.toISOString() : now.toISOString();
      const handedBack = await storage.write(async (trx) => {
        const token = job.claim as string;
        // What the job still held (SQLite) goes back to the keys' own jobs.
        const returned = (await holds?.handBackEnded(trx, job.key, token)) ?? false;
        await sql`
          update jobs set
            state = case when rerun = 1 then 'queued' else ${next.state} end,
            run_at = case when rerun = 1 then run_at else ${runAt} end,
            attempts = case when rerun = 1 then 0 else attempts end,
            last_error = ${next.state === 'done' ? null : next.error},
            rerun = 0, lock_token = null, locked_until = null, updated_at = ${now.toISOString()},
            taken = null
          where job_key = ${job.key} and lock_token = ${token}`.execute(trx);
        return returned;
      });
      if (handedBack) await signalJobs(storage);
    },
    subscribe: (wake) => storage.signals.subscribe(JOB_SIGNAL_TOPIC, wake),
  });

  return {
    async enqueue(jobs, trx) {
      if (jobs.length === 0) return;
      if (trx !== undefined) {
        await enqueueIn(trx, jobs);
        await signalJobs(storage, trx);
        return;
      }
      await storage.write((db) => enqueueIn(db, jobs));
      await signalJobs(storage);
    },
    startWorker(workerOptions: WorkerOptions) {
      const workerId = randomUUID();
      return startWorkerLoop(backend(workerOptions.groupConcurrency, workerId), workerOptions, leaseMs / 3);
    },
    pauseGroup: paused.pause,
    async resumeGroup(group) {
      await paused.resume(group);
      await storage.signals.publish(JOB_SIGNAL_TOPIC);
    },
    listPausedGroups: paused.list,
    setGroupLimit: limits.set,
    async listJobs(filter: JobFilter = {}) {
      let query = storage.db.selectFrom('jobs').selectAll();
      if (filter.group !== undefined) query = query.where('group_name', '=', filter.group);
      if (filter.state !== undefined) query = query.where('state', '=', filter.state);
      if (filter.keyPrefix !== undefined) query = query.where(startsWith(filter.keyPrefix));
      const rows = await query
        .orderBy('run_at')
        .orderBy('job_key')
        .limit(filter.limit ?? 1000)
        .execute();
      return rows.map(
        (row): JobInfo => ({
          key: row.job_key,
          kind: row.kind,
          group: row.group_name ?? undefined,
          payload: JSON.parse(row.payload),
          state: row.state,
          attempts: row.attempts,
          maxAttempts: row.max_attempts,
          runAt: new Date(row.run_at),
          lastError: row.last_error ?? undefined,
        }),
      );
    },
    // SQLite holds taken keys in memory (sqlite-key-holds.ts). On PostgreSQL, where several processes
    // share the queue, taken keys are running rows with the holder's token and lease (so the worker's
    // renewal of the holder renews them, and a dead holder's keys are claimed like any expired job)
    // and no attempt yet: `attempts = 0` is what keeps them out of the group count above.
    async takeKeys(holder, jobs) {
      if (holds !== undefined) return holds.take(holder, jobs);
      const token = holder.claim;
      if (typeof token !== 'string' || jobs.length === 0) return new Set<string>();
      const latest = [...new Map(jobs.map((job) => [job.key, job])).values()];
      return storage.write(async (trx) => {
        const lease = await trx
          .selectFrom('jobs')
          .select('locked_until')
          .where('job_key', '=', holder.key)
          .where('lock_token', '=', token)
          .where('state', '=', 'running')
          .executeTakeFirst();
        if (lease?.locked_until == null) return new Set<string>();
        const now = new Date().toISOString();
        const taken = new Set<string>();
        for (let start = 0; start < latest.length; start += ENQUEUE_CHUNK) {
          const rows = await trx
            .insertInto('jobs')
            .values(
              latest.slice(start, start + ENQUEUE_CHUNK).map((job) => ({
                job_key: job.key,
                kind: job.kind,
                group_name: job.group ?? null,
                payload: JSON.stringify(job.payload ?? null),
                state: 'running' as const,
                rerun: 0,
                attempts: 0,
                max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
                run_at: now,
                lock_token: token,
                locked_until: lease.locked_until,
                last_error: null,
                updated_at: now,
              })),
            )
            .onConflict((conflict) =>
              conflict
                .column('job_key')
                .doUpdateSet({
                  kind: sql`excluded.kind`,
                  group_name: sql`excluded.group_name`,
                  payload: sql`excluded.payload`,
                  state: 'running',
                  rerun: 0,
                  attempts: 0,
                  max_attempts: sql`excluded.max_attempts`,
                  run_at: sql`excluded.run_at`,
                  lock_token: sql`excluded.lock_token`,
                  locked_until: sql`excluded.locked_until`,
                  last_error: null,
                  updated_at: sql`excluded.updated_at`,
                })
                .where('jobs.state', 'in', ['done', 'failed']),
            )
            .returning('job_key')
            .execute();
          for (const row of rows) taken.add(row.job_key);
        }
        return taken;
      });
    },
    async releaseKeys(holder, keys, trx) {
      const token = holder.claim;
      if (typeof token !== 'string' || keys.length === 0) return;
      /** Releases the keys; true when a change that waited for one is now queued. */
      const release = async (db: Kysely<DatabaseSchema>): Promise<boolean> => {
        if (holds !== undefined) return holds.release(db, holder, keys);
        const now = new Date().toISOString();
        let queued = false;
        for (let start = 0; start < keys.length; start += ENQUEUE_CHUNK) {
          const { rows } = await sql<{ state: string }>`
            update jobs set
              state = case when rerun = 1 then 'queued' else 'done' end,
              run_at = case when rerun = 1 then run_at else ${now} end,
              attempts = 0, last_error = null, rerun = 0, lock_token = null, locked_until = null,
              updated_at = ${now}
            where job_key in (${sql.join(keys.slice(start, start + ENQUEUE_CHUNK))})
              and lock_token = ${token} and attempts = 0
            returning state`.execute(db);
          queued ||= rows.some((row) => row.state === 'queued');
        }
        return queued;
      };
      const queued = trx !== undefined ? await release(trx) : await storage.write(release);
      // Only a key that waited has anything new to run: a plain release wakes no worker (a page
      // releases hundreds of keys, and every wake is a claim).
      if (queued) await signalJobs(storage, trx);
    },
    async cancel(keyPrefix) {
      return storage.write(async (trx) => {
        await trx
          .updateTable('jobs')
          .set({ rerun: 0 })
          .where('state', '=', 'running')
          .where(startsWith(keyPrefix))
          .execute();
        const deleted = await trx
          .deleteFrom('jobs')
          .where('state', '=', 'queued')
          .where(startsWith(keyPrefix))
          .executeTakeFirst();
        return Number(deleted.numDeletedRows);
      });
    },
    async close() {},
  };
}

function startsWith(prefix: string) {
  return sql<boolean>`substr(job_key, 1, ${prefix.length}) = ${prefix}`;
}
