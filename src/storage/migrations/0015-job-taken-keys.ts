import type { Kysely } from 'kysely';

/**
 * On SQLite (one process) a running job's taken keys (`JobQueue.takeKeys`) are held in memory, and
 * their specs are kept on the holder's own row in `taken`: one row written per page of a full push
 * instead of a running row per user, and what lets a holder that dies hand each key back to its own
 * job. PostgreSQL keeps a row per taken key (several processes share the queue) and leaves it null.
 * @see docs/decisions/0016-full-push-batching.md
 */
export function createJobTakenKeysMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('jobs').addColumn('taken', 'text').execute();
    },
  };
}
