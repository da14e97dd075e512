import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Reconciliation (issue 5, item 7): what a run that read a target back found (orphans, missing
 * accounts, drift), the findings an admin chose to ignore (remembered across runs), and each
 * provisioning's reconciliation schedule. Runs themselves are `provisioning_runs` of kind
 * `reconciliation` (that column is free text: no constraint to change).
 */
export function createReconciliationMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const json = context.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('reconciliation_findings')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('run_id', text, (c) => c.notNull())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('provisioning_id', text, (c) => c.notNull())
        /** `orphan`, `missing` or `drift`. */
        .addColumn('kind', 'text', (c) => c.notNull())
        /** `open`, `ignored` or `actioned`. */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('account_id', text, (c) => c.notNull())
        /** As the target reported them (missing: as last pushed). */
        .addColumn('user_name', 'text')
        .addColumn('external_id', 'text')
        /** The directory object, when known (a link's object, or a suggested match). */
        .addColumn('object_id', text)
        .addColumn('details', json, (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('action_object_id', text)
        .addColumn('acted_at', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reconciliation_findings_run_ix')
        .on('reconciliation_findings')
        .columns(['run_id', 'id'])
        .execute();
      await db.schema
        .createIndex('reconciliation_findings_account_ix')
        .on('reconciliation_findings')
        .columns(['provisioning_id', 'account_id'])
        .execute();

      await db.schema
        .createTable('reconciliation_ignores')
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('account_id', text, (c) => c.notNull())
        .addColumn('tenant_id', text, (c) => c.notNull())
        /** The finding the admin ignored. */
        .addColumn('finding_id', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('reconciliation_ignores_pk', ['provisioning_id', 'kind', 'account_id'])
        .execute();

      await db.schema
        .createTable('reconciliation_settings')
        .addColumn('provisioning_id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull())
        /** A five-field cron expression in UTC, or null (on demand only). */
        .addColumn('schedule', 'text')
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
    },
  };
}
