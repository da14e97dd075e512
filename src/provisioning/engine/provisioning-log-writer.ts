import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DatabaseSchema, ProvisioningLogTable } from '../../storage/database-schema.ts';
import { preparedInsert } from '../../storage/prepared-insert.ts';

export type LogStatus = 'success' | 'failure' | 'skipped' | 'warning';

export interface OperationRecord {
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly targetId: string;
  readonly runId: string | null;
  readonly objectType: 'User' | 'Group';
  readonly objectId: string;
  readonly accountId: string | null;
  /** create, update, disable, enable, delete, link, match, skip, … */
  readonly action: string;
  readonly status: LogStatus;
  readonly attempt: number;
  readonly targetStatus?: number | undefined;
  /** Modified attributes, old → new. */
  readonly changes?: Readonly<Record<string, { old: unknown; new: unknown }>> | undefined;
  readonly message?: string | undefined;
  readonly durationMs?: number | undefined;
  readonly errorCode?: string | undefined;
}

/**
 * Writes the provisioning log (every operation, with its attempt, the target's status and the
 * attributes it changed) and keeps the failed-operations list ("provisioning events", CloudSSO's
 * model): a failure opens or updates the object's event, a later success closes it.
 */
export function createProvisioningLogWriter(db: Kysely<DatabaseSchema>) {
  return {
    record: (operation: OperationRecord): Promise<void> => recordOperations(db, [operation]),
    /**
     * Many operations at once (a page of a full push): one insert for the log rows, one look for open
     * events to close; with `trx`, inside the caller's transaction.
     */
    recordMany: (operations: readonly OperationRecord[], trx?: Kysely<DatabaseSchema>): Promise<void> =>
      recordOperations(trx ?? db, operations),
  };
}

const LOG_CHUNK = 200;

const LOG_COLUMNS = [
  'at',
  'tenant_id',
  'provisioning_id',
  'target_id',
  'run_id',
  'object_type',
  'object_id',
  'account_id',
  'action',
  'status',
  'attempt',
  'target_status',
  'changes',
  'message',
  'duration_ms',
] as const satisfies readonly (keyof ProvisioningLogTable)[];

/** Log rows, a page's worth per statement, the statement compiled once per row count. */
const INSERT_LOG_ROWS = preparedInsert(LOG_COLUMNS, (db, rows) =>
  db.insertInto('provisioning_log').values(rows as unknown as Insertable<ProvisioningLogTable>[]),
);

async function recordOperations(
  db: Kysely<DatabaseSchema>,
  operations: readonly OperationRecord[],
): Promise<void> {
  if (operations.length === 0) return;
  const at = new Date().toISOString();
  for (let start = 0; start < operations.length; start += LOG_CHUNK)
    await INSERT_LOG_ROWS(
      db,
      operations.slice(start, start + LOG_CHUNK).map((operation) => ({
        at,
        tenant_id: operation.tenantId,
        provisioning_id: operation.provisioningId,
        target_id: operation.targetId,
        run_id: operation.runId,
        object_type: operation.objectType,
        object_id: operation.objectId,
        account_id: operation.accountId,
        action: operation.action,
        status: operation.status,
        attempt: operation.attempt,
        target_status: operation.targetStatus ?? null,
        changes: operation.changes === undefined ? null : JSON.stringify(operation.changes),
        message: operation.message ?? null,
        duration_ms: operation.durationMs === undefined ? null : Math.round(operation.durationMs),
      })),
    );
  // Events in the operations' order: a failure opens or updates one, a later success closes it.
  let successes: OperationRecord[] = [];
  for (const operation of operations) {
    if (operation.status === 'success') successes.push(operation);
    if (operation.status !== 'failure') continue;
    await closeEvents(db, successes);
    successes = [];
    await db
      .insertInto('provisioning_events')
      .values({
        id: `evt_${randomBytes(8).toString('hex')}`,
        tenant_id: operation.tenantId,
        provisioning_id: operation.provisioningId,
        object_type: operation.objectType,
        object_id: operation.objectId,
        action: operation.action,
        error_code: operation.errorCode ?? null,
        error_message: operation.message ?? 'failed',
        error_count: 1,
        first_failed_at: at,
        last_attempt_at: at,
      })
      .onConflict((conflict) =>
        conflict.columns(['provisioning_id', 'object_type', 'object_id']).doUpdateSet((eb) => ({
          action: operation.action,
          error_code: operation.errorCode ?? null,
          error_message: operation.message ?? 'failed',
          error_count: eb('provisioning_events.error_count', '+', 1),
          last_attempt_at: at,
        })),
      )
      .execute();
  }
  await closeEvents(db, successes);
}

/** Closes the open events of objects whose operation succeeded. */
async function closeEvents(db: Kysely<DatabaseSchema>, successes: readonly OperationRecord[]): Promise<void> {
  const byObjectKind = new Map<
    string,
    { provisioningId: string; objectType: 'User' | 'Group'; ids: string[] }
  >();
  for (const { provisioningId, objectType, objectId } of successes) {
    const key = `${provisioningId}:${objectType}`;
    const entry = byObjectKind.get(key) ?? { provisioningId, objectType, ids: [] };
    entry.ids.push(objectId);
    byObjectKind.set(key, entry);
  }
  for (const { provisioningId, objectType, ids } of byObjectKind.values()) {
    for (let start = 0; start < ids.length; start += LOG_CHUNK) {
      // Most successes have no open event: look first (a read), write only to close one.
      const open = await db
        .selectFrom('provisioning_events')
        .select('id')
        .where('provisioning_id', '=', provisioningId)
        .where('object_type', '=', objectType)
        .where('object_id', 'in', ids.slice(start, start + LOG_CHUNK))
        .execute();
      if (open.length > 0)
        await db
          .deleteFrom('provisioning_events')
          .where(
            'id',
            'in',
            open.map((event) => event.id),
          )
          .execute();
    }
  }
}

export type ProvisioningLogWriter = ReturnType<typeof createProvisioningLogWriter>;

/** Deletes log entries older than the retention, in batches; returns how many went. */
export async function purgeProvisioningLog(
  db: Kysely<DatabaseSchema>,
  retentionDays: number,
  now = Date.now(),
): Promise<number> {
  const before = new Date(now - retentionDays * 86_400_000).toISOString();
  let purged = 0;
  for (;;) {
    const batch = await db
      .selectFrom('provisioning_log')
      .select('seq')
      .where('at', '<', before)
      .orderBy('seq')
      .limit(5000)
      .execute();
    if (batch.length === 0) return purged;
    const last = batch[batch.length - 1]?.seq ?? 0;
    const result = await db
      .deleteFrom('provisioning_log')
      .where('seq', '<=', last)
      .where('at', '<', before)
      .executeTakeFirst();
    purged += Number(result.numDeletedRows);
  }
}
