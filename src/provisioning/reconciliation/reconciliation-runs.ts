import { randomBytes } from 'node:crypto';
import type { ProvisioningRunTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { FindingRepository } from './finding-repository.ts';
import type { ReconciliationProgress, ReconciliationRunView } from './reconciliation-types.ts';

const KIND = 'reconciliation';

/**
 * Reconciliation runs: rows of `provisioning_runs` with kind `reconciliation`. Their `stats` hold the
 * progress; their `cursor` stays null until the run ends, so the engine's own run bookkeeping (which
 * ends runs whose cursor is `done`) never takes them for a full push. And each provisioning's schedule.
 */
export function createReconciliationRuns(storage: Storage, findings: FindingRepository) {
  const db = storage.db;

  async function view(row: ProvisioningRunTable): Promise<ReconciliationRunView> {
    return {
      id: row.id,
      tenantId: row.tenant_id,
      provisioningId: row.provisioning_id,
      kind: KIND,
      status: row.status,
      progress: progressOf(row),
      counts: await findings.count(row.id),
      error: row.error,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }

  return {
    view,
    async create(
      tenantId: string,
      provisioningId: string,
      trigger: ReconciliationProgress['trigger'],
    ): Promise<ProvisioningRunTable> {
      const progress: ReconciliationProgress = {
        trigger,
        accountsListed: 0,
        pages: 0,
        linksChecked: 0,
        complete: true,
        unchecked: 0,
      };
      const row: ProvisioningRunTable = {
        id: `run_${randomBytes(8).toString('hex')}`,
        tenant_id: tenantId,
        provisioning_id: provisioningId,
        kind: KIND,
        status: 'pending',
        stats: JSON.stringify(progress),
        cursor: null,
        cancel_requested: 0,
        error: null,
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
      };
      await storage.write((trx) => trx.insertInto('provisioning_runs').values(row).execute());
      return row;
    },
    find: (runId: string) =>
      db
        .selectFrom('provisioning_runs')
        .selectAll()
        .where('id', '=', runId)
        .where('kind', '=', KIND)
        .executeTakeFirst(),
    /** The provisioning's reconciliation that has not ended yet, if any. */
    findActive: (provisioningId: string) =>
      db
        .selectFrom('provisioning_runs')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .where('kind', '=', KIND)
        .where('status', 'in', ['pending', 'running'])
        .orderBy('created_at', 'desc')
        .executeTakeFirst(),
    async list(tenantId: string, provisioningId: string, limit = 50): Promise<ReconciliationRunView[]> {
      const rows = await db
        .selectFrom('provisioning_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('provisioning_id', '=', provisioningId)
        .where('kind', '=', KIND)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return Promise.all(rows.map(view));
    },
    async update(
      runId: string,
      changes: Partial<
        Pick<ProvisioningRunTable, 'status' | 'error' | 'started_at' | 'finished_at' | 'cursor'>
      > & {
        progress?: ReconciliationProgress;
      },
    ): Promise<void> {
      const { progress, ...columns } = changes;
      await storage.write((trx) =>
        trx
          .updateTable('provisioning_runs')
          .set({ ...columns, ...(progress !== undefined ? { stats: JSON.stringify(progress) } : {}) })
          .where('id', '=', runId)
          .execute(),
      );
    },

    async schedule(provisioningId: string): Promise<string | null> {
      const row = await db
        .selectFrom('reconciliation_settings')
        .select('schedule')
        .where('provisioning_id', '=', provisioningId)
        .executeTakeFirst();
      return row?.schedule ?? null;
    },
    async saveSchedule(tenantId: string, provisioningId: string, schedule: string | null): Promise<void> {
      const now = new Date().toISOString();
      await storage.write((trx) =>
        trx
          .insertInto('reconciliation_settings')
          .values({ provisioning_id: provisioningId, tenant_id: tenantId, schedule, updated_at: now })
          .onConflict((conflict) =>
            conflict.column('provisioning_id').doUpdateSet({ schedule, updated_at: now }),
          )
          .execute(),
      );
    },
    /** Every provisioning with a schedule (the scheduler queues each one's next run at start). */
    scheduled: () =>
      db
        .selectFrom('reconciliation_settings')
        .select(['provisioning_id', 'tenant_id'])
        .where('schedule', 'is not', null)
        .execute(),
  };
}

export type ReconciliationRuns = ReturnType<typeof createReconciliationRuns>;

function progressOf(row: ProvisioningRunTable): ReconciliationProgress {
  const stats = (typeof row.stats === 'string' ? JSON.parse(row.stats) : row.stats) as
    | Partial<ReconciliationProgress>
    | undefined;
  return {
    trigger: stats?.trigger ?? 'manual',
    accountsListed: stats?.accountsListed ?? 0,
    pages: stats?.pages ?? 0,
    linksChecked: stats?.linksChecked ?? 0,
    complete: stats?.complete ?? true,
    unchecked: stats?.unchecked ?? 0,
  };
}
