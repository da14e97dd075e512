import { timingSafeEqual } from 'node:crypto';
import type { AdminTokenTable } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import { AuthError } from './auth-error.ts';
import type { CredentialEvents } from './credential-events.ts';
import { issueSecret, parseSecret } from './secrets/issued-secret.ts';
import { hashSecret, sha256, verifyAgainstNothing, verifySecretHash } from './secrets/secret-hash.ts';

export const ADMIN_SCOPES = ['admin', 'admin:read'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

/** An administrator: `admin` may change anything it can see, `admin:read` only read; a tenant token sees one tenant. */
export interface AdminPrincipal {
  readonly kind: 'admin';
  readonly tokenId: string;
  readonly scope: AdminScope;
  readonly tenantId: string | null;
}

export interface AdminTokenInfo {
  readonly id: string;
  readonly label: string;
  readonly scope: AdminScope;
  readonly tenantId: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** The id under which the token from LOCKSTEP_ADMIN_TOKEN acts (in the audit log). */
export const ENVIRONMENT_ADMIN_ID = 'environment';
const STANDING_CACHE_MS = 1_000;
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Admin tokens (`lsa_…`): shown once, stored as scrypt hashes, scoped read-only or full, optionally to
 * one tenant. A token may also come from the environment (LOCKSTEP_ADMIN_TOKEN), for deployments that
 * keep their secrets in a vault; it is compared in constant time and never stored.
 */
export function createAdminTokenService(
  storage: Storage,
  options: { events: CredentialEvents; environmentToken?: string | undefined },
) {
  const db = storage.db;
  const environmentDigest =
    options.environmentToken === undefined ? undefined : Buffer.from(sha256(options.environmentToken));
  const standings = new Map<
    string,
    { row: (AdminTokenTable & { tenant_status: string | null }) | undefined; until: number }
  >();
  const verified = new Map<string, string>();
  const lastMarked = new Map<string, number>();
  options.events.onChange(() => {
    standings.clear();
    verified.clear();
  });

  async function rowOf(id: string) {
    const now = Date.now();
    const cached = standings.get(id);
    if (cached !== undefined && cached.until > now) return cached.row;
    const row = await db
      .selectFrom('admin_tokens as a')
      .leftJoin('tenants as t', 't.id', 'a.tenant_id')
      .selectAll('a')
      .select('t.status as tenant_status')
      .where('a.id', '=', id)
      .executeTakeFirst();
    if (standings.size > 1000) standings.clear();
    standings.set(id, { row, until: now + STANDING_CACHE_MS });
    return row;
  }

  return {
    async createAdminToken(settings: {
      label: string;
      scope: AdminScope;
      tenantId?: string | null;
    }): Promise<{ token: AdminTokenInfo; value: string }> {
      const label = settings.label.trim();
      if (label === '' || label.length > 200)
        throw new AuthError('invalid', 'A label must have 1–200 characters', { field: 'label' });
      const tenantId = settings.tenantId ?? null;
      if (
        tenantId !== null &&
        (await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst()) ===
          undefined
      )
        throw new AuthError('not_found', `Tenant "${tenantId}" not found`, { field: 'tenantId' });
      const { id, value } = issueSecret('lsa');
      const row: AdminTokenTable = {
        id,
        label,
        scope: settings.scope,
        tenant_id: tenantId,
        secret_hash: await hashSecret(value),
        created_at: new Date().toISOString(),
        last_used_at: null,
      };
      await storage.write((trx) => trx.insertInto('admin_tokens').values(row).execute());
      return { token: toInfo(row), value };
    },

    async listAdminTokens(tenantId?: string | null): Promise<AdminTokenInfo[]> {
      let query = db.selectFrom('admin_tokens').selectAll().orderBy('created_at').orderBy('id');
      if (tenantId !== undefined && tenantId !== null) query = query.where('tenant_id', '=', tenantId);
      return (await query.execute()).map(toInfo);
    },

    findAdminToken: async (id: string) => {
      const row = await db.selectFrom('admin_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toInfo(row);
    },

    async deleteAdminToken(id: string): Promise<void> {
      const result = await db.deleteFrom('admin_tokens').where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0)
        throw new AuthError('not_found', `Admin token "${id}" not found`);
      await options.events.credentialsChanged();
    },

    async countAdminTokens(): Promise<number> {
      const row = await db
        .selectFrom('admin_tokens')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    hasEnvironmentToken: () => environmentDigest !== undefined,

    /** The administrator behind a presented token, or undefined. Constant-time in the token's secret part. */
    async authenticate(value: string): Promise<AdminPrincipal | undefined> {
      const digest = sha256(value);
      if (environmentDigest !== undefined) {
        const presented = Buffer.from(digest);
        if (presented.length === environmentDigest.length && timingSafeEqual(presented, environmentDigest))
          return { kind: 'admin', tokenId: ENVIRONMENT_ADMIN_ID, scope: 'admin', tenantId: null };
      }
      const parsed = parseSecret('lsa', value);
      const row = parsed === undefined ? undefined : await rowOf(parsed.id);
      if (row === undefined) {
        // Only a well-formed token pays for the dummy hash: its shape is no secret, and garbage must stay cheap.
        if (parsed !== undefined) await verifyAgainstNothing(value);
        return undefined;
      }
      if (verified.get(digest) !== row.id) {
        if (!(await verifySecretHash(value, row.secret_hash))) return undefined;
        if (verified.size > 1000) verified.clear();
        verified.set(digest, row.id);
      }
      if (row.tenant_id !== null && row.tenant_status !== 'active') return undefined;
      const now = Date.now();
      if ((lastMarked.get(row.id) ?? 0) + LAST_USED_RESOLUTION_MS < now) {
        lastMarked.set(row.id, now);
        await db
          .updateTable('admin_tokens')
          .set({ last_used_at: new Date(now).toISOString() })
          .where('id', '=', row.id)
          .execute();
      }
      return { kind: 'admin', tokenId: row.id, scope: row.scope, tenantId: row.tenant_id };
    },
  };
}

export type AdminTokenService = ReturnType<typeof createAdminTokenService>;

function toInfo(row: AdminTokenTable): AdminTokenInfo {
  return {
    id: row.id,
    label: row.label,
    scope: row.scope,
    tenantId: row.tenant_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
