import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * Tenants, their bootstrap bearer tokens, users, groups and memberships.
 * Text columns that are compared or ordered are `COLLATE "C"` in PostgreSQL: code point order, the
 * order the SCIM filter evaluator uses.
 */
export function createDirectoryMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const json = context.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('tenants')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tenant_tokens')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('token_hash', text, (c) => c.notNull().unique())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('last_used_at', text)
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('seq', context.dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          context.dialect === 'postgres'
            ? c.primaryKey().generatedAlwaysAsIdentity()
            : c.primaryKey().autoIncrement(),
        )
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('id', text, (c) => c.notNull())
        .addColumn('user_name', text, (c) => c.notNull())
        .addColumn('user_name_ci', text, (c) => c.notNull())
        .addColumn('external_id', text)
        .addColumn('display_name_ci', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('last_modified', text, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('doc', json, (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addUniqueConstraint('users_tenant_id_uq', ['tenant_id', 'id'])
        .addUniqueConstraint('users_tenant_user_name_uq', ['tenant_id', 'user_name_ci'])
        .execute();
      await createIndex(db, 'users_tenant_external_id_ix', 'users', ['tenant_id', 'external_id']);
      await createIndex(db, 'users_tenant_display_name_ix', 'users', ['tenant_id', 'display_name_ci']);
      await createIndex(db, 'users_tenant_last_modified_ix', 'users', ['tenant_id', 'last_modified']);

      await db.schema
        .createTable('user_emails')
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('user_id', text, (c) => c.notNull())
        .addColumn('value_ci', text, (c) => c.notNull())
        .addForeignKeyConstraint(
          'user_emails_user_fk',
          ['tenant_id', 'user_id'],
          'users',
          ['tenant_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await createIndex(db, 'user_emails_value_ix', 'user_emails', ['tenant_id', 'value_ci', 'user_id']);
      await createIndex(db, 'user_emails_user_ix', 'user_emails', ['tenant_id', 'user_id']);

      await db.schema
        .createTable('groups')
        .addColumn('seq', context.dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          context.dialect === 'postgres'
            ? c.primaryKey().generatedAlwaysAsIdentity()
            : c.primaryKey().autoIncrement(),
        )
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('id', text, (c) => c.notNull())
        .addColumn('display_name', text, (c) => c.notNull())
        .addColumn('display_name_ci', text, (c) => c.notNull())
        .addColumn('external_id', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('last_modified', text, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('doc', json, (c) => c.notNull())
        .addUniqueConstraint('groups_tenant_id_uq', ['tenant_id', 'id'])
        .addUniqueConstraint('groups_tenant_display_name_uq', ['tenant_id', 'display_name_ci'])
        .execute();
      await createIndex(db, 'groups_tenant_external_id_ix', 'groups', ['tenant_id', 'external_id']);
      await createIndex(db, 'groups_tenant_last_modified_ix', 'groups', ['tenant_id', 'last_modified']);

      // Members are rows, so adding or removing one member of a 100,000-member group touches one row.
      // A member is a user or a group of the same tenant; the reverse index serves User.groups.
      await db.schema
        .createTable('group_members')
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('group_id', text, (c) => c.notNull())
        .addColumn('member_id', text, (c) => c.notNull())
        .addColumn('member_type', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('group_members_pk', ['tenant_id', 'group_id', 'member_id'])
        .addForeignKeyConstraint(
          'group_members_group_fk',
          ['tenant_id', 'group_id'],
          'groups',
          ['tenant_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      // Covering (group_id included), so "which groups contain X" never touches the table.
      await createIndex(db, 'group_members_member_ix', 'group_members', [
        'tenant_id',
        'member_id',
        'group_id',
      ]);
    },
  };
}

async function createIndex(
  db: Kysely<unknown>,
  name: string,
  table: string,
  columns: string[],
): Promise<void> {
  await db.schema.createIndex(name).on(table).columns(columns).execute();
}
