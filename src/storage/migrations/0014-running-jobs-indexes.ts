import { type Kysely, sql } from 'kysely';

/**
 * A worker's claim (`jobs/sql-job-queue.ts`) asks two questions of the running jobs: which leases
 * expired, and how many jobs of each group run. During a full push most running rows are keys a page
 * job took (`attempts = 0`, eight pages × 100 users), and both questions walked all of them on every
 * claim — through `(state, run_at)` and `(group_name, state)`, reading each row for `locked_until` and
 * `attempts`. These partial indexes hold only what each question asks about: the running rows by
 * lease end, and the running jobs proper (attempts > 0, at most the workers' concurrency) by group.
 * @see docs/decisions/0016-full-push-batching.md
 */
export function createRunningJobsIndexesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('jobs_running_lease_ix')
        .on('jobs')
        .columns(['locked_until'])
        .where(sql<boolean>`state = 'running'`)
        .execute();
      await db.schema
        .createIndex('jobs_running_group_ix')
        .on('jobs')
        .columns(['group_name'])
        .where(sql<boolean>`state = 'running' and attempts > 0`)
        .execute();
    },
  };
}
