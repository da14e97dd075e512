import type { Kysely } from 'kysely';
import type { DatabaseSchema, TenantTokenTable } from '../storage/database-schema.ts';

export type TenantTokenRecord = TenantTokenTable;

export function createTenantTokenRepository(db: Kysely<DatabaseSchema>) {
  return {
    async insert(token: TenantTokenRecord): Promise<void> {
      await db.insertInto('tenant_tokens').values(token).execute();
    },
    findByHash: (hash: string) =>
      db
        .selectFrom('tenant_tokens as t')
        .innerJoin('tenants', 'tenants.id', 't.tenant_id')
        .select(['t.id', 't.tenant_id', 'tenants.status as tenant_status'])
        .where('t.token_hash', '=', hash)
        .executeTakeFirst(),
    listForTenant: (tenantId: string) =>
      db
        .selectFrom('tenant_tokens')
        .select(['id', 'tenant_id', 'label', 'created_at', 'last_used_at'])
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute(),
    async delete(tenantId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('tenant_tokens')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async markUsed(id: string, at: string): Promise<void> {
      await db.updateTable('tenant_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
