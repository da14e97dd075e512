import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Storage } from '../storage/open-storage.ts';
import { createTenantRepository, type TenantRecord } from './tenant-repository.ts';
import { createTenantTokenRepository } from './tenant-token-repository.ts';

/** Tenant ids appear in URLs: lower-case letters, digits and dashes. */
export const TENANT_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const TOKEN_PREFIX = 'lst_';
/** Tokens carry 256 random bits, so a fast hash is enough to store them (no dictionary to attack). */
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * How long a verified token is trusted without asking the database again. A revoke in this process
 * clears it at once; a revoke by another process (the CLI) takes effect within this time.
 */
const VERIFIED_CACHE_MS = 2_000;
const VERIFIED_CACHE_SIZE = 10_000;

export class TenantError extends Error {
  readonly code: 'invalid_id' | 'exists' | 'not_found';
  constructor(code: TenantError['code'], message: string) {
    super(message);
    this.name = 'TenantError';
    this.code = code;
  }
}

export interface AuthenticatedToken {
  readonly tokenId: string;
  readonly tenantId: string;
}

/**
 * Tenants and their bootstrap bearer tokens (issue 2's interim authentication; the OAuth apps of
 * issue 3 replace them). A token's value is returned once, at creation, and stored only as a hash.
 */
export function createTenantService(storage: Storage) {
  const tenants = createTenantRepository(storage.db);
  const tokens = createTenantTokenRepository(storage.db);
  const lastMarked = new Map<string, number>();
  /** Recently verified tokens by hash: a request does not pay a database lookup for a token seen < 2 s ago. */
  const verified = new Map<string, { token: AuthenticatedToken; until: number }>();

  return {
    async createTenant(id: string, displayName = id): Promise<TenantRecord> {
      if (!TENANT_ID_PATTERN.test(id)) {
        throw new TenantError(
          'invalid_id',
          `Invalid tenant id "${id}": use 1–64 lower-case letters, digits and dashes`,
        );
      }
      if ((await tenants.findById(id)) !== undefined)
        throw new TenantError('exists', `Tenant "${id}" already exists`);
      const tenant: TenantRecord = {
        id,
        display_name: displayName,
        status: 'active',
        created_at: new Date().toISOString(),
      };
      await tenants.insert(tenant);
      return tenant;
    },

    listTenants: () => tenants.list(),
    findTenant: (id: string) => tenants.findById(id),
    countTenants: () => tenants.count(),

    /** Creates a bearer token; the returned `token` is the only time its value exists outside the caller. */
    async createToken(tenantId: string, label = 'default'): Promise<{ id: string; token: string }> {
      if ((await tenants.findById(tenantId)) === undefined)
        throw new TenantError('not_found', `Tenant "${tenantId}" not found`);
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const id = randomUUID();
      await tokens.insert({
        id,
        tenant_id: tenantId,
        token_hash: hashToken(token),
        label,
        created_at: new Date().toISOString(),
        last_used_at: null,
      });
      return { id, token };
    },

    listTokens: (tenantId: string) => tokens.listForTenant(tenantId),
    async revokeToken(tenantId: string, id: string): Promise<boolean> {
      const revoked = await tokens.delete(tenantId, id);
      verified.clear();
      return revoked;
    },

    /**
     * The token's tenant when `token` is a live token of an active tenant. Lookup is by hash, so no
     * comparison of secret values happens in application code.
     */
    async authenticate(token: string): Promise<AuthenticatedToken | undefined> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
      const hash = hashToken(token);
      const now = Date.now();
      const remembered = verified.get(hash);
      if (remembered !== undefined && remembered.until > now) return remembered.token;
      const found = await tokens.findByHash(hash);
      if (found === undefined || found.tenant_status !== 'active') {
        verified.delete(hash);
        return undefined;
      }
      const authenticated = { tokenId: found.id, tenantId: found.tenant_id };
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
      verified.set(hash, { token: authenticated, until: now + VERIFIED_CACHE_MS });
      if ((lastMarked.get(found.id) ?? 0) + LAST_USED_RESOLUTION_MS < now) {
        lastMarked.set(found.id, now);
        await tokens.markUsed(found.id, new Date(now).toISOString());
      }
      return authenticated;
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
