import { randomBytes } from 'node:crypto';
import type { ProvisioningTable } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import { findTargetProfile } from '../targets/profiles/target-profiles.ts';
import { type CompileResult, compileProvisioning } from './compile-provisioning.ts';
import type { DeletionStrategy } from './engine/compiled-provisioning.ts';
import type { ProvisioningConfig } from './provisioning-config.ts';
import { ProvisioningError } from './provisioning-error.ts';
import { checkScopeOrgUnits } from './scope/check-scope-org-units.ts';

export interface ProvisioningView {
  readonly id: string;
  readonly tenantId: string;
  readonly targetId: string;
  readonly name: string;
  readonly status: 'enabled' | 'disabled' | 'removing';
  readonly config: ProvisioningConfig;
  /** Set while the deletion guard holds removals for an admin's decision (issue 5). */
  readonly removalsPaused: { readonly reason: string; readonly since: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The provisionings of a tenant: a target, and how the directory is pushed to it. */
export function createProvisioningService(
  storage: Storage,
  options: { onChange?: (id: string) => void } = {},
) {
  const db = storage.db;

  async function requireRow(tenantId: string, id: string): Promise<ProvisioningTable> {
    const row = await db
      .selectFrom('provisionings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined)
      throw new ProvisioningError('not_found', `Provisioning "${id}" not found in tenant "${tenantId}"`);
    return row;
  }

  async function compile(
    row: Pick<ProvisioningTable, 'id' | 'tenant_id' | 'target_id' | 'status'>,
    config: unknown,
  ): Promise<CompileResult & { ok: true }> {
    const target = await db
      .selectFrom('targets')
      .select(['id', 'profile'])
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.target_id)
      .executeTakeFirst();
    if (target === undefined)
      throw new ProvisioningError(
        'invalid',
        `Target "${row.target_id}" not found in tenant "${row.tenant_id}"`,
        { field: 'targetId' },
      );
    const profile = findTargetProfile(target.profile);
    if (profile === undefined)
      throw new ProvisioningError('invalid', `Target "${row.target_id}" has an unknown profile`);
    const compiled = compileProvisioning(row, config, profile);
    if (!compiled.ok)
      throw new ProvisioningError(
        'invalid',
        `The configuration has ${compiled.problems.length} problem(s): ${compiled.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        {
          problems: compiled.problems,
        },
      );
    return compiled;
  }

  /** What only the directory can refuse in a configuration being saved: org units that do not exist. */
  async function checkAgainstDirectory(tenantId: string, config: ProvisioningConfig): Promise<void> {
    const errors = await checkScopeOrgUnits(storage, tenantId, config.scope);
    if (errors.length === 0) return;
    const problems = errors.map((error) => ({ path: `scope.${error.path}`, message: error.message }));
    throw new ProvisioningError(
      'invalid',
      `The configuration has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { problems },
    );
  }

  const view = (row: ProvisioningTable, config: ProvisioningConfig): ProvisioningView => ({
    id: row.id,
    tenantId: row.tenant_id,
    targetId: row.target_id,
    name: row.name,
    status: row.status,
    config,
    removalsPaused:
      row.removals_paused_reason === null || row.removals_paused_reason === undefined
        ? null
        : { reason: row.removals_paused_reason, since: row.removals_paused_at ?? '' },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  const configOf = (row: ProvisioningTable) =>
    (typeof row.config === 'string' ? JSON.parse(row.config) : row.config) as ProvisioningConfig;

  return {
    async createProvisioning(
      tenantId: string,
      input: { name: string; targetId: string; config?: unknown; enabled?: boolean },
    ): Promise<ProvisioningView> {
      const now = new Date().toISOString();
      const base = {
        id: `prv_${randomBytes(8).toString('hex')}`,
        tenant_id: tenantId,
        target_id: input.targetId,
        status: (input.enabled === false ? 'disabled' : 'enabled') as ProvisioningTable['status'],
      };
      const { config } = await compile(base, input.config ?? {});
      await checkAgainstDirectory(tenantId, config);
      const row: ProvisioningTable = {
        ...base,
        name: input.name,
        config: JSON.stringify(config),
        created_at: now,
        updated_at: now,
        removals_paused_reason: null,
        removals_paused_at: null,
      };
      await storage.write((trx) => trx.insertInto('provisionings').values(row).execute());
      options.onChange?.(row.id);
      return view(row, config);
    },

    async listProvisionings(tenantId: string): Promise<ProvisioningView[]> {
      const rows = await db
        .selectFrom('provisionings')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map((row) => view(row, configOf(row)));
    },

    getProvisioning: async (tenantId: string, id: string) => {
      const row = await requireRow(tenantId, id);
      return view(row, configOf(row));
    },

    /** Changes name, status or configuration (checked and compiled first; the engine picks it up at once). */
    async updateProvisioning(
      tenantId: string,
      id: string,
      changes: { name?: string; config?: unknown; status?: 'enabled' | 'disabled' },
    ): Promise<ProvisioningView> {
      const row = await requireRow(tenantId, id);
      if (row.status === 'removing')
        throw new ProvisioningError('conflict', `Provisioning "${id}" is being removed`);
      const next = { ...row, ...(changes.status !== undefined ? { status: changes.status } : {}) };
      const { config } = await compile(next, changes.config ?? configOf(row));
      if (changes.config !== undefined) await checkAgainstDirectory(tenantId, config);
      const updated: ProvisioningTable = {
        ...next,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        config: JSON.stringify(config),
        updated_at: new Date().toISOString(),
      };
      // The deletion guard's pause is its own state, set and lifted by the guard, not by an edit.
      const { removals_paused_reason: _reason, removals_paused_at: _at, ...changed } = updated;
      await storage.write((trx) =>
        trx.updateTable('provisionings').set(changed).where('id', '=', id).execute(),
      );
      options.onChange?.(id);
      return view(updated, config);
    },

    /** Checks a configuration without saving it. */
    async checkConfig(tenantId: string, targetId: string, config: unknown): Promise<ProvisioningConfig> {
      const checked = (
        await compile({ id: 'check', tenant_id: tenantId, target_id: targetId, status: 'enabled' }, config)
      ).config;
      await checkAgainstDirectory(tenantId, checked);
      return checked;
    },

    /** The compiled provisioning, for the engine. */
    async compiled(id: string) {
      const row = await db.selectFrom('provisionings').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) return undefined;
      return { row, ...(await compile(row, configOf(row))) };
    },

    /** Marks the provisioning for removal with `strategy` (its own unless overridden). */
    async markRemoving(
      tenantId: string,
      id: string,
      strategy?: DeletionStrategy,
    ): Promise<{ strategy: DeletionStrategy }> {
      const row = await requireRow(tenantId, id);
      const config = configOf(row);
      const chosen = strategy ?? config.deletionStrategy;
      await storage.write((trx) =>
        trx
          .updateTable('provisionings')
          .set({
            status: 'removing',
            config: JSON.stringify({ ...config, deletionStrategy: chosen }),
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', id)
          .execute(),
      );
      options.onChange?.(id);
      return { strategy: chosen };
    },

    async deleteRow(id: string): Promise<void> {
      await storage.write(async (trx) => {
        await trx.deleteFrom('provisioning_events').where('provisioning_id', '=', id).execute();
        // What waited on the provisioning goes with it; backups and the log stay for their retention.
        await trx.deleteFrom('staged_removals').where('provisioning_id', '=', id).execute();
        await trx.deleteFrom('removal_admissions').where('provisioning_id', '=', id).execute();
        await trx.deleteFrom('reconciliation_settings').where('provisioning_id', '=', id).execute();
        await trx.deleteFrom('provisionings').where('id', '=', id).execute();
      });
      options.onChange?.(id);
    },
  };
}

export type ProvisioningService = ReturnType<typeof createProvisioningService>;
