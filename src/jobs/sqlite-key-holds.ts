import { type Kysely, sql } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import type { JobSpec, RunningJob } from './job-queue.ts';

const CHUNK = 500;

/** A taken key's spec as kept on its holder's row (`jobs.taken`), to hand it back to its own job. */
type TakenSpec = Pick<JobSpec, 'kind' | 'key' | 'group' | 'payload' | 'maxAttempts'>;

/**
 * `takeKeys` / `releaseKeys` of the SQL queue on SQLite, where one process owns the database (the
 * embedded mode) and so the queue can hold taken keys in memory: in a TEMP table of its one
 * connection (`temp_store = MEMORY`: never written to the WAL), which a claim consults to leave a
 * held key's waiting job alone. What must survive a crash is one JSON list on the holder's own row
 * (`jobs.taken`): when the holder dies (its lease expires) or ends without releasing, each key it
 * still holds becomes its own job, as the `JobQueue` contract says. A full push's page took its 100
 * users' keys as 100 running rows (inserted, then updated to done: a fifth of the pages a push wrote);
 * it now writes its own row twice.
 * @see docs/decisions/0016-full-push-batching.md
 */
export function sqliteKeyHolds(
  storage: Storage,
  enqueueIn: (db: Kysely<DatabaseSchema>, jobs: readonly JobSpec[]) => Promise<void>,
) {
  let created: Promise<void> | undefined;
  let exists = false;
  /** Claims (tokens) that took keys in this process and may not have released them all. */
  const holding = new Set<string>();
  /**
   * Creates the TEMP table, outside any transaction (one rolled back would take it away): awaited
   * before the queue's writes that use it, never from inside one (the connection is the writer's).
   */
  const ready = (): Promise<void> =>
    (created ??= sql`create temp table if not exists job_holds (
        job_key text primary key, token text not null) without rowid`
      .execute(storage.db)
      .then(() => {
        exists = true;
      }));

  /** Hands the keys claim `token` still holds (`taken`, its list) back to their own jobs. */
  async function handBack(db: Kysely<DatabaseSchema>, token: string, taken: string) {
    holding.delete(token);
    await sql`delete from temp.job_holds where token = ${token}`.execute(db);
    await enqueueIn(db, JSON.parse(taken) as TakenSpec[]);
  }

  return {
    /** The claim's condition on a waiting job: no running job holds its key. */
    notHeld: (alias: string) =>
      sql`not exists (select 1 from temp.job_holds h where h.job_key = ${sql.ref(`${alias}.job_key`)})`,

    ready,

    /**
     * Inside a claim, before choosing: the keys of holders whose lease expired go back to their own
     * jobs (the holders themselves are claimed again like any expired job).
     */
    async handBackExpired(db: Kysely<DatabaseSchema>, nowText: string): Promise<void> {
      const { rows } = await sql<{ job_key: string; lock_token: string; taken: string }>`
        select job_key, lock_token, taken from jobs indexed by jobs_running_lease_ix
        where state = 'running' and locked_until < ${nowText} and taken is not null`.execute(db);
      for (const row of rows) {
        await handBack(db, row.lock_token, row.taken);
        await sql`update jobs set taken = null where job_key = ${row.job_key}`.execute(db);
      }
    },

    /**
     * When a job ends, before its `finish` clears `taken`: what it still holds goes back to the keys'
     * own jobs. True when something did. Only a claim that took keys here is looked up.
     */
    async handBackEnded(db: Kysely<DatabaseSchema>, jobKey: string, token: string): Promise<boolean> {
      if (!holding.has(token)) return false;
      holding.delete(token);
      const own = await db
        .selectFrom('jobs')
        .select('taken')
        .where('job_key', '=', jobKey)
        .where('lock_token', '=', token)
        .executeTakeFirst();
      if (own?.taken == null) return false;
      await handBack(db, token, own.taken);
      return true;
    },

    async take(holder: RunningJob, jobs: readonly JobSpec[]): Promise<ReadonlySet<string>> {
      const token = holder.claim;
      if (typeof token !== 'string' || jobs.length === 0) return new Set<string>();
      const latest = [...new Map(jobs.map((job) => [job.key, job])).values()];
      await ready();
      return storage.write(async (trx) => {
        const own = await trx
          .selectFrom('jobs')
          .select('taken')
          .where('job_key', '=', holder.key)
          .where('lock_token', '=', token)
          .where('state', '=', 'running')
          .executeTakeFirst();
        if (own === undefined) return new Set<string>();
        const busy = new Set<string>();
        for (let start = 0; start < latest.length; start += CHUNK) {
          const keys = latest.slice(start, start + CHUNK).map((job) => job.key);
          const { rows } = await sql<{ job_key: string }>`
            select job_key from jobs where job_key in (${sql.join(keys)}) and state in ('queued', 'running')
            union all select job_key from temp.job_holds where job_key in (${sql.join(keys)})`.execute(trx);
          for (const row of rows) busy.add(row.job_key);
        }
        const free = latest.filter((job) => !busy.has(job.key));
        if (free.length === 0) return new Set<string>();
        for (let start = 0; start < free.length; start += CHUNK) {
          const part = free.slice(start, start + CHUNK);
          await sql`insert into temp.job_holds (job_key, token) values ${sql.join(
            part.map((job) => sql`(${job.key}, ${token})`),
          )}`.execute(trx);
        }
        const before = own.taken === null ? [] : (JSON.parse(own.taken) as TakenSpec[]);
        const taken: TakenSpec[] = [
          ...before,
          ...free.map(({ kind, key, group, payload, maxAttempts }) => ({
            kind,
            key,
            group,
            payload,
            maxAttempts,
          })),
        ];
        await trx
          .updateTable('jobs')
          .set({ taken: JSON.stringify(taken) })
          .where('job_key', '=', holder.key)
          .where('lock_token', '=', token)
          .execute();
        holding.add(token);
        return new Set(free.map((job) => job.key));
      });
    },

    /** Ends `keys` held by `holder`; true when one of them has a job waiting (enqueued meanwhile). */
    async release(db: Kysely<DatabaseSchema>, holder: RunningJob, keys: readonly string[]): Promise<boolean> {
      const token = holder.claim;
      // Nothing was ever taken on this connection (and `ready` may not run inside a transaction).
      if (typeof token !== 'string' || keys.length === 0 || !exists) return false;
      const released = new Set<string>();
      for (let start = 0; start < keys.length; start += CHUNK) {
        const { rows } = await sql<{ job_key: string }>`
          delete from temp.job_holds where token = ${token}
            and job_key in (${sql.join(keys.slice(start, start + CHUNK))}) returning job_key`.execute(db);
        for (const row of rows) released.add(row.job_key);
      }
      if (released.size === 0) return false;
      const own = await db
        .selectFrom('jobs')
        .select('taken')
        .where('job_key', '=', holder.key)
        .where('lock_token', '=', token)
        .executeTakeFirst();
      if (own?.taken != null) {
        const rest = (JSON.parse(own.taken) as TakenSpec[]).filter((spec) => !released.has(spec.key));
        await db
          .updateTable('jobs')
          .set({ taken: rest.length === 0 ? null : JSON.stringify(rest) })
          .where('job_key', '=', holder.key)
          .where('lock_token', '=', token)
          .execute();
        if (rest.length === 0) holding.delete(token);
      }
      const waiting = [...released];
      for (let start = 0; start < waiting.length; start += CHUNK) {
        const row = await db
          .selectFrom('jobs')
          .select('job_key')
          .where('job_key', 'in', waiting.slice(start, start + CHUNK))
          .where('state', '=', 'queued')
          .limit(1)
          .executeTakeFirst();
        if (row !== undefined) return true;
      }
      return false;
    },
  };
}
