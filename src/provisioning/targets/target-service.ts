import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../auth/secrets/secret-box.ts';
import type { JobQueue } from '../../jobs/job-queue.ts';
import type { TargetTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { RamCleanupStep } from '../../targets/alibaba-ram/delete-conflict-steps.ts';
import {
  checkNativeApiPermissions,
  EVERY_CLEANUP_STEP,
  withNativeApiReport,
} from '../../targets/check-native-api.ts';
import {
  type NativeApiConnection,
  type NativeApiInput,
  parseSealedNativeApi,
} from '../../targets/native-api-settings.ts';
import type { TargetProfile } from '../../targets/profiles/target-profile.ts';
import { findTargetProfile, TARGET_PROFILE_NAMES } from '../../targets/profiles/target-profiles.ts';
import type { ScimConnection, ScimConnectionInput } from '../../targets/scim-client/scim-connection.ts';
import { type ConnectivityReport, testConnectivity } from '../../targets/test-connectivity.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import { createTargetSealing, keepSecrets } from './target-sealing.ts';
import {
  concurrencyOf,
  DEFAULT_TARGET_SETTINGS,
  storedSettingsOf,
  type TargetSettings,
} from './target-settings.ts';
import { type TargetView, viewTarget } from './target-view.ts';

export interface TargetInput {
  readonly name: string;
  readonly profile: string;
  readonly connection: ScimConnectionInput;
  readonly nativeApi?: NativeApiInput;
  readonly settings?: Partial<TargetSettings>;
}

export interface TargetServiceOptions {
  /** Where a target's `settings.concurrency` becomes its job group's limit (the target id). */
  readonly queue?: Pick<JobQueue, 'setGroupLimit'>;
}

/**
 * Targets of a tenant: where Lockstep writes, how it authenticates (the SCIM connection and any native
 * API, sealed at rest with the service's secret key, never shown again), and the profile that says
 * what the target can do.
 */
export function createTargetService(storage: Storage, box: SecretBox, options: TargetServiceOptions = {}) {
  const db = storage.db;
  const { connectionOf, nativeApiOf, sealNativeApi, sealConnection, nextNativeSealed } =
    createTargetSealing(box);
  const view = (row: TargetTable): TargetView => viewTarget(row, connectionOf(row), nativeApiOf(row));

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

  function checkProfile(name: string): TargetProfile {
    const profile = findTargetProfile(name);
    if (profile === undefined)
      throw new ProvisioningError(
        'invalid',
        `Unknown profile "${name}": use ${TARGET_PROFILE_NAMES.join(', ')}`,
        { field: 'profile' },
      );
    return profile;
  }

  return {
    async createTarget(tenantId: string, input: TargetInput): Promise<TargetView> {
      const profile = checkProfile(input.profile);
      if (
        (await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst()) ===
        undefined
      )
        throw new ProvisioningError('not_found', `Tenant "${tenantId}" not found`);
      const { sealed, baseUrl } = sealConnection(input.connection);
      const nativeSealed =
        input.nativeApi === undefined ? null : sealNativeApi(profile, input.nativeApi, undefined);
      const now = new Date().toISOString();
      const row: TargetTable = {
        id: `tgt_${randomBytes(8).toString('hex')}`,
        tenant_id: tenantId,
        name: input.name,
        profile: input.profile,
        base_url: baseUrl,
        auth_sealed: sealed,
        native_sealed: nativeSealed,
        settings: JSON.stringify({
          ...DEFAULT_TARGET_SETTINGS,
          concurrency: profile.defaultConcurrency,
          ...definedOnly(input.settings ?? {}),
        }),
        status: 'active',
        status_reason: null,
        status_since: null,
        created_at: now,
        updated_at: now,
      };
      await storage.write(async (trx) => {
        await trx.insertInto('targets').values(row).execute();
        await options.queue?.setGroupLimit(row.id, concurrencyOf(row.settings), trx);
      });
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

    /**
     * Changes name, profile, settings, the connection or the native API. A connection without a new
     * secret keeps the old one; a native API changes the fields given (`null` removes it).
     */
    async updateTarget(
      tenantId: string,
      id: string,
      changes: {
        name?: string;
        profile?: string;
        connection?: ScimConnectionInput;
        nativeApi?: NativeApiInput | null;
        settings?: Partial<TargetSettings>;
      },
    ): Promise<TargetView> {
      const row = await requireRow(tenantId, id);
      const profile = checkProfile(changes.profile ?? row.profile);
      const nativeSealed = nextNativeSealed(row, profile, changes.nativeApi);
      let sealed: { sealed: string; baseUrl: string } | undefined;
      if (changes.connection !== undefined)
        sealed = sealConnection(keepSecrets(changes.connection, connectionOf(row)));
      const next: TargetTable = {
        ...row,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.profile !== undefined ? { profile: changes.profile } : {}),
        ...(sealed !== undefined ? { auth_sealed: sealed.sealed, base_url: sealed.baseUrl } : {}),
        native_sealed: nativeSealed,
        ...(changes.settings !== undefined
          ? { settings: JSON.stringify({ ...storedSettingsOf(row.settings), ...changes.settings }) }
          : {}),
        updated_at: new Date().toISOString(),
      };
      await storage.write(async (trx) => {
        await trx.updateTable('targets').set(next).where('id', '=', id).execute();
        await options.queue?.setGroupLimit(id, concurrencyOf(next.settings), trx);
      });
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
      await storage.write(async (trx) => {
        await trx.deleteFrom('targets').where('id', '=', id).execute();
        await options.queue?.setGroupLimit(id, null, trx);
      });
    },

    /**
     * Makes every target's `settings.concurrency` its job group's limit in `queue`, in one transaction
     * (engine start: targets created before the limits existed get theirs).
     */
    async applyConcurrencyLimits(queue: Pick<JobQueue, 'setGroupLimit'>): Promise<number> {
      const rows = await db.selectFrom('targets').select(['id', 'settings']).execute();
      if (rows.length === 0) return 0;
      await storage.write(async (trx) => {
        for (const row of rows) await queue.setGroupLimit(row.id, concurrencyOf(row.settings), trx);
      });
      return rows.length;
    },

    /**
     * Test connectivity: authenticate, read the service provider config, look up an account that cannot
     * exist; with a native API, check at the same time that its credentials may run the cleanup steps
     * `nativeSteps` (default: every step) and everything a delete always needs.
     */
    async testTarget(
      tenantId: string,
      id: string,
      matchingAttribute?: string,
      options: { nativeSteps?: readonly RamCleanupStep[] } = {},
    ): Promise<ConnectivityReport> {
      const row = await requireRow(tenantId, id);
      const profile = findTargetProfile(row.profile);
      if (profile === undefined)
        throw new ProvisioningError('invalid', `Target "${id}" has an unknown profile "${row.profile}"`);
      const native = nativeApiOf(row);
      const [report, nativeApi] = await Promise.all([
        testConnectivity({
          profile,
          connection: connectionOf(row),
          ...(matchingAttribute !== undefined ? { matchingAttribute } : {}),
        }),
        native && checkNativeApiPermissions(native, options.nativeSteps ?? EVERY_CLEANUP_STEP),
      ]);
      return withNativeApiReport(report, nativeApi);
    },

    /** For the engine: the row with its opened connection. */
    async openTarget(id: string): Promise<{ row: TargetTable; connection: ScimConnection } | undefined> {
      const row = await db.selectFrom('targets').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : { row, connection: connectionOf(row) };
    },

    /**
     * For the engine: the target's native API with its credentials, to build a client from
     * (`createRamOpenapiClient(native.config)` when `native.api` is `alibaba-ram-openapi`); undefined
     * when the target has none or does not exist.
     */
    async openNative(targetId: string): Promise<NativeApiConnection | undefined> {
      const row = await db
        .selectFrom('targets')
        .select('native_sealed')
        .where('id', '=', targetId)
        .executeTakeFirst();
      if (row === undefined || row.native_sealed === null) return undefined;
      return parseSealedNativeApi(box.open(row.native_sealed));
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

/** The entries whose value is not undefined (a settings object may name a key it leaves unset). */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
