import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './migration-context.ts';

/**
 * OAuth apps and their secrets, admin tokens, token-signing keys and the audit log (issue 3).
 * The bootstrap bearer tokens of 0001 become apps: each token turns into an app of its tenant whose
 * one secret is that token's hash, marked `legacy-sha256` and usable only as a static bearer token, so
 * no client that holds one loses access (decision 0008).
 */
export function createAuthMigration(context: MigrationContext) {
  const text = context.dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const json = context.dialect === 'postgres' ? sql`jsonb` : sql`text`;
  const serial = context.dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('tenants').addColumn('updated_at', text).execute();
      await sql`update tenants set updated_at = created_at`.execute(db);

      await db.schema
        .createTable('apps')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('token_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('secret_as_bearer', 'integer', (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('apps_tenant_ix').on('apps').columns(['tenant_id', 'created_at']).execute();

      await db.schema
        .createTable('app_secrets')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('app_id', text, (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('tenant_id', text, (c) => c.notNull())
        .addColumn('secret_hash', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('last_used_at', text)
        .execute();
      await db.schema.createIndex('app_secrets_app_ix').on('app_secrets').columns(['app_id']).execute();
      // Only legacy (SHA-256) secrets are looked up by hash; scrypt hashes are salted and found by id.
      await db.schema.createIndex('app_secrets_hash_ix').on('app_secrets').columns(['secret_hash']).execute();

      await db.schema
        .createTable('admin_tokens')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('tenant_id', text, (c) => c.references('tenants.id').onDelete('cascade'))
        .addColumn('secret_hash', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('last_used_at', text)
        .execute();

      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', text, (c) => c.primaryKey())
        .addColumn('alg', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('retired_at', text)
        .execute();

      // Audit events outlive their tenant (no foreign key): who deleted a tenant must stay answerable.
      await db.schema
        .createTable('audit_events')
        .addColumn('seq', serial, (c) =>
          context.dialect === 'postgres'
            ? c.primaryKey().generatedAlwaysAsIdentity()
            : c.primaryKey().autoIncrement(),
        )
        .addColumn('at', text, (c) => c.notNull())
        .addColumn('tenant_id', text)
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', text)
        .addColumn('action', text, (c) => c.notNull())
        .addColumn('object_type', text)
        .addColumn('object_id', text)
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('request_id', 'text')
        .addColumn('source_ip', 'text')
        .addColumn('detail', json)
        .execute();
      for (const [name, columns] of [
        ['audit_events_at_ix', ['at']],
        ['audit_events_tenant_ix', ['tenant_id', 'at']],
        ['audit_events_actor_ix', ['actor_id', 'at']],
        ['audit_events_object_ix', ['object_id', 'at']],
      ] as const) {
        await db.schema
          .createIndex(name)
          .on('audit_events')
          .columns([...columns])
          .execute();
      }

      await convertBootstrapTokens(db);
      await db.schema.dropTable('tenant_tokens').execute();
    },
  };
}

/** Each bootstrap bearer token becomes an app with one legacy secret (the token's SHA-256, base64url). */
async function convertBootstrapTokens(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{
    id: string;
    tenant_id: string;
    token_hash: string;
    label: string;
    created_at: string;
    last_used_at: string | null;
  }>`select id, tenant_id, token_hash, label, created_at, last_used_at from tenant_tokens`.execute(db);
  for (const token of rows) {
    const appId = `lsc_${token.id.replaceAll('-', '').slice(0, 20)}`;
    await sql`insert into apps (id, tenant_id, name, scopes, token_ttl_seconds, status, secret_as_bearer, created_at, updated_at)
      values (${appId}, ${token.tenant_id}, ${`Bearer token "${token.label}"`}, ${'["scim"]'}, ${3600}, ${'enabled'}, ${1}, ${token.created_at}, ${token.created_at})`.execute(
      db,
    );
    await sql`insert into app_secrets (id, app_id, tenant_id, secret_hash, created_at, last_used_at)
      values (${token.id.replaceAll('-', '').slice(0, 16)}, ${appId}, ${token.tenant_id}, ${`legacy-sha256$${token.token_hash}`}, ${token.created_at}, ${token.last_used_at})`.execute(
      db,
    );
  }
}
