import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SecretBox } from '../auth/secrets/secret-box.ts';
import type { GroupService } from '../directory/group-service.ts';
import type { UserService } from '../directory/user-service.ts';
import { ProvisioningError } from '../provisioning/provisioning-error.ts';
import type { SourceTable } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import { createSourceObjectRepository } from './apply/source-object-repository.ts';
import { type SourceProtection, SourceProtectionSchema } from './apply/source-protection.ts';
import { LdapSourceConfigSchema } from './ldap/ldap-source-config.ts';
import { syncLdapSource } from './ldap/ldap-sync.ts';
import { recordSourceRun } from './source-run-recorder.ts';
import { nextScheduledRun } from './source-schedule.ts';

export const CsvSourceConfigSchema = z.object({
  /** The key column: the stable external key of each row. */
  key: z.string().min(1),
  /** SCIM path ← expression over the columns (a bare column name is the simplest expression). */
  mapping: z.record(z.string(), z.string()),
  bindBy: z.enum(['userName', 'emails', 'externalId']).optional(),
});

export const SourceInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ldap'), config: LdapSourceConfigSchema }),
  z.object({ kind: z.literal('csv'), config: CsvSourceConfigSchema }),
]);

export interface SourceInput {
  readonly name: string;
  readonly kind: 'ldap' | 'csv';
  readonly config: unknown;
  readonly schedule?: string | null;
  readonly protection?: unknown;
  readonly status?: 'enabled' | 'disabled';
}

/** A source as the API shows it: the LDAP bind password never comes back. */
export interface SourceView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly kind: 'ldap' | 'csv';
  readonly config: Record<string, unknown>;
  readonly schedule: string | null;
  readonly protection: SourceProtection;
  readonly status: 'enabled' | 'disabled';
  readonly watermark: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const invalid = (error: z.ZodError, prefix: string) => {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].join('.');
  return new ProvisioningError('invalid', `Invalid ${path}: ${issue?.message ?? 'invalid'}`, { field: path });
};

/**
 * Sources of a tenant (issue 6): their sealed configuration, runs on demand, and the run history.
 * Every run goes through the directory services, so what it changes reaches the outbox and targets.
 */
export function createSourceService(dependencies: {
  storage: Storage;
  users: UserService;
  groups: GroupService;
  box: SecretBox;
}) {
  const { storage, box } = dependencies;
  const db = storage.db;

  const requireRow = async (tenantId: string, id: string): Promise<SourceTable> => {
    const row = await db
      .selectFrom('sources')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined)
      throw new ProvisioningError('not_found', `Source "${id}" not found in tenant "${tenantId}"`);
    return row;
  };
  const configOf = (row: SourceTable): Record<string, unknown> => JSON.parse(box.open(row.config_sealed));
  const protectionOf = (row: SourceTable) =>
    SourceProtectionSchema.parse(storage.dialect.decodeJson(row.protection) ?? {});

  const view = (row: SourceTable): SourceView => {
    const config = configOf(row);
    const connection = config.connection as Record<string, unknown> | undefined;
    const shown =
      connection === undefined
        ? config
        : { ...config, connection: { ...connection, bindPassword: undefined, bindPasswordSet: true } };
    return {
      id: row.id,
      tenantId: row.tenant_id,
      name: row.name,
      kind: row.kind,
      config: JSON.parse(JSON.stringify(shown)),
      schedule: row.schedule,
      protection: protectionOf(row),
      status: row.status,
      watermark: row.watermark,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  };

  const parseConfig = (kind: 'ldap' | 'csv', config: unknown) => {
    const parsed = SourceInputSchema.safeParse({ kind, config });
    if (!parsed.success) throw invalid(parsed.error, '');
    return parsed.data.config;
  };
  const parseProtection = (protection: unknown) => {
    const parsed = SourceProtectionSchema.safeParse(protection ?? {});
    if (!parsed.success) throw invalid(parsed.error, 'protection');
    return parsed.data;
  };

  return {
    async createSource(tenantId: string, input: SourceInput): Promise<SourceView> {
      if (
        (await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst()) ===
        undefined
      )
        throw new ProvisioningError('not_found', `Tenant "${tenantId}" not found`);
      const config = parseConfig(input.kind, input.config);
      const now = new Date().toISOString();
      const row: SourceTable = {
        id: `src_${randomUUID()}`,
        tenant_id: tenantId,
        name: input.name,
        kind: input.kind,
        config_sealed: box.seal(JSON.stringify(config)),
        schedule: checkSchedule(input.schedule ?? null),
        protection: JSON.stringify(parseProtection(input.protection)),
        status: input.status ?? 'enabled',
        watermark: null,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('sources').values(row).execute();
      return view(row);
    },

    async listSources(tenantId: string): Promise<SourceView[]> {
      const rows = await db
        .selectFrom('sources')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map(view);
    },

    getSource: async (tenantId: string, id: string) => view(await requireRow(tenantId, id)),

    /** Changes what is given; an LDAP connection without a bindPassword keeps the sealed one. */
    async updateSource(tenantId: string, id: string, changes: Partial<SourceInput>): Promise<SourceView> {
      const row = await requireRow(tenantId, id);
      const next: Partial<SourceTable> = { updated_at: new Date().toISOString() };
      if (changes.name !== undefined) next.name = changes.name;
      if (changes.schedule !== undefined) next.schedule = checkSchedule(changes.schedule);
      if (changes.status !== undefined) next.status = changes.status;
      if (changes.protection !== undefined)
        next.protection = JSON.stringify(parseProtection(changes.protection));
      if (changes.config !== undefined) {
        const current = configOf(row);
        let config = changes.config as Record<string, unknown>;
        const connection = config.connection as Record<string, unknown> | undefined;
        if (row.kind === 'ldap' && connection !== undefined && connection.bindPassword === undefined)
          config = {
            ...config,
            connection: {
              ...connection,
              bindPassword: (current.connection as Record<string, unknown>).bindPassword,
            },
          };
        next.config_sealed = box.seal(JSON.stringify(parseConfig(row.kind, config)));
        next.watermark = null; // a new connection or mapping starts from a full run
      }
      await db
        .updateTable('sources')
        .set(next)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      return view(await requireRow(tenantId, id));
    },

    /**
     * Releases attributes of one object to local control: the source stops writing them (an admin's
     * own value then stays). An empty list gives them back to the source.
     */
    async releaseAttributes(
      tenantId: string,
      id: string,
      objectType: 'User' | 'Group',
      objectId: string,
      paths: readonly string[],
    ): Promise<{ objectId: string; released: readonly string[] }> {
      await requireRow(tenantId, id);
      const released = [...new Set(paths.map((path) => path.trim()).filter((path) => path !== ''))];
      const updated = await createSourceObjectRepository(db, storage.dialect).setReleased(
        id,
        objectType,
        objectId,
        released,
      );
      if (!updated)
        throw new ProvisioningError('not_found', `Source "${id}" does not own ${objectType} "${objectId}"`);
      return { objectId, released };
    },

    /** Deletes the source; the objects it imported stay in the directory, now owned by nobody. */
    async deleteSource(tenantId: string, id: string): Promise<void> {
      await requireRow(tenantId, id);
      await db.deleteFrom('sources').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    /** Runs an LDAP source now (full or incremental, optionally dry); records the run either way. */
    async runSource(
      tenantId: string,
      id: string,
      options: { mode?: 'full' | 'incremental'; dryRun?: boolean; trigger?: 'manual' | 'schedule' } = {},
    ) {
      const row = await requireRow(tenantId, id);
      if (row.kind !== 'ldap')
        throw new ProvisioningError('invalid', 'A CSV source runs by importing a file (POST .../import)');
      const startedAt = new Date().toISOString();
      const dryRun = options.dryRun ?? false;
      const result = await syncLdapSource(dependencies, {
        tenantId,
        sourceId: id,
        config: LdapSourceConfigSchema.parse(configOf(row)),
        protection: protectionOf(row),
        mode: options.mode ?? 'incremental',
        watermark: row.watermark,
        dryRun,
      });
      const mode = result.ok ? result.mode : (options.mode ?? 'incremental');
      const failedItems = result.ok ? result.items.some((item) => item.outcome === 'failed') : false;
      const runId = await recordSourceRun(storage, {
        tenantId,
        sourceId: id,
        mode,
        trigger: options.trigger ?? 'manual',
        dryRun,
        status: !result.ok ? 'failed' : failedItems ? 'partial_success' : 'success',
        stats: result.stats,
        error: result.ok ? undefined : result.error,
        watermarkBefore: row.watermark,
        watermarkAfter: result.ok ? result.watermark : row.watermark,
        startedAt,
        items: result.items ?? [],
      });
      if (result.ok && !dryRun)
        await db.updateTable('sources').set({ watermark: result.watermark }).where('id', '=', id).execute();
      return { runId, ...result };
    },

    async listRuns(tenantId: string, id: string) {
      await requireRow(tenantId, id);
      const rows = await db
        .selectFrom('source_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('source_id', '=', id)
        .orderBy('created_at', 'desc')
        .limit(100)
        .execute();
      return rows.map((run) => ({
        id: run.id,
        direction: run.direction,
        mode: run.mode,
        trigger: run.trigger,
        dryRun: run.dry_run === 1,
        status: run.status,
        stats: storage.dialect.decodeJson(run.stats),
        errorCode: run.error_code,
        error: run.error,
        createdAt: run.created_at,
        finishedAt: run.finished_at,
      }));
    },

    async listRunItems(tenantId: string, id: string, runId: string) {
      await requireRow(tenantId, id);
      return db
        .selectFrom('source_run_items')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('external_key')
        .limit(10_000)
        .execute();
    },

    requireRow,
    configOf,
    protectionOf,
  };
}

export type SourceService = ReturnType<typeof createSourceService>;

/** A schedule must be a cron expression that has a next run. */
function checkSchedule(schedule: string | null): string | null {
  if (schedule === null) return null;
  const next = nextScheduledRun(schedule, new Date());
  if (!next.ok) throw new ProvisioningError('invalid', next.message, { field: 'schedule' });
  return schedule.trim();
}
