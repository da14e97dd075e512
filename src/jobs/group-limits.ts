import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import { signalJobs } from './job-signal.ts';

/**
 * Per-group concurrency limits (a target's `settings.concurrency`), kept in `job_group_limits` by
 * either queue implementation: the SQL queue joins the table in its claim, pg-boss reads it into
 * `groupConcurrency.tiers` on each fetch. Setting one needs no connection of a queue library, so a
 * lazy queue can do it before (or without) connecting.
 */
export function groupLimitsStore(storage: Storage) {
  return {
    /** @see JobQueue.setGroupLimit */
    async set(group: string, max: number | null, trx?: Kysely<DatabaseSchema>): Promise<void> {
      if (max !== null && !(Number.isInteger(max) && max >= 1))
        throw new RangeError(`A group limit must be a whole number of at least 1, not ${max}`);
      const run = async (db: Kysely<DatabaseSchema>) => {
        if (max === null) await db.deleteFrom('job_group_limits').where('group_name', '=', group).execute();
        else
          await db
            .insertInto('job_group_limits')
            .values({ group_name: group, max_running: max })
            .onConflict((conflict) => conflict.column('group_name').doUpdateSet({ max_running: max }))
            .execute();
      };
      if (trx !== undefined) await run(trx);
      else await storage.write(run);
      await signalJobs(storage, trx); // a raised limit may free waiting jobs now
    },
    async list(): Promise<Record<string, number>> {
      const rows = await storage.db.selectFrom('job_group_limits').selectAll().execute();
      return Object.fromEntries(rows.map((row) => [row.group_name, row.max_running]));
    },
  };
}
