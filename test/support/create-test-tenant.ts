import { createTenantRepository } from '../../src/auth/tenant-repository.ts';
import type { Storage } from '../../src/storage/open-storage.ts';

/** A tenant row for tests that work below the HTTP layer (repositories, SQL plans). */
export async function createTestTenant(storage: Storage, id: string): Promise<void> {
  const now = new Date().toISOString();
  await createTenantRepository(storage.db).insert({
    id,
    display_name: id,
    status: 'active',
    created_at: now,
    updated_at: now,
  });
}
