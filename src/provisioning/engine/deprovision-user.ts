import {
  actionFor,
  type DeprovisionTrigger,
  describeDisable,
  disableMeans,
  TRIGGER_WORDS,
} from '../deprovisioning/deprovision-policy.ts';
import { removeAccount, revokeAccount } from '../deprovisioning/remove-account.ts';
import type { Link } from './link-repository.ts';
import { failure, type ReconcileContext, type ReconcileResult, record } from './reconcile-outcome.ts';

/**
 * Takes a user's access away on one target as the provisioning's deprovision policy says for why
 * (deleted, disabled, out of scope, provisioning removed): delete now, disable and delete when the
 * grace period ends, disable only, or keep. Every removal passes the deletion guard first, takes a
 * backup, and a delete clears blocking states through the native API and verifies the account is
 * gone (remove-account.ts). A create whose answer was lost is looked for under the name it was sent
 * with. The link stays, marked, so nothing is forgotten.
 */
export async function deprovision(
  context: ReconcileContext,
  userId: string,
  link: Link | undefined,
  trigger: DeprovisionTrigger,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, links } = context;
  const started = performance.now();
  if (link === undefined || link.state === 'deleted' || link.state === 'kept')
    return { outcome: 'done', action: 'same' };
  const action = actionFor(p.deprovision, trigger);
  const why = TRIGGER_WORDS[trigger];
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
      await links.save({ ...link, accountId: null, state: 'deleted', lastError: null });
      return { outcome: 'done', action: 'same' };
    }
  }

  if (action === 'keep') {
    if (trigger === 'removed') {
      await links.save({ ...link, accountId, state: 'kept', lastError: null });
      await record(context, {
        objectId: userId,
        accountId,
        action: 'unlink',
        status: 'success',
        message: `${why}; the deprovision policy keeps the account`,
        started,
      });
      return { outcome: 'done', action: 'skipped' };
    }
    if (link.removal?.state === 'kept-by-policy' && link.removal.detail.trigger === trigger)
      return { outcome: 'done', action: 'same' };
    await links.save({
      ...link,
      accountId,
      removal: { state: 'kept-by-policy', detail: { trigger }, since: new Date().toISOString() },
    });
    await record(context, {
      objectId: userId,
      accountId,
      action: 'keep',
      status: 'skipped',
      message: `${why}; the deprovision policy keeps the account (the link stays, so a later delete is still acted on)`,
      started,
    });
    return { outcome: 'done', action: 'skipped' };
  }

  const current = { ...link, accountId };
  // Inside a disable-then-delete grace period: nothing until it ends. Its end was admitted with the disable.
  if (link.state === 'disabled' && typeof link.deleteAfter === 'string') {
    if (action !== 'disable-then-delete' && action !== 'delete') return { outcome: 'done', action: 'same' };
    if (action === 'disable-then-delete' && Date.now() < Date.parse(link.deleteAfter))
      return { outcome: 'done', action: 'same' };
    return removeAccount(
      context,
      current,
      action === 'delete' ? why : `${why}; the grace period ended ${link.deleteAfter}`,
    );
  }
  if (action === 'disable' && link.state === 'disabled') return { outcome: 'done', action: 'same' };

  // Removing a provisioning with Delete is an admin's explicit command for every account (a plan shows
  // them first): the guard, which protects against removals nobody asked for, does not hold it up.
  const admission =
    trigger === 'removed'
      ? ({ admitted: true } as const)
      : await context.deprovisioning.guard.admit(
          { id: p.id, tenantId: p.tenantId, guard: p.deprovision.deletionGuard },
          { objectId: userId, accountId, action, trigger },
        );
  if (!admission.admitted) {
    if (link.removal?.state === 'staged') return { outcome: 'done', action: 'skipped' };
    await links.save({
      ...current,
      removal: {
        state: 'staged',
        detail: { action, trigger, reason: admission.reason },
        since: new Date().toISOString(),
      },
    });
    await record(context, {
      objectId: userId,
      accountId,
      action: action === 'delete' ? 'delete' : 'disable',
      status: 'warning',
      message: `${why}; staged, not executed — ${admission.reason}`,
      errorCode: 'staged',
      started,
    });
    return { outcome: 'done', action: 'skipped' };
  }

  let result: ReconcileResult;
  if (action === 'delete') result = await removeAccount(context, current, why);
  else {
    const means = disableMeans({
      hasActive: p.capabilities.hasActive,
      hasNativeApi: context.native !== undefined,
    });
    const graceEnd =
      action === 'disable-then-delete'
        ? new Date(Date.now() + p.deprovision.gracePeriodSeconds * 1000).toISOString()
        : null;
    result =
      means === 'delete'
        ? await removeAccount(context, current, `${why}; ${describeDisable(means)}`)
        : await revokeAccount(context, current, why, means, graceEnd);
  }
  if (result.outcome === 'done') await context.deprovisioning.guard.settle(p.id, userId);
  return result;
}

/** The filter that finds the account a create sent with this userName, if it was sent with one. */
export function userNameFilter(userName: unknown): string | undefined {
  return typeof userName === 'string'
    ? `userName eq "${userName.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    : undefined;
}
