import { sql } from 'kysely';
import type { Storage } from '../../src/storage/open-storage.ts';

/**
 * Every table of the store but the audit log, each in a total order, with `last_used_at` left out: it
 * is a credential's bookkeeping (written at most once a minute on a successful authentication), not
 * state. The audit log is left out because recording a refused request is its job. Two equal
 * snapshots mean the request changed nothing.
 */
const TABLES: readonly { readonly name: string; readonly orderBy: string; readonly omit?: string }[] = [
  { name: 'tenants', orderBy: 'id' },
  { name: 'apps', orderBy: 'id' },
  { name: 'app_secrets', orderBy: 'id', omit: 'last_used_at' },
  { name: 'admin_tokens', orderBy: 'id', omit: 'last_used_at' },
  { name: 'signing_keys', orderBy: 'kid' },
  { name: 'users', orderBy: 'seq' },
  { name: 'user_emails', orderBy: 'tenant_id, user_id, value_ci' },
  { name: 'groups', orderBy: 'seq' },
  { name: 'group_members', orderBy: 'tenant_id, group_id, member_id' },
];

export async function snapshotStore(storage: Storage): Promise<string> {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table.name)} order by ${sql.raw(table.orderBy)}`.execute(storage.db);
    tables[table.name] = rows.map((row) => {
      const copy = { ...row };
      if (table.omit !== undefined) delete copy[table.omit];
      return copy;
    });
  }
  return JSON.stringify(tables);
}
