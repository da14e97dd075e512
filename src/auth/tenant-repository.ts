import type { Kysely } from 'kysely';
import type { DatabaseSchema, TenantTable } from '../storage/database-schema.ts';

export type TenantRecord = TenantTable;

export function createTenantRepository(db: Kysely<DatabaseSchema>) {
  return {
    async insert(tenant: TenantRecord): Promise<void> {
      await db.insertInto('tenants').values(tenant).execute();
    },
    findById: (id: string) => db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst(),
    list: () => db.selectFrom('tenants').selectAll().orderBy('id').execute(),
    async count(): Promise<number> {
      const row = await db
        .selectFrom('tenants')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async update(
      id: string,
      changes: Partial<Pick<TenantRecord, 'display_name' | 'status'>> & { updated_at: string },
    ): Promise<TenantRecord | undefined> {
      await db.updateTable('tenants').set(changes).where('id', '=', id).execute();
      return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async delete(id: string): Promise<boolean> {
      const result = await db.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
