import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../../storage/database-schema.ts';

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
    async record(operation: OperationRecord): Promise<void> {
      const at = new Date().toISOString();
      await db
        .insertInto('provisioning_log')
        .values({
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
        })
        .execute();
      if (operation.status === 'failure') {
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
      } else if (operation.status === 'success') {
        // Most successes have no open event: look first (a read), write only to close one.
        const open = await db
          .selectFrom('provisioning_events')
          .select('id')
          .where('provisioning_id', '=', operation.provisioningId)
          .where('object_type', '=', operation.objectType)
          .where('object_id', '=', operation.objectId)
          .executeTakeFirst();
        if (open !== undefined)
          await db.deleteFrom('provisioning_events').where('id', '=', open.id).execute();
      }
    },
  };
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
