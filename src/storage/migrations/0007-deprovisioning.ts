import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Deprovisioning that completes (issue 5): a link remembers a removal in progress (a grace period's
 * end, a delete blocked by target state, a removal staged by the deletion guard); backups keep what
 * an account looked like before any destructive step; the deletion guard counts admitted removals in
 * a sliding window, keeps the removals it staged, and can pause a provisioning's removals.
 */
export function createDeprovisioningMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const json = context.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('links').addColumn('delete_after', text).execute();
      /** `blocked` | `staged` | `kept-by-policy`, with the details in removal_detail. */
      await db.schema.alterTable('links').addColumn('removal_state', text).execute();
      await db.schema.alterTable('links').addColumn('removal_detail', json).execute();
      await db.schema.createIndex('links_delete_after_ix').on('links').columns(['delete_after']).execute();
      await db.schema
        .createIndex('links_removal_state_ix')
        .on('links')
        .columns(['removal_state', 'provisioning_id'])
        .execute();

      await db.schema.alterTable('provisionings').addColumn('removals_paused_reason', 'text').execute();
      await db.schema.alterTable('provisionings').addColumn('removals_paused_at', text).execute();

      await db.schema
        .createTable('account_backups')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('target_id', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('account_id', text, (c) => c.notNull())
        .addColumn('user_name', 'text')
        /** Why it was taken: `delete`, `disable`, `revoke`. */
        .addColumn('reason', 'text', (c) => c.notNull())
        /** The account as the target's SCIM endpoint reported it. */
        .addColumn('scim_document', json, (c) => c.notNull())
        /** Its dependents as the native API reported them (never secret values); null without one. */
        .addColumn('native', json)
        .addColumn('taken_at', text, (c) => c.notNull())
        .addColumn('expires_at', text, (c) => c.notNull())
        .addColumn('restored_at', text)
        .addColumn('restore_report', json)
        .execute();
      await db.schema
        .createIndex('account_backups_object_ix')
        .on('account_backups')
        .columns(['provisioning_id', 'object_id', 'taken_at'])
        .execute();
      await db.schema
        .createIndex('account_backups_tenant_ix')
        .on('account_backups')
        .columns(['tenant_id', 'taken_at'])
        .execute();
      await db.schema
        .createIndex('account_backups_expires_ix')
        .on('account_backups')
        .columns(['expires_at'])
        .execute();

      await db.schema
        .createTable('removal_admissions')
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('admitted_at', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('removal_admissions_pk', ['provisioning_id', 'object_id'])
        .execute();
      await db.schema
        .createIndex('removal_admissions_window_ix')
        .on('removal_admissions')
        .columns(['provisioning_id', 'admitted_at'])
        .execute();

      await db.schema
        .createTable('staged_removals')
        .addColumn('provisioning_id', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        /** `staged` until an admin decides; `approved` until the removal has run. */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('staged_at', text, (c) => c.notNull())
        .addColumn('decided_at', text)
        .addPrimaryKeyConstraint('staged_removals_pk', ['provisioning_id', 'object_id'])
        .execute();
    },
  };
}
