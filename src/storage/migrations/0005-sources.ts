import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Sources (issue 6): LDAP / AD and CSV sources, which directory object each source owns (by its
 * stable external key) and which attributes it has authority over, the org-unit tree, and the runs
 * that import into the directory (direction ingress).
 */
export function createSourcesMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const json = context.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sources')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        /** The connection and mapping, secrets included, sealed with the service's secret key. */
        .addColumn('config_sealed', 'text', (c) => c.notNull())
        .addColumn('schedule', 'text')
        .addColumn('protection', json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('watermark', 'text')
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sources_tenant_ix').on('sources').columns(['tenant_id']).execute();

      await db.schema
        .createTable('source_objects')
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('source_id', text, (c) => c.notNull().references('sources.id').onDelete('cascade'))
        .addColumn('object_type', text, (c) => c.notNull())
        .addColumn('external_key', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        /** Where the source last saw the object (an LDAP DN, a CSV line): to resolve references. */
        .addColumn('external_name', 'text')
        .addColumn('attributes_owned', json, (c) => c.notNull())
        .addColumn('released', json, (c) => c.notNull())
        /** What later incremental runs need of the last read (a group's direct member DNs). */
        .addColumn('source_state', json)
        .addColumn('updated_at', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('source_objects_pk', ['source_id', 'object_type', 'external_key'])
        .addUniqueConstraint('source_objects_object_uq', ['tenant_id', 'object_type', 'object_id'])
        .execute();

      await db.schema
        .createTable('org_units')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('source_id', text)
        .addColumn('external_key', text)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', text)
        /** Names from the root down joined with `/` (a `/` in a name is escaped as `\/`). */
        .addColumn('path', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .addUniqueConstraint('org_units_path_uq', ['tenant_id', 'path'])
        .execute();

      await db.schema
        .createTable('user_org_units')
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('user_id', text, (c) => c.notNull())
        .addColumn('org_unit_id', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_org_units_pk', ['tenant_id', 'user_id', 'org_unit_id'])
        .execute();
      await db.schema
        .createIndex('user_org_units_unit_ix')
        .on('user_org_units')
        .columns(['tenant_id', 'org_unit_id'])
        .execute();

      await db.schema
        .createTable('source_runs')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('source_id', text, (c) => c.notNull().references('sources.id').onDelete('cascade'))
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('dry_run', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stats', json, (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error', 'text')
        .addColumn('watermark_before', 'text')
        .addColumn('watermark_after', 'text')
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('finished_at', text)
        .execute();
      await db.schema
        .createIndex('source_runs_source_ix')
        .on('source_runs')
        .columns(['source_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('source_run_items')
        .addColumn('run_id', text, (c) => c.notNull().references('source_runs.id').onDelete('cascade'))
        .addColumn('object_type', text, (c) => c.notNull())
        .addColumn('external_key', text, (c) => c.notNull())
        .addColumn('object_id', text)
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('message', 'text')
        .addPrimaryKeyConstraint('source_run_items_pk', ['run_id', 'object_type', 'external_key'])
        .execute();
    },
  };
}
