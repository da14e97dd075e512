import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { chunks } from './chunks.ts';
import { isStorableText } from './storable-text.ts';

/** The row operations users and groups share: both tables key rows by (tenant_id, id). */
export function createResourceRows(db: Kysely<DatabaseSchema>, table: 'users' | 'groups') {
  return {
    async delete(tenantId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom(table)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Which of `ids` are rows of the tenant in this table. */
    async existingIds(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (const part of chunks(ids.filter(isStorableText))) {
        const rows = await db
          .selectFrom(table)
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', part)
          .execute();
        for (const row of rows) found.add(row.id);
      }
      return found;
    },
  };
}
