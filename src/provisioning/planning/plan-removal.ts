import {
  actionFor,
  type CleanupKind,
  type DeprovisionAction,
  type DeprovisionTrigger,
  type DisableMeans,
  describeDisable,
  disableMeans,
} from '../deprovisioning/deprovision-policy.ts';
import { userNameFilter } from '../engine/deprovision-user.ts';
import type { Link } from '../engine/link-repository.ts';
import type { PlannedOperation } from './plan-types.ts';
import type { PlanningContext } from './planning-context.ts';

/** A removal that must pass the deletion guard before it runs. */
export interface Admission {
  readonly action: Exclude<DeprovisionAction, 'keep'>;
  readonly trigger: DeprovisionTrigger;
  /** The link says it is staged already: staging it again logs nothing. */
  readonly alreadyStaged: boolean;
}

/** An object's planned operation; with `admission`, what happens once the deletion guard admits it. */
export interface ObjectPlan {
  readonly operation: PlannedOperation;
  readonly admission?: Admission;
}

type Base = Pick<PlannedOperation, 'objectId' | 'userName' | 'accountId' | 'trigger'>;

const plain = (operation: PlannedOperation): ObjectPlan => ({ operation });

/**
 * What deprovisioning a linked user would do now, decided as engine/deprovision-user.ts and
 * deprovisioning/remove-account.ts decide it, with the target only read (the account, its native
 * blocking states). Mirrors them branch for branch: a change there must be made here too.
 */
export async function planDeprovision(
  c: PlanningContext,
  userId: string,
  link: Link | undefined,
  trigger: DeprovisionTrigger,
): Promise<ObjectPlan> {
  const p = c.provisioning;
  const base: Base = {
    objectId: userId,
    userName: textOf(link?.pushed.userName),
    accountId: link?.accountId ?? null,
    trigger,
  };
  if (link === undefined || link.state === 'deleted' || link.state === 'kept')
    return plain({ ...base, kind: 'none', steps: [] });
  const action = actionFor(p.deprovision, trigger);
  let accountId = link.accountId;
  if (accountId === null) {
    // A create that may or may not have reached the target: looked for under the name it was sent with.
    const filter = userNameFilter(link.pushed.userName);
    if (filter !== undefined) {
      const found = await c.reads.findUsers(filter);
      if (!found.ok) return plain(unknown(base, `looking for the account failed: ${found.error.message}`));
      accountId = found.value[0]?.id ?? null;
    }
    if (accountId === null)
      return plain({
        ...base,
        kind: 'forget',
        steps: [],
        note: 'a create that never reached the target: the link is closed, nothing is sent',
      });
  }
  const found = { ...base, accountId };

  if (action === 'keep') {
    if (trigger === 'removed')
      return plain({ ...found, kind: 'unlink', steps: [{ action: 'unlink', status: 'success' }] });
    if (link.removal?.state === 'kept-by-policy' && link.removal.detail.trigger === trigger)
      return plain({ ...found, kind: 'same', steps: [], note: 'kept by the deprovision policy' });
    return plain({
      ...found,
      kind: 'keep',
      steps: [{ action: 'keep', status: 'skipped' }],
      note: 'the deprovision policy keeps the account; the link stays',
    });
  }

  const current = { ...link, accountId };
  // Inside a disable-then-delete grace period: nothing until it ends (its end was admitted with the disable).
  if (link.state === 'disabled' && typeof link.deleteAfter === 'string') {
    if (action !== 'disable-then-delete' && action !== 'delete')
      return plain({ ...found, kind: 'same', steps: [] });
    if (action === 'disable-then-delete' && c.now < Date.parse(link.deleteAfter))
      return plain({
        ...found,
        kind: 'waiting',
        steps: [],
        deleteAt: link.deleteAfter,
        note: `disabled; deleted when its grace period ends at ${link.deleteAfter}`,
      });
    return plain(await planRemoveAccount(c, current, found));
  }
  if (action === 'disable' && link.state === 'disabled') return plain({ ...found, kind: 'same', steps: [] });

  let admitted: PlannedOperation;
  if (action === 'delete') admitted = await planRemoveAccount(c, current, found);
  else {
    const means = disableMeans({
      hasActive: p.capabilities.hasActive,
      hasNativeApi: c.reads.inspect !== undefined,
    });
    const graceEnd =
      action === 'disable-then-delete'
        ? new Date(c.now + p.deprovision.gracePeriodSeconds * 1000).toISOString()
        : null;
    admitted =
      means === 'delete'
        ? await planRemoveAccount(c, current, { ...found, substitution: describeDisable(means) })
        : await planRevoke(c, current, found, means, graceEnd);
  }
  // A provisioning removed with Delete is an admin's command for every account: the guard does not
  // hold it (deprovision-user.ts).
  if (trigger === 'removed') return plain(admitted);
  return {
    operation: admitted,
    admission: { action, trigger, alreadyStaged: link.removal?.state === 'staged' },
  };
}

/** The same operation held by the deletion guard: staged, logged once as a warning. */
export function stagedOperation(
  admitted: PlannedOperation,
  admission: Admission,
  reason: string,
): PlannedOperation {
  const { steps: _steps, cleanup: _cleanup, deleteAt: _deleteAt, note: _note, ...rest } = admitted;
  return {
    ...rest,
    kind: 'staged',
    staged: { reason, already: admission.alreadyStaged },
    steps: admission.alreadyStaged
      ? []
      : [{ action: admission.action === 'delete' ? 'delete' : 'disable', status: 'warning' }],
    note: `would ${admitted.kind === 'blocked' ? 'delete (blocked)' : admitted.kind}; staged until an admin approves or rejects it`,
  };
}

/** remove-account.ts `removeAccount`: backup, clear what the policy allows, delete, verify. */
async function planRemoveAccount(
  c: PlanningContext,
  link: Link & { accountId: string },
  base: Base & { substitution?: string },
): Promise<PlannedOperation> {
  const p = c.provisioning;
  if (!p.operations.delete) {
    if (p.capabilities.hasActive && p.operations.disable && link.state !== 'disabled')
      return {
        ...(await planRevoke(c, link, base, 'active-false', null)),
        note: 'delete is not a subscribed operation: disabled instead',
      };
    return {
      ...base,
      kind: 'skipped',
      steps: [{ action: 'delete', status: 'skipped' }],
      note: 'neither delete nor disable is a subscribed operation the target supports',
    };
  }
  const read = await readAccount(c, link);
  if (read.kind === 'unknown') return unknown(base, read.message);
  if (read.kind === 'gone')
    return {
      ...base,
      kind: 'delete',
      steps: [{ action: 'delete', status: 'success' }],
      note: 'already gone',
    };
  const allowed = new Set<CleanupKind>(p.deprovision.cleanup);
  if (c.reads.inspect === undefined || read.userName === undefined)
    return {
      ...base,
      userName: read.userName ?? base.userName,
      kind: 'delete',
      steps: [{ action: 'delete', status: 'success' }],
      ...(c.reads.inspect === undefined
        ? {
            note: "no native API: a refusal for states SCIM cannot clear (RAM's DeleteConflict) would leave it blocked",
          }
        : {}),
    };
  const inspected = await c.reads.inspect(read.userName);
  if (!inspected.ok) return unknown(base, `native inspection failed: ${inspected.error.message}`);
  const states = inspected.value === 'absent' ? [] : inspected.value.states;
  const blockedBy = states.filter((kind) => !allowed.has(kind));
  return {
    ...base,
    userName: read.userName,
    kind: blockedBy.length > 0 ? 'blocked' : 'delete',
    cleanup: { states: states.map((kind) => ({ kind, allowed: allowed.has(kind) })), blockedBy },
    steps: [{ action: 'delete', status: blockedBy.length > 0 ? 'failure' : 'success' }],
    ...(blockedBy.length > 0
      ? { note: `blocked by ${blockedBy.join(', ')}: the policy does not allow clearing it` }
      : {}),
  };
}

/** remove-account.ts `revokeAccount`: backup, then active=false or the native revocation. */
async function planRevoke(
  c: PlanningContext,
  link: Link & { accountId: string },
  base: Base,
  means: Exclude<DisableMeans, 'delete'>,
  graceEnd: string | null,
): Promise<PlannedOperation> {
  const p = c.provisioning;
  const later = graceEnd === null ? {} : { deleteAt: graceEnd };
  if (means === 'active-false' && !p.operations.disable)
    return {
      ...base,
      kind: 'skipped',
      steps: [{ action: 'disable', status: 'skipped' }],
      note: 'disable is not a subscribed operation',
    };
  const read = await readAccount(c, link);
  if (read.kind === 'unknown') return unknown(base, read.message);
  if (read.kind === 'gone')
    return {
      ...base,
      kind: 'delete',
      steps: [{ action: 'delete', status: 'success' }],
      note: 'already gone',
    };
  if (means === 'active-false')
    return {
      ...base,
      kind: 'disable',
      changes: { active: { old: true, new: false } },
      steps: [{ action: 'disable', status: 'success' }],
      ...later,
    };
  const substitution = describeDisable(means);
  if (c.reads.inspect === undefined || read.userName === undefined)
    return planRemoveAccount(c, link, { ...base, substitution: describeDisable('delete') });
  const inspected = await c.reads.inspect(read.userName);
  if (!inspected.ok) return unknown(base, `native inspection failed: ${inspected.error.message}`);
  if (inspected.value === 'absent')
    return planRemoveAccount(c, link, { ...base, substitution: describeDisable('delete') });
  return {
    ...base,
    userName: read.userName,
    kind: 'revoke',
    substitution,
    steps: [{ action: 'revoke', status: 'success' }],
    ...later,
  };
}

type AccountRead =
  | { readonly kind: 'found'; readonly userName: string | undefined }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unknown'; readonly message: string };

/** The account as the backup would read it: present (under which name) or gone. */
async function readAccount(c: PlanningContext, link: Link & { accountId: string }): Promise<AccountRead> {
  const read = await c.reads.getUser(link.accountId);
  if (!read.ok) return { kind: 'unknown', message: `reading the account failed: ${read.error.message}` };
  if (read.value === undefined) return { kind: 'gone' };
  return {
    kind: 'found',
    userName: textOf(read.value.document.userName) ?? textOf(link.pushed.userName) ?? undefined,
  };
}

function unknown(base: Base, message: string): PlannedOperation {
  return { ...base, kind: 'unknown', steps: [], note: message };
}

export function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
