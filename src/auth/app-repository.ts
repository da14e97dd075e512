import type { Kysely } from 'kysely';
import type { AppSecretTable, AppTable, DatabaseSchema } from '../storage/database-schema.ts';

export type AppRecord = AppTable;
export type AppSecretRecord = AppSecretTable;

/** What a credential check needs about a secret, its app and its tenant, in one indexed lookup. */
export interface SecretStanding {
  readonly secretId: string;
  readonly secretHash: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly appStatus: string;
  readonly tenantStatus: string;
  readonly scopes: string;
  readonly secretAsBearer: number;
  readonly tokenTtlSeconds: number;
}

export function createAppRepository(db: Kysely<DatabaseSchema>) {
  const standing = () =>
    db
      .selectFrom('app_secrets as s')
      .innerJoin('apps as a', 'a.id', 's.app_id')
      .innerJoin('tenants as t', 't.id', 'a.tenant_id')
      .select([
        's.id as secretId',
        's.secret_hash as secretHash',
        'a.id as appId',
        'a.tenant_id as tenantId',
        'a.status as appStatus',
        't.status as tenantStatus',
        'a.scopes as scopes',
        'a.secret_as_bearer as secretAsBearer',
        'a.token_ttl_seconds as tokenTtlSeconds',
      ]);
  return {
    async insertApp(app: AppRecord): Promise<void> {
      await db.insertInto('apps').values(app).execute();
    },
    async insertSecret(secret: AppSecretRecord): Promise<void> {
      await db.insertInto('app_secrets').values(secret).execute();
    },
    findApp: (tenantId: string, id: string) =>
      db
        .selectFrom('apps')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst(),
    listApps: (tenantId: string) =>
      db
        .selectFrom('apps')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    listSecrets: (appIds: readonly string[]) =>
      appIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('app_secrets')
            .select(['id', 'app_id', 'created_at', 'last_used_at'])
            .where('app_id', 'in', appIds)
            .orderBy('created_at')
            .orderBy('id')
            .execute(),
    async updateApp(
      tenantId: string,
      id: string,
      changes: Partial<Omit<AppRecord, 'id' | 'tenant_id' | 'created_at'>>,
    ): Promise<void> {
      await db
        .updateTable('apps')
        .set(changes)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    async deleteApp(tenantId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('apps')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async deleteSecret(tenantId: string, appId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('app_secrets')
        .where('tenant_id', '=', tenantId)
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    standingById: (secretId: string): Promise<SecretStanding | undefined> =>
      standing().where('s.id', '=', secretId).executeTakeFirst(),
    standingByHash: (secretHash: string): Promise<SecretStanding | undefined> =>
      standing().where('s.secret_hash', '=', secretHash).executeTakeFirst(),
    async markSecretUsed(id: string, at: string): Promise<void> {
      await db.updateTable('app_secrets').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
