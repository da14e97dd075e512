import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Per-group concurrency limits of the job queue (issue 4, item 3): at most `max_running` jobs of a
 * group (a target) run at once across every process; a group without a row has the worker's default.
 * The engine keeps one row per target, from its `settings.concurrency`.
 * @see docs/decisions/0019-target-rate-limits.md
 */
export function createJobGroupLimitsMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('job_group_limits')
        .addColumn('group_name', text, (c) => c.primaryKey())
        .addColumn('max_running', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
