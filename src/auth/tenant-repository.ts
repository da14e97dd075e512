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
  };
}
