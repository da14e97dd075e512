import { openStorage, type Storage } from '../../src/storage/open-storage.ts';

/** A fresh in-memory SQLite directory for source tests that need one dialect only (the LDAP ones). */
export function openSqliteForTest(): Promise<Storage> {
  return openStorage({ kind: 'sqlite', path: ':memory:' });
}

/** A bare `sources` row, for tests below the source service (the links need it). */
export async function insertTestSource(storage: Storage, id: string, tenantId = 'acme'): Promise<void> {
  const now = new Date().toISOString();
  await storage.db
    .insertInto('sources')
    .values({
      id,
      tenant_id: tenantId,
      name: id,
      kind: 'csv',
      config_sealed: 'x',
      schedule: null,
      protection: '{}',
      status: 'enabled',
      watermark: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
