import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DatabaseSchema, ProvisioningRunTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { ReconcileAction } from './reconcile-user.ts';

const ACTIONS = ['created', 'updated', 'deleted', 'same', 'skipped'] as const;

/** Run statistics in IDaaS's shape: per action, total / success / failed. */
export type RunStatistics = Record<
  (typeof ACTIONS)[number],
  { total: number; success: number; failed: number }
> & {
  planned: number;
  pending: number;
};

export interface RunView {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly kind: ProvisioningRunTable['kind'];
  readonly status: ProvisioningRunTable['status'];
  readonly statistics: RunStatistics;
  readonly error: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** Runs (a full push, a removal) and their per-object items, from which statistics are counted. */
export function createProvisioningRuns(storage: Storage) {
  const db = storage.db;

  async function statisticsOf(runId: string): Promise<RunStatistics> {
    const rows = await db
      .selectFrom('provisioning_run_items')
      .select(['action', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy(['action', 'outcome'])
      .execute();
    const stats = Object.fromEntries(
      ACTIONS.map((action) => [action, { total: 0, success: 0, failed: 0 }]),
    ) as unknown as RunStatistics;
    stats.planned = 0;
    stats.pending = 0;
    for (const row of rows) {
      const n = Number(row.n);
      stats.planned += n;
      if (row.outcome === null) {
        stats.pending += n;
        continue;
      }
      const bucket = stats[(row.action ?? 'skipped') as (typeof ACTIONS)[number]] ?? stats.skipped;
      bucket.total += n;
      if (row.outcome === 'success') bucket.success += n;
      else bucket.failed += n;
    }
    return stats;
  }

  async function view(row: ProvisioningRunTable): Promise<RunView> {
    return {
      id: row.id,
      tenantId: row.tenant_id,
      provisioningId: row.provisioning_id,
      kind: row.kind,
      status: row.status,
      statistics: await statisticsOf(row.id),
      error: row.error,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }

  return {
    async create(
      tenantId: string,
      provisioningId: string,
      kind: 'full-push' | 'removal',
    ): Promise<ProvisioningRunTable> {
      const row: ProvisioningRunTable = {
        id: `run_${randomBytes(8).toString('hex')}`,
        tenant_id: tenantId,
        provisioning_id: provisioningId,
        kind,
        status: 'pending',
        stats: '{}',
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
    find: (id: string) =>
      db.selectFrom('provisioning_runs').selectAll().where('id', '=', id).executeTakeFirst(),
    view,
    async list(tenantId: string, provisioningId: string): Promise<RunView[]> {
      const rows = await db
        .selectFrom('provisioning_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('provisioning_id', '=', provisioningId)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      return Promise.all(rows.map(view));
    },
    async update(id: string, changes: Partial<Omit<ProvisioningRunTable, 'id'>>): Promise<void> {
      await storage.write((trx) =>
        trx.updateTable('provisioning_runs').set(changes).where('id', '=', id).execute(),
      );
    },
    /** Plans objects for a run (a crash-restarted enumeration may plan some twice: ignored). */
    async plan(runId: string, objectType: 'User' | 'Group', objectIds: readonly string[]): Promise<void> {
      if (objectIds.length === 0) return;
      await storage.write((trx) =>
        trx
          .insertInto('provisioning_run_items')
          .values(
            objectIds.map((object_id) => ({
              run_id: runId,
              object_type: objectType,
              object_id,
              action: null,
              outcome: null,
            })),
          )
          .onConflict((conflict) => conflict.doNothing())
          .execute(),
      );
    },
    /** Objects a run has planned already, among `objectIds`. */
    async plannedAmong(
      runId: string,
      objectType: 'User' | 'Group',
      objectIds: readonly string[],
    ): Promise<Set<string>> {
      if (objectIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('provisioning_run_items')
        .select('object_id')
        .where('run_id', '=', runId)
        .where('object_type', '=', objectType)
        .where('object_id', 'in', objectIds)
        .execute();
      return new Set(rows.map((row) => row.object_id));
    },
    /** Objects of a run that are already done (a resumed run does not redo them). */
    async doneAmong(runId: string, objectIds: readonly string[]): Promise<Set<string>> {
      if (objectIds.length === 0) return new Set();
      // The outcome is tested here, not in SQL: a condition on it lets the planner pick the
      // (run_id, outcome) index and walk every finished item of the run instead of seeking these.
      const rows = await db
        .selectFrom('provisioning_run_items')
        .select(['object_id', 'outcome'])
        .where('run_id', '=', runId)
        .where('object_id', 'in', objectIds)
        .execute();
      return new Set(rows.filter((row) => row.outcome !== null).map((row) => row.object_id));
    },
    /** Records how an object's reconciliation ended in every running run of its provisioning that planned it. */
    async complete(
      provisioningId: string,
      objectType: 'User' | 'Group',
      objectId: string,
      action: ReconcileAction,
      outcome: 'success' | 'failed',
    ): Promise<string[]> {
      const runs = await db
        .selectFrom('provisioning_runs')
        .select('id')
        .where('provisioning_id', '=', provisioningId)
        .where('status', '=', 'running')
        .execute();
      if (runs.length === 0) return [];
      const ids = runs.map((run) => run.id);
      await storage.write((trx) =>
        trx
          .updateTable('provisioning_run_items')
          .set({ action, outcome })
          .where('run_id', 'in', ids)
          .where('object_type', '=', objectType)
          .where('object_id', '=', objectId)
          .where('outcome', 'is', null)
          .execute(),
      );
      return ids;
    },
    /**
     * `complete` for many objects at once (a page of a full push), inside the caller's transaction:
     * a statement per distinct action and outcome. Returns the runs it recorded in.
     */
    async completeMany(
      trx: Kysely<DatabaseSchema>,
      provisioningId: string,
      objectType: 'User' | 'Group',
      items: readonly { objectId: string; action: ReconcileAction; outcome: 'success' | 'failed' }[],
    ): Promise<string[]> {
      if (items.length === 0) return [];
      const runs = await trx
        .selectFrom('provisioning_runs')
        .select('id')
        .where('provisioning_id', '=', provisioningId)
        .where('status', '=', 'running')
        .execute();
      if (runs.length === 0) return [];
      const ids = runs.map((run) => run.id);
      const groups = new Map<string, string[]>();
      for (const item of items) {
        const key = `${item.action}:${item.outcome}`;
        const objectIds = groups.get(key) ?? [];
        objectIds.push(item.objectId);
        groups.set(key, objectIds);
      }
      for (const [key, objectIds] of groups) {
        const [action, outcome] = key.split(':') as [ReconcileAction, 'success' | 'failed'];
        for (let start = 0; start < objectIds.length; start += 500)
          await trx
            .updateTable('provisioning_run_items')
            .set({ action, outcome })
            .where('run_id', 'in', ids)
            .where('object_type', '=', objectType)
            .where('object_id', 'in', objectIds.slice(start, start + 500))
            .where('outcome', 'is', null)
            .execute();
      }
      return ids;
    },
    /** Ends a run whose enumeration is over and whose items are all done; returns its final status. */
    async finishIfDone(runId: string): Promise<ProvisioningRunTable['status'] | undefined> {
      const run = await db
        .selectFrom('provisioning_runs')
        .selectAll()
        .where('id', '=', runId)
        .executeTakeFirst();
      if (run === undefined || run.status !== 'running' || run.cursor !== 'done') return undefined;
      // Called after every object (or page) of a run: a cheap probe first, one seek in the
      // (run_id, outcome) index however many items are done.
      const pending = await db
        .selectFrom('provisioning_run_items')
        .select('object_id')
        .where('run_id', '=', runId)
        .where('outcome', 'is', null)
        .limit(1)
        .executeTakeFirst();
      if (pending !== undefined) return undefined;
      const stats = await statisticsOf(runId);
      if (stats.pending > 0) return undefined;
      const failed = ACTIONS.reduce((sum, action) => sum + stats[action].failed, 0);
      const status = failed === 0 ? 'success' : failed === stats.planned ? 'failed' : 'partial_success';
      await storage.write((trx) =>
        trx
          .updateTable('provisioning_runs')
          .set({ status, stats: JSON.stringify(stats), finished_at: new Date().toISOString() })
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .execute(),
      );
      return status;
    },
    /** Items still planned when a run is cancelled. */
    async cancelPending(runId: string): Promise<void> {
      await storage.write((trx) =>
        trx
          .updateTable('provisioning_run_items')
          .set({ outcome: 'cancelled', action: sql<string>`coalesce(action, 'skipped')` })
          .where('run_id', '=', runId)
          .where('outcome', 'is', null)
          .execute(),
      );
    },
  };
}

export type ProvisioningRuns = ReturnType<typeof createProvisioningRuns>;
