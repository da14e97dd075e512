import { actionFor, triggerFor } from '../deprovisioning/deprovision-policy.ts';
import type { DirectoryUser } from '../engine/compiled-provisioning.ts';
import { userNameFilter } from '../engine/deprovision-user.ts';
import type { Link } from '../engine/link-repository.ts';
import { createdChanges } from '../engine/reconcile-outcome.ts';
import { diffAttributes } from '../engine/reconcile-user.ts';
import { type ObjectPlan, planDeprovision, textOf } from './plan-removal.ts';
import type { PlannedOperation, PlannedStep } from './plan-types.ts';
import type { PlanningContext } from './planning-context.ts';

/**
 * What reconciling one user would do now (engine/reconcile-user.ts), computed with the target only
 * read: the matching lookups that decide between create, take over and refuse, the attribute diff
 * of an update from the link's last pushed values, and the removal the deprovision policy makes.
 * Mirrors reconcile-user.ts branch for branch: a change there must be made here too.
 */
export async function planUser(
  c: PlanningContext,
  userId: string,
  user: DirectoryUser | undefined,
  link: Link | undefined,
): Promise<ObjectPlan> {
  const p = c.provisioning;
  const trigger = triggerFor(p, user);
  if (trigger !== undefined && !(trigger === 'disabled' && actionFor(p.deprovision, trigger) === 'keep'))
    return planDeprovision(c, userId, link, trigger);
  if (user === undefined) return { operation: { ...identity(userId, link), kind: 'same', steps: [] } };
  if (link === undefined || link.accountId === null || link.state === 'deleted' || link.state === 'kept')
    return { operation: await planProvision(c, user, link) };
  let current = link;
  let before: PlannedStep[] | undefined;
  // Back in scope (or enabled again) after a native revocation: its dependents come back first.
  if (link.state === 'disabled' && !p.capabilities.hasActive) {
    before = [];
    const backup = await c.backups.latestFor(p.id, link.objectId);
    if (c.reads.inspect !== undefined && backup?.native != null && backup.userName !== null)
      before.push({
        action: 'enable',
        status: null,
        message: `restore its groups and policies from backup ${backup.id}`,
      });
    current = { ...link, state: 'active', deleteAfter: null, removal: null };
  }
  return {
    operation: planUpdate(c, user, current, false, before ?? [], before !== undefined),
  };
}

/** reconcile-user.ts `provision`: match (first match wins), then take over, refuse or create. */
async function planProvision(
  c: PlanningContext,
  user: DirectoryUser,
  link: Link | undefined,
): Promise<PlannedOperation> {
  const p = c.provisioning;
  const base = identity(user.id, link);
  const projection = p.project(user, 'create');
  if (!projection.ok)
    return failed(base, [{ action: 'create', status: 'failure', message: projection.message }]);
  const named = { ...base, userName: textOf(projection.attributes.userName) ?? base.userName };
  const matching = p.matchFilters(user, projection.attributes);
  if (!matching.ok) return failed(named, [{ action: 'match', status: 'failure', message: matching.message }]);
  const earlier = link?.state === 'creating' ? userNameFilter(link.pushed.userName) : undefined;
  const filters =
    earlier === undefined || matching.filters.includes(earlier)
      ? matching.filters
      : [earlier, ...matching.filters];
  for (const filter of filters) {
    const found = await c.reads.findUsers(filter);
    if (!found.ok)
      return { ...named, kind: 'unknown', steps: [], note: `matching lookup failed: ${found.error.message}` };
    const candidate = found.value[0];
    if (candidate === undefined) continue;
    const linkedElsewhere = await c.links.findByAccount(p.id, candidate.id);
    const sentExternalId = link?.pushed.externalId;
    const ours =
      (link?.state === 'creating' &&
        (typeof sentExternalId !== 'string' || sameText(candidate.document.externalId, sentExternalId))) ||
      (linkedElsewhere?.objectId === user.id && linkedElsewhere.state !== 'kept');
    const matched = { ...named, accountId: candidate.id };
    if (
      linkedElsewhere !== undefined &&
      linkedElsewhere.objectId !== user.id &&
      linkedElsewhere.state !== 'deleted'
    )
      return failed(matched, [
        {
          action: 'match',
          status: 'failure',
          message: `The matching account ${candidate.id} is already linked to ${linkedElsewhere.objectId}`,
        },
      ]);
    if (ours || p.duplicationStrategy === 'TakeOver') {
      const lostCreate = ours && link?.state === 'creating';
      const linked: Link = {
        provisioningId: p.id,
        objectType: 'User',
        objectId: user.id,
        tenantId: p.tenantId,
        accountId: candidate.id,
        state: 'active',
        createdByUs: ours || (link?.createdByUs ?? false),
        pushed: lostCreate ? (link?.pushed ?? {}) : {},
        lastError: null,
        createdAt: link?.createdAt ?? '',
        updatedAt: '',
      };
      const updated = planUpdate(c, user, linked, user.doc.active === false, [
        {
          action: 'link',
          status: 'success',
          message: ours
            ? 'found the account an earlier create made'
            : `take over the existing account matched by ${filter}`,
        },
      ]);
      return {
        ...updated,
        kind: updated.kind === 'failed' || updated.kind === 'skipped' ? updated.kind : 'link',
        note: ours
          ? 'an earlier create whose answer was lost'
          : `takes over the account matched by ${filter}`,
      };
    }
    if (p.duplicationStrategy === 'Fail')
      return failed(matched, [
        {
          action: 'create',
          status: 'failure',
          message: `An account that Lockstep did not create already matches (${filter}); the duplication strategy is Fail`,
        },
      ]);
    return {
      ...created(named, projection.attributes),
      note: `KeepBoth: created beside the account matched by ${filter}, under another name`,
    };
  }
  if (!p.operations.create)
    return {
      ...named,
      kind: 'skipped',
      steps: [{ action: 'create', status: 'skipped' }],
      note: 'create is not a subscribed operation',
    };
  return created(named, projection.attributes);
}

/** reconcile-user.ts `update`: the changed attributes (PATCH, or PUT of the document), disable or enable. */
function planUpdate(
  c: PlanningContext,
  user: DirectoryUser,
  link: Link,
  wantsDisabled: boolean,
  /** Steps before the update (a take-over's link, a reinstatement's restore). */
  before: readonly PlannedStep[],
  /** Back in scope after a native revocation: the link becomes active again even with nothing to send. */
  reinstated = false,
): PlannedOperation {
  const p = c.provisioning;
  const base = { ...identity(user.id, link), accountId: link.accountId };
  const projection = p.project(user, 'update');
  if (!projection.ok)
    return failed(base, [...before, { action: 'update', status: 'failure', message: projection.message }]);
  const named = { ...base, userName: textOf(projection.attributes.userName) ?? base.userName };
  const { changes, operations } = diffAttributes(link.pushed, projection.attributes);
  const disable = p.capabilities.hasActive && wantsDisabled && link.state !== 'disabled';
  const enable = p.capabilities.hasActive && !wantsDisabled && link.state === 'disabled';
  if (
    (disable && !p.operations.disable) ||
    (!disable && !enable && operations.length > 0 && !p.operations.update)
  ) {
    const action = disable ? 'disable' : 'update';
    return {
      ...named,
      kind: 'skipped',
      steps: [...before, { action, status: 'skipped' }],
      note: `${action} is not a subscribed operation`,
    };
  }
  if (operations.length === 0 && !disable && !enable)
    return reinstated
      ? { ...named, kind: 'enable', steps: before, note: 'back in scope after a revocation: active again' }
      : { ...named, kind: 'same', steps: before };
  if ((disable || enable) && !('active' in changes)) changes.active = { old: !enable, new: !disable };
  const action = disable ? 'disable' : enable ? 'enable' : 'update';
  return {
    ...named,
    kind: reinstated && action === 'update' ? 'enable' : action,
    changes,
    steps: [...before, { action, status: 'success' }],
  };
}

function created(
  base: Omit<PlannedOperation, 'kind' | 'steps'>,
  attributes: Readonly<Record<string, unknown>>,
): PlannedOperation {
  return {
    ...base,
    kind: 'create',
    changes: createdChanges(attributes),
    steps: [{ action: 'create', status: 'success' }],
  };
}

function failed(base: Omit<PlannedOperation, 'kind' | 'steps'>, steps: PlannedStep[]): PlannedOperation {
  return { ...base, kind: 'failed', steps, note: steps[steps.length - 1]?.message ?? 'refused' };
}

function identity(objectId: string, link: Link | undefined) {
  return {
    objectId,
    userName: textOf(link?.pushed.userName),
    accountId: link?.accountId ?? null,
  };
}

function sameText(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}
