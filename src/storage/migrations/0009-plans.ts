import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Plans (issue 5, item 6): what a full push, a configuration change or a provisioning removal would
 * do, computed without writing to the target and kept until it expires, with one row per object it
 * considered: the planned operation and the fingerprint of what it was computed from, so applying it
 * can refuse when the world changed. Applying starts a `provisioning_runs` row of kind `apply` (that
 * column is free text: no constraint to change).
 */
export function createPlansMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const json = context.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('plans')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('provisioning_id', text, (c) => c.notNull())
        /** `full-push`, `config` or `removal`. */
        .addColumn('kind', 'text', (c) => c.notNull())
        /** `ready`, `applying`, `applied` or `stale` (an apply found the world changed). */
        .addColumn('status', 'text', (c) => c.notNull())
        /** The configuration the plan was computed with: a `config` plan's proposal, else the saved one. */
        .addColumn('proposed_config', json)
        /** The DeletionStrategy a `removal` plan uses. */
        .addColumn('deletion_strategy', 'text')
        /** 1 when the provisioning was disabled: applying the plan enables it. */
        .addColumn('enables', 'integer', (c) => c.notNull())
        /** What the whole plan rests on: the provisioning's and the target's versions, the deletion guard. */
        .addColumn('basis', json, (c) => c.notNull())
        .addColumn('summary', json, (c) => c.notNull())
        .addColumn('run_id', text)
        /** Why an apply was refused: what changed. */
        .addColumn('refusal', json)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('expires_at', text, (c) => c.notNull())
        .addColumn('applied_at', text)
        .execute();
      await db.schema
        .createIndex('plans_provisioning_ix')
        .on('plans')
        .columns(['provisioning_id', 'created_at'])
        .execute();
      await db.schema.createIndex('plans_expires_ix').on('plans').columns(['expires_at']).execute();

      await db.schema
        .createTable('plan_items')
        .addColumn('plan_id', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        /** The operation's kind (create, update, delete, same, none, …), for counting and filtering. */
        .addColumn('kind', 'text', (c) => c.notNull())
        /** The user's and the link's versions (and more) the operation was computed from. */
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        /** 1 when planning read the target for it (a matching lookup, a native inspection). */
        .addColumn('reads_target', 'integer', (c) => c.notNull())
        .addColumn('operation', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_items_pk', ['plan_id', 'object_id'])
        .execute();
    },
  };
}
