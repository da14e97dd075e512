import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * The provisioning engine (issue 4): targets, provisionings, links, the directory outbox, runs and the
 * provisioning log. Links have no foreign key to users or groups: they outlive the objects they
 * describe, which is how a deleted user's accounts are still found and removed.
 */
export function createProvisioningMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const json = context.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  const serial = context.dialect === 'postgres' ? 'bigint' : 'integer';
  const identity = (c: ColumnDefinitionBuilder) =>
    context.dialect === 'postgres'
      ? c.primaryKey().generatedAlwaysAsIdentity()
      : c.primaryKey().autoIncrement();
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('targets')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text', (c) => c.notNull())
        /** The authentication settings, secrets included, sealed with the service's secret key. */
        .addColumn('auth_sealed', 'text', (c) => c.notNull())
        .addColumn('settings', json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('status_since', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('targets_tenant_ix').on('targets').columns(['tenant_id']).execute();

      await db.schema
        .createTable('provisionings')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id'))
        .addColumn('target_id', text, (c) => c.notNull().references('targets.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('config', json, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('provisionings_tenant_ix')
        .on('provisionings')
        .columns(['tenant_id'])
        .execute();
      await db.schema
        .createIndex('provisionings_target_ix')
        .on('provisionings')
        .columns(['target_id'])
        .execute();

      await db.schema
        .createTable('links')
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('object_type', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('account_id', text)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_by_us', 'integer', (c) => c.notNull())
        .addColumn('pushed', json)
        .addColumn('last_error', 'text')
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('links_pk', ['provisioning_id', 'object_type', 'object_id'])
        .execute();
      await db.schema
        .createIndex('links_account_ix')
        .on('links')
        .columns(['provisioning_id', 'account_id'])
        .execute();
      await db.schema
        .createIndex('links_state_ix')
        .on('links')
        .columns(['provisioning_id', 'state'])
        .execute();

      await db.schema
        .createTable('directory_changes')
        .addColumn('seq', serial, identity)
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('object_type', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('at', text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('provisioning_runs')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stats', json, (c) => c.notNull())
        .addColumn('cursor', 'text')
        .addColumn('cancel_requested', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('started_at', text)
        .addColumn('finished_at', text)
        .execute();
      await db.schema
        .createIndex('provisioning_runs_provisioning_ix')
        .on('provisioning_runs')
        .columns(['provisioning_id', 'created_at'])
        .execute();

      // One row per object a run planned; `action` and `outcome` are filled as its reconciliation ends.
      await db.schema
        .createTable('provisioning_run_items')
        .addColumn('run_id', text, (c) => c.notNull())
        .addColumn('object_type', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('outcome', 'text')
        .addPrimaryKeyConstraint('provisioning_run_items_pk', ['run_id', 'object_type', 'object_id'])
        .execute();
      // "Is anything of this run still pending?" after every object must not count the whole run.
      await db.schema
        .createIndex('provisioning_run_items_outcome_ix')
        .on('provisioning_run_items')
        .columns(['run_id', 'outcome'])
        .execute();
      await db.schema
        .createIndex('provisioning_run_items_object_ix')
        .on('provisioning_run_items')
        .columns(['object_id', 'run_id'])
        .execute();

      await db.schema
        .createTable('provisioning_log')
        .addColumn('seq', serial, identity)
        .addColumn('at', text, (c) => c.notNull())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('target_id', text, (c) => c.notNull())
        .addColumn('run_id', text)
        .addColumn('object_type', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('account_id', text)
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('target_status', 'integer')
        .addColumn('changes', json)
        .addColumn('message', 'text')
        .addColumn('duration_ms', 'integer')
        .execute();
      for (const [name, columns] of [
        ['provisioning_log_provisioning_ix', ['provisioning_id', 'at']],
        ['provisioning_log_object_ix', ['object_id', 'at']],
        ['provisioning_log_target_ix', ['target_id', 'at']],
      ] as const) {
        await db.schema
          .createIndex(name)
          .on('provisioning_log')
          .columns([...columns])
          .execute();
      }

      await db.schema
        .createTable('provisioning_events')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('object_type', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text', (c) => c.notNull())
        .addColumn('error_count', 'integer', (c) => c.notNull())
        .addColumn('first_failed_at', text, (c) => c.notNull())
        .addColumn('last_attempt_at', text, (c) => c.notNull())
        .addUniqueConstraint('provisioning_events_object_uq', ['provisioning_id', 'object_type', 'object_id'])
        .execute();
    },
  };
}
