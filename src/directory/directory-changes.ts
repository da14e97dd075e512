import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

/**
 * The directory's outbox: every write to a user or group records a change in the same transaction,
 * so the provisioning engine hears of every change exactly when it is committed, and of none that is
 * rolled back. A change names the object, not what changed: the engine reads the current state.
 * @see DESIGN.md "How data flows"
 */
export async function recordDirectoryChanges(
  trx: Kysely<DatabaseSchema>,
  tenantId: string,
  objectType: 'User' | 'Group',
  objectIds: readonly string[],
  change: 'upsert' | 'delete',
): Promise<void> {
  if (objectIds.length === 0) return;
  const at = new Date().toISOString();
  await trx
    .insertInto('directory_changes')
    .values(
      objectIds.map((objectId) => ({
        tenant_id: tenantId,
        object_type: objectType,
        object_id: objectId,
        change,
        at,
      })),
    )
    .execute();
}
