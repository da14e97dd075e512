import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * The embedded work queue (issue 4, src/jobs/sql-job-queue.ts): one row per job key, coalesced in
 * place, claimed with a lease (`lock_token`, `locked_until`); and the paused groups, which the
 * PostgreSQL job-queue library consults too. Payloads are JSON text in both dialects.
 */
export function createJobsMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .addColumn('job_key', text, (c) => c.primaryKey())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('group_name', text)
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', text, (c) => c.notNull())
        .addColumn('rerun', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', text, (c) => c.notNull())
        .addColumn('lock_token', text)
        .addColumn('locked_until', text)
        .addColumn('last_error', 'text')
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_state_run_at_ix').on('jobs').columns(['state', 'run_at']).execute();
      await db.schema
        .createIndex('jobs_group_state_ix')
        .on('jobs')
        .columns(['group_name', 'state'])
        .execute();
      await db.schema
        .createTable('job_paused_groups')
        .addColumn('group_name', text, (c) => c.primaryKey())
        .addColumn('paused_at', text, (c) => c.notNull())
        .execute();
    },
  };
}
