import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Per-target rate limits (issue 4, item 3): where each rate-limited target's request schedule stands
 * (the GCRA's theoretical arrival time, in milliseconds of the database clock), shared by every
 * process on a PostgreSQL database. SQLite has the table too (one schema everywhere) but keeps the
 * schedule in memory: one process owns an embedded database. @see docs/decisions/0019-target-rate-limits.md
 */
export function createTargetRateLimitsMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const float = context.dialect === 'postgres' ? sql`double precision` : sql`real`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('target_rate_limits')
        .addColumn('target_id', text, (c) => c.primaryKey())
        .addColumn('tat_ms', float, (c) => c.notNull())
        .execute();
    },
  };
}
