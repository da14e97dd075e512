import type { Storage } from '../storage/open-storage.ts';
import { AuthError } from './auth-error.ts';
import type { CredentialEvents } from './credential-events.ts';
import { createTenantRepository, type TenantRecord } from './tenant-repository.ts';

export type { TenantRecord };

/** Tenant ids appear in URLs: lower-case letters, digits and dashes. */
export const TENANT_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * Something that belongs to a tenant and must be removed before the tenant may be (provisionings,
 * sources). Each module that owns such objects registers one; a tenant delete lists them all.
 */
export interface TenantReferenceSource {
  readonly kind: string;
  list(tenantId: string): Promise<readonly { id: string; name: string }[]>;
}

export function createTenantService(
  storage: Storage,
  options: { events: CredentialEvents; references?: readonly TenantReferenceSource[] },
) {
  const tenants = createTenantRepository(storage.db);
  const references = options.references ?? [];

  async function requireTenant(id: string): Promise<TenantRecord> {
    const tenant = await tenants.findById(id);
    if (tenant === undefined) throw new AuthError('not_found', `Tenant "${id}" not found`);
    return tenant;
  }

  return {
    async createTenant(id: string, displayName = id): Promise<TenantRecord> {
      if (!TENANT_ID_PATTERN.test(id)) {
        throw new AuthError(
          'invalid',
          `Invalid tenant id "${id}": use 1–64 lower-case letters, digits and dashes`,
          {
            field: 'id',
          },
        );
      }
      if ((await tenants.findById(id)) !== undefined)
        throw new AuthError('exists', `Tenant "${id}" already exists`);
      const now = new Date().toISOString();
      const tenant: TenantRecord = {
        id,
        display_name: displayName,
        status: 'active',
        created_at: now,
        updated_at: now,
      };
      await tenants.insert(tenant);
      return tenant;
    },

    listTenants: () => tenants.list(),
    findTenant: (id: string) => tenants.findById(id),
    getTenant: requireTenant,
    countTenants: () => tenants.count(),

    /** Renames and / or enables or disables; a disabled tenant's apps and tokens stop working at once. */
    async updateTenant(
      id: string,
      changes: { displayName?: string; status?: 'active' | 'disabled' },
    ): Promise<TenantRecord> {
      await requireTenant(id);
      const updated = await tenants.update(id, {
        ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        updated_at: new Date().toISOString(),
      });
      if (updated === undefined) throw new AuthError('not_found', `Tenant "${id}" not found`);
      if (changes.status !== undefined) await options.events.credentialsChanged();
      return updated;
    },

    /**
     * Deletes the tenant with its directory, apps and admin tokens. Refuses while provisionings or
     * sources still reference it, naming each, so nothing downstream is orphaned silently.
     */
    async deleteTenant(id: string): Promise<void> {
      await requireTenant(id);
      const blocking: { kind: string; id: string; name: string }[] = [];
      for (const source of references) {
        for (const reference of await source.list(id)) blocking.push({ kind: source.kind, ...reference });
      }
      if (blocking.length > 0) {
        const named = blocking.map((reference) => `${reference.kind} "${reference.name}" (${reference.id})`);
        throw new AuthError(
          'conflict',
          `Tenant "${id}" is still referenced by ${named.join(', ')}; remove those first`,
          {
            references: blocking,
          },
        );
      }
      await storage.write(async (trx) => {
        await createTenantRepository(trx).delete(id);
      });
      await options.events.credentialsChanged();
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
