import { sql } from 'kysely';
import type { JobHandler } from '../../src/jobs/job-queue.ts';
import type { Storage } from '../../src/storage/open-storage.ts';

/** Creates the side-effect table of the crash test. */
export async function createEffectsTable(storage: Storage): Promise<void> {
  await sql`create table job_effects (job_key text primary key, runs integer not null)`.execute(storage.db);
}

/**
 * An idempotent side effect keyed by the job: the row counts the runs that reached it. Sleeps a little
 * before and after, so that a kill lands mid-job now and then.
 */
export function effectHandler(storage: Storage): JobHandler {
  return async (job) => {
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 30));
    await storage.write((trx) =>
      sql`insert into job_effects (job_key, runs) values (${job.key}, 1)
        on conflict (job_key) do update set runs = job_effects.runs + 1`.execute(trx),
    );
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
    return { outcome: 'done' };
  };
}
