import type { Link } from '../engine/link-repository.ts';
import { failure, type ReconcileContext, type ReconcileResult, record } from '../engine/reconcile-outcome.ts';
import type { AccountBackup } from './account-backups.ts';
import { type DisableMeans, describeDisable } from './deprovision-policy.ts';
import type { BlockingState } from './native-account-api.ts';
import { nativeFailure, recordSteps } from './removal-log.ts';
import { takeBackup } from './take-backup.ts';

/** How often a blocked removal is tried again (the removal sweeper re-enqueues it). */
export const blockedRecheckMs = (): number => Number(process.env.LOCKSTEP_BLOCKED_RECHECK_MS ?? 60_000);

/**
 * Deletes the account: backup, clear the blocking states the policy allows through the native API
 * (in the documented order), delete, then verify it is gone. A state the policy does not allow, or a
 * refusal the SCIM side cannot explain, leaves the removal blocked with what a person must do; it is
 * tried again every blockedRecheckMs() and completes by itself once the state is cleared.
 */
export async function removeAccount(
  context: ReconcileContext,
  link: Link,
  why: string,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, native, links } = context;
  const started = performance.now();
  const accountId = link.accountId as string;
  const current = { ...link, accountId };
  if (!p.operations.delete) {
    if (p.capabilities.hasActive && p.operations.disable && link.state !== 'disabled')
      return revokeAccount(
        context,
        current,
        `${why}; delete is not a subscribed operation`,
        'active-false',
        null,
      );
    await record(context, {
      objectId: link.objectId,
      accountId,
      action: 'delete',
      status: 'skipped',
      message: `${why}; neither delete nor disable is a subscribed operation the target supports`,
      started,
    });
    return { outcome: 'done', action: 'skipped' };
  }
  const backed = await takeBackup(context, current, 'delete', started);
  if (backed.kind === 'failed') return backed.result;
  if (backed.kind === 'gone')
    return markGone(context, current, `${why}; the account was already gone`, started);

  const { backup, userName, inspection } = backed;
  if (
    native !== undefined &&
    userName !== undefined &&
    inspection !== undefined &&
    inspection.states.length > 0
  ) {
    const cleared = await native.clear(userName, inspection.snapshot, new Set(p.deprovision.cleanup));
    if (!cleared.ok) return nativeFailure(context, current, 'cleanup', cleared.error, started);
    await recordSteps(context, current, 'cleanup', cleared.value.steps);
    if (cleared.value.blocked.length > 0)
      return block(context, current, cleared.value.blocked, backup, why, started);
  }

  const deleted = await adapter.deleteUser(accountId);
  if (!deleted.ok) {
    if (deleted.error.kind === 'conflict' || deleted.error.status === 409) {
      if (native === undefined)
        return block(
          context,
          current,
          [
            {
              state: 'Unknown',
              kind: 'accessKeys',
              instruction: `the target refused the delete (${deleted.error.message}); it has states SCIM cannot clear — configure the target's native API so Lockstep can clear them, or clear them by hand`,
            },
          ],
          backup,
          why,
          started,
        );
      // A state appeared between the cleanup and the delete: the next attempt inspects and clears again.
      return failure(context, link.objectId, accountId, 'delete', 'deleted', deleted.error, started);
    }
    return failure(context, link.objectId, accountId, 'delete', 'deleted', deleted.error, started);
  }

  const verified = await verifyGone(context, current, userName);
  if (verified !== undefined) return verified;
  await links.save({ ...current, state: 'deleted', lastError: null, deleteAfter: null, removal: null });
  await record(context, {
    objectId: link.objectId,
    accountId,
    action: 'delete',
    status: 'success',
    message: `${why}; verified gone${native !== undefined ? ' (SCIM and native API)' : ''}; backup ${backup.id}`,
    started,
  });
  return { outcome: 'done', action: 'deleted' };
}

/**
 * Disables the account, or on a target without a disabled state revokes its access through the native
 * API, after a backup. With a grace end the account is deleted then, unless restored or back in scope.
 */
export async function revokeAccount(
  context: ReconcileContext,
  link: Link & { accountId: string },
  why: string,
  means: Exclude<DisableMeans, 'delete'>,
  graceEnd: string | null,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, native, links } = context;
  const started = performance.now();
  if (means === 'active-false' && !p.operations.disable) {
    await record(context, {
      objectId: link.objectId,
      accountId: link.accountId,
      action: 'disable',
      status: 'skipped',
      message: `${why}; disable is not a subscribed operation`,
      started,
    });
    return { outcome: 'done', action: 'skipped' };
  }
  const backed = await takeBackup(context, link, means === 'active-false' ? 'disable' : 'revoke', started);
  if (backed.kind === 'failed') return backed.result;
  if (backed.kind === 'gone') return markGone(context, link, `${why}; the account was already gone`, started);
  let action = 'disable';
  if (means === 'active-false') {
    const disabled = await adapter.updateUser(
      link.accountId,
      [{ op: 'replace', path: 'active', value: false }],
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        ...link.pushed,
        active: false,
      },
    );
    if (!disabled.ok)
      return failure(context, link.objectId, link.accountId, 'disable', 'updated', disabled.error, started);
  } else {
    action = 'revoke';
    if (native === undefined || backed.userName === undefined || backed.inspection === undefined)
      return removeAccount(context, link, `${why}; ${describeDisable('delete')}`);
    const revoked = await native.revoke(backed.userName, backed.inspection.snapshot);
    if (!revoked.ok) return nativeFailure(context, link, 'revoke', revoked.error, started);
    await recordSteps(context, link, 'revoke', revoked.value.steps);
  }
  await links.save({ ...link, state: 'disabled', lastError: null, deleteAfter: graceEnd, removal: null });
  await record(context, {
    objectId: link.objectId,
    accountId: link.accountId,
    action,
    status: 'success',
    message: `${why}; ${describeDisable(means)}${graceEnd === null ? '' : `; deleted at ${graceEnd} unless restored or back in scope`}; backup ${backed.backup.id}`,
    started,
  });
  return { outcome: 'done', action: 'updated' };
}

async function markGone(
  context: ReconcileContext,
  link: Link & { accountId: string },
  message: string,
  started: number,
): Promise<ReconcileResult> {
  await context.links.save({ ...link, state: 'deleted', lastError: null, deleteAfter: null, removal: null });
  await record(context, {
    objectId: link.objectId,
    accountId: link.accountId,
    action: 'delete',
    status: 'success',
    message,
    started,
  });
  return { outcome: 'done', action: 'deleted' };
}

/** The delete answered; the account must now be absent on every side Lockstep can read. */
async function verifyGone(
  context: ReconcileContext,
  link: Link & { accountId: string },
  userName: string | undefined,
): Promise<ReconcileResult | undefined> {
  const started = performance.now();
  const read = await context.adapter.getUser(link.accountId);
  if (!read.ok)
    return failure(context, link.objectId, link.accountId, 'verify', 'deleted', read.error, started);
  let stillThere = read.value !== undefined;
  if (!stillThere && context.native !== undefined && userName !== undefined) {
    const gone = await context.native.verifyGone(userName);
    if (!gone.ok) return nativeFailure(context, link, 'verify', gone.error, started);
    stillThere = !gone.value;
  }
  if (!stillThere) {
    await record(context, {
      objectId: link.objectId,
      accountId: link.accountId,
      action: 'verify',
      status: 'success',
      message: 'the account is gone',
      started,
    });
    return undefined;
  }
  const message = 'the target answered the delete, but the account still exists; will retry';
  const retryable = context.attempt < context.maxAttempts;
  await record(context, {
    objectId: link.objectId,
    accountId: link.accountId,
    action: 'verify',
    status: retryable ? 'warning' : 'failure',
    message,
    started,
  });
  return retryable
    ? { outcome: 'retry', afterMs: undefined, error: message, action: 'deleted' }
    : { outcome: 'failed', error: message, action: 'deleted' };
}

/** The delete waits for a person: the link says what blocks it and what to do; the sweeper tries again. */
async function block(
  context: ReconcileContext,
  link: Link & { accountId: string },
  blocked: readonly BlockingState[],
  backup: AccountBackup,
  why: string,
  started: number,
): Promise<ReconcileResult> {
  const states = blocked.map((entry) => entry.state);
  const message = `${why}; delete blocked by ${states.join(', ')} (not allowed to be cleared automatically): ${blocked
    .map((entry) => entry.instruction)
    .join('; ')}. Retried automatically every ${Math.round(blockedRecheckMs() / 1000)} s.`;
  const since = link.removal?.state === 'blocked' ? link.removal.since : new Date().toISOString();
  await context.links.save({
    ...link,
    lastError: message,
    removal: {
      state: 'blocked',
      detail: {
        action: 'delete',
        states,
        steps: blocked.map((entry) => entry.instruction),
        backupId: backup.id,
      },
      since,
    },
  });
  await record(context, {
    objectId: link.objectId,
    accountId: link.accountId,
    action: 'delete',
    status: 'failure',
    message,
    errorCode: `blocked:${states.join(',')}`,
    targetStatus: 409,
    started,
  });
  return { outcome: 'failed', error: message, action: 'deleted' };
}
