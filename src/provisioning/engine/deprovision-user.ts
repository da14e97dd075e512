import type { Link } from './link-repository.ts';
import { failure, type ReconcileContext, type ReconcileResult, record } from './reconcile-outcome.ts';

/**
 * Removes a user's account when the user is gone, out of scope or (on a target without a disabled
 * state) disabled: delete it, or disable it when delete is not subscribed. A create whose answer was
 * lost is looked for under the name it was sent with. The link stays, marked, so nothing is forgotten.
 */
export async function deprovision(
  context: ReconcileContext,
  userId: string,
  link: Link | undefined,
  why: string,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, links } = context;
  const started = performance.now();
  if (link === undefined || link.state === 'deleted' || link.state === 'kept')
    return { outcome: 'done', action: 'same' };
  /** The link keeps what it knew; only the account and its state change. */
  const mark = (accountId: string | null, state: 'deleted' | 'disabled') =>
    links.save({ ...link, accountId, state, lastError: null });
  let accountId = link.accountId;
  if (accountId === null) {
    // A create that may or may not have reached the target: look for it by the values it was sent with.
    const filter = userNameFilter(link.pushed.userName);
    if (filter !== undefined) {
      const found = await adapter.findUsers(filter);
      if (!found.ok) return failure(context, userId, null, 'delete', 'deleted', found.error, started);
      accountId = found.value[0]?.id ?? null;
    }
    if (accountId === null) {
      await mark(null, 'deleted');
      return { outcome: 'done', action: 'same' };
    }
  }
  if (p.operations.delete) {
    const deleted = await adapter.deleteUser(accountId);
    if (!deleted.ok) return failure(context, userId, accountId, 'delete', 'deleted', deleted.error, started);
    await mark(accountId, 'deleted');
    await record(context, {
      objectId: userId,
      accountId,
      action: 'delete',
      status: 'success',
      message: `${why}${deleted.value === 'absent' ? '; the account was already gone' : ''}`,
      started,
    });
    return { outcome: 'done', action: 'deleted' };
  }
  if (p.operations.disable && p.capabilities.hasActive && link.state !== 'disabled') {
    const disabled = await adapter.updateUser(accountId, [{ op: 'replace', path: 'active', value: false }], {
      ...fullDocumentOf(link),
      active: false,
    });
    if (!disabled.ok)
      return failure(context, userId, accountId, 'disable', 'updated', disabled.error, started);
    await mark(accountId, 'disabled');
    await record(context, {
      objectId: userId,
      accountId,
      action: 'disable',
      status: 'success',
      message: `${why}; delete is not a subscribed operation`,
      started,
    });
    return { outcome: 'done', action: 'updated' };
  }
  await record(context, {
    objectId: userId,
    accountId,
    action: 'delete',
    status: 'skipped',
    message: `${why}; neither delete nor disable is a subscribed operation the target supports`,
    started,
  });
  return { outcome: 'done', action: 'skipped' };
}

/** The filter that finds the account a create sent with this userName, if it was sent with one. */
export function userNameFilter(userName: unknown): string | undefined {
  return typeof userName === 'string'
    ? `userName eq "${userName.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    : undefined;
}

function fullDocumentOf(link: Link): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...link.pushed };
}
