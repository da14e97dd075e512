import type { Link } from '../engine/link-repository.ts';
import { failure, type ReconcileContext, type ReconcileResult, record } from '../engine/reconcile-outcome.ts';
import type { AccountBackup } from './account-backups.ts';
import type { NativeInspection } from './native-account-api.ts';
import { nativeFailure } from './removal-log.ts';

export type Backed =
  | { readonly kind: 'gone' }
  | {
      readonly kind: 'taken';
      readonly backup: AccountBackup;
      readonly userName: string | undefined;
      readonly inspection: NativeInspection | undefined;
    }
  | { readonly kind: 'failed'; readonly result: ReconcileResult };

/**
 * Before any destructive step: the account as the target reports it (SCIM GET) and, where a native
 * API is configured, its dependents (never secret values), saved as a backup and logged.
 */
export async function takeBackup(
  context: ReconcileContext,
  link: Link & { accountId: string },
  reason: 'delete' | 'disable' | 'revoke',
  started: number,
): Promise<Backed> {
  const { provisioning: p, adapter, native } = context;
  const read = await adapter.getUser(link.accountId);
  if (!read.ok)
    return {
      kind: 'failed',
      result: await failure(context, link.objectId, link.accountId, 'backup', 'deleted', read.error, started),
    };
  if (read.value === undefined) return { kind: 'gone' };
  const document = read.value.document;
  const userName =
    typeof document.userName === 'string'
      ? document.userName
      : typeof link.pushed.userName === 'string'
        ? link.pushed.userName
        : undefined;
  let inspection: NativeInspection | undefined;
  if (native !== undefined && userName !== undefined) {
    const inspected = await native.inspect(userName);
    if (!inspected.ok)
      return {
        kind: 'failed',
        result: await nativeFailure(context, link, 'backup', inspected.error, started),
      };
    if (inspected.value !== 'absent') inspection = inspected.value;
  }
  const backup = await context.deprovisioning.backups.save({
    tenantId: p.tenantId,
    provisioningId: p.id,
    targetId: p.targetId,
    objectId: link.objectId,
    accountId: link.accountId,
    userName: userName ?? null,
    reason,
    scimDocument: document,
    native: inspection?.snapshot ?? null,
    retentionDays: p.deprovision.backupRetentionDays,
  });
  await record(context, {
    objectId: link.objectId,
    accountId: link.accountId,
    action: 'backup',
    status: 'success',
    message: `backup ${backup.id} taken before ${reason}${
      inspection === undefined
        ? ''
        : `; blocking states: ${inspection.states.length === 0 ? 'none' : inspection.states.join(', ')}`
    }`,
    started,
  });
  return { kind: 'taken', backup, userName, inspection };
}
