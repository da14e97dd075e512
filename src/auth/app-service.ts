import { randomBytes } from 'node:crypto';
import type { Storage } from '../storage/open-storage.ts';
import { type AppRecord, createAppRepository } from './app-repository.ts';
import { AuthError } from './auth-error.ts';
import type { CredentialEvents } from './credential-events.ts';
import { canonicalScope, type ScimScope } from './scopes.ts';
import { issueSecret } from './secrets/issued-secret.ts';
import { hashSecret } from './secrets/secret-hash.ts';
import { createTenantRepository } from './tenant-repository.ts';

/** Access-token validity an app may choose, in seconds (issue 3). */
export const TOKEN_TTL = { default: 3600, min: 900, max: 10_800 } as const;
/** Live secrets per app: two, so a secret can be rotated without downtime. */
export const MAX_SECRETS_PER_APP = 2;

export interface SecretInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface AppView {
  readonly id: string;
  readonly clientId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly scopes: readonly ScimScope[];
  readonly tokenTtlSeconds: number;
  readonly status: 'enabled' | 'disabled';
  readonly secretAsBearer: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly secrets: readonly SecretInfo[];
}

/** A secret's value, returned exactly once: when it is created. */
export interface NewSecret {
  readonly id: string;
  readonly value: string;
  readonly createdAt: string;
}

export interface AppSettings {
  readonly name?: string;
  readonly scopes?: readonly string[];
  readonly tokenTtlSeconds?: number;
  readonly secretAsBearer?: boolean;
  readonly status?: 'enabled' | 'disabled';
}

/** OAuth 2.0 client-credentials apps of a tenant and their secrets (shown once, stored as scrypt hashes). */
export function createAppService(storage: Storage, options: { events: CredentialEvents }) {
  const apps = createAppRepository(storage.db);

  async function requireApp(tenantId: string, appId: string): Promise<AppRecord> {
    const app = await apps.findApp(tenantId, appId);
    if (app === undefined)
      throw new AuthError('not_found', `App "${appId}" not found in tenant "${tenantId}"`);
    return app;
  }

  async function view(app: AppRecord): Promise<AppView> {
    return toView(app, await apps.listSecrets([app.id]));
  }

  async function newSecret(
    tenantId: string,
    appId: string,
  ): Promise<{ record: Parameters<typeof apps.insertSecret>[0]; secret: NewSecret }> {
    const { id, value } = issueSecret('lss');
    const createdAt = new Date().toISOString();
    return {
      record: {
        id,
        app_id: appId,
        tenant_id: tenantId,
        secret_hash: await hashSecret(value),
        created_at: createdAt,
        last_used_at: null,
      },
      secret: { id, value, createdAt },
    };
  }

  return {
    async createApp(
      tenantId: string,
      settings: AppSettings & { name: string },
    ): Promise<{ app: AppView; secret: NewSecret }> {
      if ((await createTenantRepository(storage.db).findById(tenantId)) === undefined)
        throw new AuthError('not_found', `Tenant "${tenantId}" not found`);
      const now = new Date().toISOString();
      const record: AppRecord = {
        id: `lsc_${randomBytes(10).toString('hex')}`,
        tenant_id: tenantId,
        name: checkName(settings.name),
        scopes: JSON.stringify(checkScopes(settings.scopes ?? ['scim'])),
        token_ttl_seconds: checkTtl(settings.tokenTtlSeconds ?? TOKEN_TTL.default),
        status: settings.status ?? 'enabled',
        secret_as_bearer: settings.secretAsBearer === true ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      const { record: secretRecord, secret } = await newSecret(tenantId, record.id);
      await storage.write(async (trx) => {
        const repository = createAppRepository(trx);
        await repository.insertApp(record);
        await repository.insertSecret(secretRecord);
      });
      return { app: await view(record), secret };
    },

    async listApps(tenantId: string): Promise<AppView[]> {
      if ((await createTenantRepository(storage.db).findById(tenantId)) === undefined)
        throw new AuthError('not_found', `Tenant "${tenantId}" not found`);
      const records = await apps.listApps(tenantId);
      const secrets = await apps.listSecrets(records.map((app) => app.id));
      return records.map((app) => toView(app, secrets));
    },

    getApp: async (tenantId: string, appId: string) => view(await requireApp(tenantId, appId)),

    async updateApp(tenantId: string, appId: string, settings: AppSettings): Promise<AppView> {
      await requireApp(tenantId, appId);
      await apps.updateApp(tenantId, appId, {
        ...(settings.name !== undefined ? { name: checkName(settings.name) } : {}),
        ...(settings.scopes !== undefined ? { scopes: JSON.stringify(checkScopes(settings.scopes)) } : {}),
        ...(settings.tokenTtlSeconds !== undefined
          ? { token_ttl_seconds: checkTtl(settings.tokenTtlSeconds) }
          : {}),
        ...(settings.status !== undefined ? { status: settings.status } : {}),
        ...(settings.secretAsBearer !== undefined
          ? { secret_as_bearer: settings.secretAsBearer ? 1 : 0 }
          : {}),
        updated_at: new Date().toISOString(),
      });
      await options.events.credentialsChanged();
      return view(await requireApp(tenantId, appId));
    },

    async deleteApp(tenantId: string, appId: string): Promise<void> {
      if (!(await apps.deleteApp(tenantId, appId)))
        throw new AuthError('not_found', `App "${appId}" not found in tenant "${tenantId}"`);
      await options.events.credentialsChanged();
    },

    /** A further secret for rotation; refused when the app already has two. */
    async createSecret(tenantId: string, appId: string): Promise<NewSecret> {
      await requireApp(tenantId, appId);
      const { record, secret } = await newSecret(tenantId, appId);
      await storage.write(async (trx) => {
        const live = await createAppRepository(trx).listSecrets([appId]);
        if (live.length >= MAX_SECRETS_PER_APP)
          throw new AuthError(
            'limit',
            `App "${appId}" already has ${MAX_SECRETS_PER_APP} secrets; delete the old one before creating another`,
          );
        await createAppRepository(trx).insertSecret(record);
      });
      return secret;
    },

    listSecrets: async (tenantId: string, appId: string) =>
      (await view(await requireApp(tenantId, appId))).secrets,

    /** Deletes a secret; it and every access token issued with it stop working at once. */
    async deleteSecret(tenantId: string, appId: string, secretId: string): Promise<void> {
      if (!(await apps.deleteSecret(tenantId, appId, secretId)))
        throw new AuthError('not_found', `Secret "${secretId}" not found in app "${appId}"`);
      await options.events.credentialsChanged();
    },
  };
}

export type AppService = ReturnType<typeof createAppService>;

function toView(
  app: AppRecord,
  secrets: readonly { id: string; app_id: string; created_at: string; last_used_at: string | null }[],
): AppView {
  return {
    id: app.id,
    clientId: app.id,
    tenantId: app.tenant_id,
    name: app.name,
    scopes: JSON.parse(app.scopes) as ScimScope[],
    tokenTtlSeconds: app.token_ttl_seconds,
    status: app.status,
    secretAsBearer: app.secret_as_bearer === 1,
    createdAt: app.created_at,
    updatedAt: app.updated_at,
    secrets: secrets
      .filter((secret) => secret.app_id === app.id)
      .map((secret) => ({ id: secret.id, createdAt: secret.created_at, lastUsedAt: secret.last_used_at })),
  };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200)
    throw new AuthError('invalid', 'An app name must have 1–200 characters', { field: 'name' });
  return trimmed;
}

function checkScopes(scopes: readonly string[]): ScimScope[] {
  const canonical: ScimScope[] = [];
  for (const name of scopes) {
    const scope = canonicalScope(name);
    if (scope === undefined)
      throw new AuthError('invalid', `Unknown scope "${name}": use scim, scim:read or /acs/scim`, {
        field: 'scopes',
      });
    if (!canonical.includes(scope)) canonical.push(scope);
  }
  if (canonical.length === 0)
    throw new AuthError('invalid', 'An app needs at least one scope', { field: 'scopes' });
  return canonical;
}

function checkTtl(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < TOKEN_TTL.min || seconds > TOKEN_TTL.max)
    throw new AuthError(
      'invalid',
      `Access-token validity must be a whole number of seconds from ${TOKEN_TTL.min} to ${TOKEN_TTL.max}`,
      { field: 'tokenTtlSeconds' },
    );
  return seconds;
}
