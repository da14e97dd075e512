import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../auth/secrets/secret-box.ts';
import type { TargetTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { findTargetProfile, TARGET_PROFILE_NAMES } from '../../targets/profiles/target-profiles.ts';
import {
  type ScimConnection,
  type ScimConnectionInput,
  ScimConnectionSchema,
} from '../../targets/scim-client/scim-connection.ts';
import { type ConnectivityReport, testConnectivity } from '../../targets/test-connectivity.ts';
import { ProvisioningError } from '../provisioning-error.ts';

export interface TargetSettings {
  /** Requests in flight to this target at once. */
  readonly concurrency: number;
}

export const DEFAULT_TARGET_SETTINGS: TargetSettings = { concurrency: 8 };

/** A target as the API shows it: the connection without its secret. */
export interface TargetView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly profile: string;
  readonly baseUrl: string;
  readonly authentication:
    | { readonly kind: 'bearer'; readonly tokenSet: true }
    | {
        readonly kind: 'oauth_client_credentials';
        readonly tokenUrl: string;
        readonly clientId: string;
        readonly clientAuthentication: string | null;
        readonly parametersIn: string | null;
        readonly scope: string | null;
        readonly secretSet: true;
      };
  readonly timeoutMs: number;
  readonly settings: TargetSettings;
  readonly status: 'active' | 'quarantined';
  readonly statusReason: string | null;
  readonly statusSince: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface TargetInput {
  readonly name: string;
  readonly profile: string;
  readonly connection: ScimConnectionInput;
  readonly settings?: Partial<TargetSettings>;
}

/**
 * Targets of a tenant: where Lockstep writes, how it authenticates (sealed at rest with the service's
 * secret key, never shown again), and the profile that says what the target can do.
 */
export function createTargetService(storage: Storage, box: SecretBox) {
  const db = storage.db;

  async function requireRow(tenantId: string, id: string): Promise<TargetTable> {
    const row = await db
      .selectFrom('targets')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined)
      throw new ProvisioningError('not_found', `Target "${id}" not found in tenant "${tenantId}"`);
    return row;
  }

  const connectionOf = (row: TargetTable): ScimConnection =>
    ScimConnectionSchema.parse(JSON.parse(box.open(row.auth_sealed)));

  function view(row: TargetTable): TargetView {
    const connection = connectionOf(row);
    const auth = connection.authentication;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      name: row.name,
      profile: row.profile,
      baseUrl: row.base_url,
      authentication:
        auth.kind === 'bearer'
          ? { kind: 'bearer', tokenSet: true }
          : {
              kind: 'oauth_client_credentials',
              tokenUrl: auth.tokenUrl,
              clientId: auth.clientId,
              clientAuthentication: auth.clientAuthentication ?? null,
              parametersIn: auth.parametersIn ?? null,
              scope: auth.scope ?? null,
              secretSet: true,
            },
      timeoutMs: connection.timeoutMs,
      settings: { ...DEFAULT_TARGET_SETTINGS, ...(parseJson(row.settings) as Partial<TargetSettings>) },
      status: row.status,
      statusReason: row.status_reason,
      statusSince: row.status_since,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  function checkProfile(name: string): void {
    if (findTargetProfile(name) === undefined)
      throw new ProvisioningError(
        'invalid',
        `Unknown profile "${name}": use ${TARGET_PROFILE_NAMES.join(', ')}`,
        { field: 'profile' },
      );
  }

  function sealConnection(input: ScimConnectionInput): { sealed: string; baseUrl: string } {
    const parsed = ScimConnectionSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProvisioningError(
        'invalid',
        `Invalid connection: ${issue?.path.join('.') || 'connection'}: ${issue?.message ?? 'invalid'}`,
        {
          field: `connection.${issue?.path.join('.') ?? ''}`,
        },
      );
    }
    return {
      sealed: box.seal(JSON.stringify(parsed.data)),
      baseUrl: parsed.data.baseUrl.replace(/\/+$/, ''),
    };
  }

  return {
    async createTarget(tenantId: string, input: TargetInput): Promise<TargetView> {
      checkProfile(input.profile);
      if (
        (await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst()) ===
        undefined
      )
        throw new ProvisioningError('not_found', `Tenant "${tenantId}" not found`);
      const { sealed, baseUrl } = sealConnection(input.connection);
      const now = new Date().toISOString();
      const row: TargetTable = {
        id: `tgt_${randomBytes(8).toString('hex')}`,
        tenant_id: tenantId,
        name: input.name,
        profile: input.profile,
        base_url: baseUrl,
        auth_sealed: sealed,
        settings: JSON.stringify({ ...DEFAULT_TARGET_SETTINGS, ...input.settings }),
        status: 'active',
        status_reason: null,
        status_since: null,
        created_at: now,
        updated_at: now,
      };
      await storage.write((trx) => trx.insertInto('targets').values(row).execute());
      return view(row);
    },

    async listTargets(tenantId: string): Promise<TargetView[]> {
      const rows = await db
        .selectFrom('targets')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map(view);
    },

    getTarget: async (tenantId: string, id: string) => view(await requireRow(tenantId, id)),

    /** Changes name, profile, settings or the connection; a connection without a new secret keeps the old one. */
    async updateTarget(
      tenantId: string,
      id: string,
      changes: {
        name?: string;
        profile?: string;
        connection?: ScimConnectionInput;
        settings?: Partial<TargetSettings>;
      },
    ): Promise<TargetView> {
      const row = await requireRow(tenantId, id);
      if (changes.profile !== undefined) checkProfile(changes.profile);
      let sealed: { sealed: string; baseUrl: string } | undefined;
      if (changes.connection !== undefined)
        sealed = sealConnection(keepSecrets(changes.connection, connectionOf(row)));
      const next: TargetTable = {
        ...row,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.profile !== undefined ? { profile: changes.profile } : {}),
        ...(sealed !== undefined ? { auth_sealed: sealed.sealed, base_url: sealed.baseUrl } : {}),
        ...(changes.settings !== undefined
          ? { settings: JSON.stringify({ ...(parseJson(row.settings) as object), ...changes.settings }) }
          : {}),
        updated_at: new Date().toISOString(),
      };
      await storage.write((trx) => trx.updateTable('targets').set(next).where('id', '=', id).execute());
      return view(next);
    },

    async deleteTarget(tenantId: string, id: string): Promise<void> {
      await requireRow(tenantId, id);
      const used = await db
        .selectFrom('provisionings')
        .select(['id', 'name'])
        .where('target_id', '=', id)
        .execute();
      if (used.length > 0)
        throw new ProvisioningError(
          'conflict',
          `Target "${id}" is used by provisioning ${used.map((p) => `"${p.name}" (${p.id})`).join(', ')}; delete those first`,
        );
      await storage.write((trx) => trx.deleteFrom('targets').where('id', '=', id).execute());
    },

    /** Test connectivity: authenticate, read the service provider config, look up an account that cannot exist. */
    async testTarget(tenantId: string, id: string, matchingAttribute?: string): Promise<ConnectivityReport> {
      const row = await requireRow(tenantId, id);
      const profile = findTargetProfile(row.profile);
      if (profile === undefined)
        throw new ProvisioningError('invalid', `Target "${id}" has an unknown profile "${row.profile}"`);
      return testConnectivity({
        profile,
        connection: connectionOf(row),
        ...(matchingAttribute !== undefined ? { matchingAttribute } : {}),
      });
    },

    /** For the engine: the row with its opened connection. */
    async openTarget(id: string): Promise<{ row: TargetTable; connection: ScimConnection } | undefined> {
      const row = await db.selectFrom('targets').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : { row, connection: connectionOf(row) };
    },

    async setStatus(id: string, status: 'active' | 'quarantined', reason: string | null): Promise<void> {
      await storage.write((trx) =>
        trx
          .updateTable('targets')
          .set({ status, status_reason: reason, status_since: new Date().toISOString() })
          .where('id', '=', id)
          .execute(),
      );
    },
  };
}

export type TargetService = ReturnType<typeof createTargetService>;

/** An update that names the same authentication kind without its secret keeps the stored secret. */
function keepSecrets(next: ScimConnectionInput, current: ScimConnection): ScimConnectionInput {
  const auth = next.authentication as Record<string, unknown>;
  if (auth.kind === 'bearer' && auth.token === undefined && current.authentication.kind === 'bearer')
    return {
      ...next,
      authentication: {
        ...auth,
        token: current.authentication.token,
      } as ScimConnectionInput['authentication'],
    };
  if (
    auth.kind === 'oauth_client_credentials' &&
    auth.clientSecret === undefined &&
    current.authentication.kind === 'oauth_client_credentials'
  )
    return {
      ...next,
      authentication: {
        ...auth,
        clientSecret: current.authentication.clientSecret,
      } as ScimConnectionInput['authentication'],
    };
  return next;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
