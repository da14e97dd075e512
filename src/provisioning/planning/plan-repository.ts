import type { Selectable } from 'kysely';
import type { PlanItemTable, PlanTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { Admission } from './plan-removal.ts';
import type { PlannedOperation } from './plan-types.ts';

const INSERT_CHUNK = 100;
/** Applied, stale and expired plans stay readable this long after they expire. */
const KEEP_AFTER_EXPIRY_MS = 86_400_000;

/** A stored operation: what the API shows, and the removal's admission when the guard must admit it. */
export type StoredOperation = PlannedOperation & { readonly admission?: Admission };

export interface PlanItem {
  readonly objectId: string;
  readonly fingerprint: string;
  readonly readsTarget: boolean;
  readonly operation: StoredOperation;
}

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** Plans and their items (one per object considered), in `plans` and `plan_items`. */
export function createPlanRepository(storage: Storage) {
  const db = storage.db;
  const toItem = (row: Selectable<PlanItemTable>): PlanItem => ({
    objectId: row.object_id,
    fingerprint: row.fingerprint,
    readsTarget: row.reads_target === 1,
    operation: json(row.operation) as StoredOperation,
  });
  return {
    async insert(plan: PlanTable): Promise<void> {
      await storage.write((trx) => trx.insertInto('plans').values(plan).execute());
    },
    async insertItems(planId: string, items: readonly PlanItem[]): Promise<void> {
      if (items.length === 0) return;
      await storage.write(async (trx) => {
        for (let start = 0; start < items.length; start += INSERT_CHUNK)
          await trx
            .insertInto('plan_items')
            .values(
              items.slice(start, start + INSERT_CHUNK).map((item) => ({
                plan_id: planId,
                object_id: item.objectId,
                kind: item.operation.kind,
                fingerprint: item.fingerprint,
                reads_target: item.readsTarget ? 1 : 0,
                operation: JSON.stringify(item.operation),
              })),
            )
            .execute();
      });
    },
    async replaceOperations(planId: string, operations: readonly StoredOperation[]): Promise<void> {
      if (operations.length === 0) return;
      await storage.write(async (trx) => {
        for (const operation of operations)
          await trx
            .updateTable('plan_items')
            .set({ kind: operation.kind, operation: JSON.stringify(operation) })
            .where('plan_id', '=', planId)
            .where('object_id', '=', operation.objectId)
            .execute();
      });
    },
    async update(planId: string, changes: Partial<Omit<PlanTable, 'id'>>): Promise<void> {
      await storage.write((trx) => trx.updateTable('plans').set(changes).where('id', '=', planId).execute());
    },
    find: (tenantId: string, planId: string) =>
      db
        .selectFrom('plans')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', planId)
        .executeTakeFirst(),
    async listForProvisioning(provisioningId: string, limit = 50): Promise<PlanTable[]> {
      return db
        .selectFrom('plans')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
    },
    /** The plan's items after `after` in object order; `changesOnly` leaves out objects with nothing to do. */
    async items(
      planId: string,
      options: { after?: string; limit: number; changesOnly?: boolean },
    ): Promise<PlanItem[]> {
      let query = db
        .selectFrom('plan_items')
        .selectAll()
        .where('plan_id', '=', planId)
        .where('object_id', '>', options.after ?? '');
      if (options.changesOnly) query = query.where('kind', 'not in', ['same', 'none']);
      const rows = await query.orderBy('object_id').limit(options.limit).execute();
      return rows.map(toItem);
    },
    /** Takes a ready plan for applying; false when it is not ready (applied, being applied, stale). */
    async claim(planId: string): Promise<boolean> {
      const result = await storage.write((trx) =>
        trx
          .updateTable('plans')
          .set({ status: 'applying' })
          .where('id', '=', planId)
          .where('status', '=', 'ready')
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },
    /** Forgets plans that expired more than a day ago, with their items. */
    async purge(now: Date): Promise<void> {
      const before = new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS).toISOString();
      const old = await db
        .selectFrom('plans')
        .select('id')
        .where('expires_at', '<', before)
        .limit(100)
        .execute();
      if (old.length === 0) return;
      const ids = old.map((row) => row.id);
      await storage.write(async (trx) => {
        await trx.deleteFrom('plan_items').where('plan_id', 'in', ids).execute();
        await trx.deleteFrom('plans').where('id', 'in', ids).execute();
      });
    },
  };
}

export type PlanRepository = ReturnType<typeof createPlanRepository>;
