import type { PatchOperation } from '../../targets/adapters/scim-target-adapter.ts';
import { actionFor, triggerFor } from '../deprovisioning/deprovision-policy.ts';
import { reinstateRevoked } from '../deprovisioning/reinstate-revoked.ts';
import type { DirectoryUser } from './compiled-provisioning.ts';
import { deprovision, userNameFilter } from './deprovision-user.ts';
import type { Link } from './link-repository.ts';
import {
  createdChanges,
  fail,
  failure,
  linkBase,
  type ReconcileContext,
  type ReconcileResult,
  record,
} from './reconcile-outcome.ts';
import { withTranslatedReferences } from './with-translated-references.ts';

export type { ReconcileAction, ReconcileContext, ReconcileResult } from './reconcile-outcome.ts';
export { isRetryable } from './reconcile-outcome.ts';

const MAX_KEEP_BOTH_ATTEMPTS = 20;

/**
 * Brings one user's account on one target to what the directory says, from whatever state it is in
 * (level-triggered, so running it twice, or after a crash, is safe):
 * - in scope and no account: find one by the matching attributes (first match wins); a match that is
 *   our own unfinished create is adopted, another is handled by the duplication strategy; else create;
 * - in scope with an account: send the attributes that changed since the last push (PATCH) or the whole
 *   document (PUT targets), disable or enable as `active` says;
 * - gone or out of scope: delete (or disable) the account. The link stays, so nothing is forgotten.
 * A create is marked on the link before it is sent, so a create whose answer was lost is recognised
 * on the retry instead of producing a duplicate.
 */
export function reconcileUser(
  context: ReconcileContext,
  userId: string,
  user: DirectoryUser | undefined,
): Promise<ReconcileResult> {
  // References (the manager) go to the target as its account ids (with-translated-references.ts).
  return withTranslatedReferences(context, userId, user, (translated) =>
    reconcileTranslated(translated, userId, user),
  );
}

async function reconcileTranslated(
  context: ReconcileContext,
  userId: string,
  user: DirectoryUser | undefined,
): Promise<ReconcileResult> {
  const { provisioning: p, links } = context;
  const link = await links.find(p.id, 'User', userId);
  const trigger = triggerFor(p, user);
  // A policy that keeps a disabled user's account leaves it enabled (and up to date); every other
  // removal goes through the deletion guard, a backup and the policy.
  if (trigger !== undefined && !(trigger === 'disabled' && actionFor(p.deprovision, trigger) === 'keep'))
    return deprovision(context, userId, link, trigger);
  if (user === undefined) return { outcome: 'done', action: 'same' };
  if (link === undefined || link.accountId === null || link.state === 'deleted' || link.state === 'kept')
    return provision(context, user, link);
  // Back in scope (or enabled again) after a native revocation: its dependents come back first.
  if (link.state === 'disabled' && !p.capabilities.hasActive) {
    await reinstateRevoked(context, { ...link, accountId: link.accountId });
    return update(context, user, (await links.find(p.id, 'User', userId)) ?? link, false);
  }
  // Here the user is enabled, or disabled under a policy that keeps its account enabled.
  return update(context, user, link, false);
}

async function provision(
  context: ReconcileContext,
  user: DirectoryUser,
  link: Link | undefined,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, links } = context;
  const started = performance.now();
  const projection = p.project(user, 'create');
  if (!projection.ok) return fail(context, user.id, null, 'create', 'created', projection.message, started);

  const matching = p.matchFilters(user, projection.attributes);
  if (!matching.ok) return fail(context, user.id, null, 'match', 'skipped', matching.message, started);
  // A create whose answer was lost reached the target, if at all, under the name it was sent with; a
  // rename since then must not hide it (a second create would duplicate the account): look there first.
  const earlier = link?.state === 'creating' ? userNameFilter(link.pushed.userName) : undefined;
  const filters =
    earlier === undefined || matching.filters.includes(earlier)
      ? matching.filters
      : [earlier, ...matching.filters];
  for (const filter of filters) {
    const found = await adapter.findUsers(filter);
    if (!found.ok) return failure(context, user.id, null, 'match', 'skipped', found.error, started);
    const candidate = found.value[0];
    if (candidate === undefined) continue;
    const linkedElsewhere = await links.findByAccount(p.id, candidate.id);
    // Our own create whose answer was lost — recognised by the externalId it was sent with when the
    // mapping sets one, so an account someone else made under the same name is not mistaken for it.
    const sentExternalId = link?.pushed.externalId;
    const ours =
      (link?.state === 'creating' &&
        (typeof sentExternalId !== 'string' || sameText(candidate.document.externalId, sentExternalId))) ||
      (linkedElsewhere?.objectId === user.id && linkedElsewhere.state !== 'kept');
    if (
      linkedElsewhere !== undefined &&
      linkedElsewhere.objectId !== user.id &&
      linkedElsewhere.state !== 'deleted'
    )
      return fail(
        context,
        user.id,
        candidate.id,
        'match',
        'skipped',
        `The matching account ${candidate.id} is already linked to ${linkedElsewhere.objectId}`,
        started,
      );
    if (ours || p.duplicationStrategy === 'TakeOver') {
      // Our own create whose answer was lost holds what it was sent with; anything else is compared whole.
      const lostCreate = ours && link?.state === 'creating';
      await links.save({
        ...linkBase(p, user.id),
        accountId: candidate.id,
        state: 'active',
        createdByUs: ours || (link?.createdByUs ?? false),
        pushed: lostCreate ? (link?.pushed ?? {}) : {},
        lastError: null,
      });
      await record(context, {
        objectId: user.id,
        accountId: candidate.id,
        action: 'link',
        status: 'success',
        message: ours
          ? 'found the account an earlier create made'
          : `took over the existing account matched by ${filter}`,
        started,
      });
      const linked = await links.find(p.id, 'User', user.id);
      if (linked === undefined) return { outcome: 'done', action: 'same' };
      const updated = await update(context, user, linked, user.doc.active === false);
      // In the run's statistics the account was created (by the attempt whose answer was lost).
      return lostCreate && updated.action !== 'skipped' ? { ...updated, action: 'created' } : updated;
    }
    if (p.duplicationStrategy === 'Fail')
      return fail(
        context,
        user.id,
        candidate.id,
        'create',
        'skipped',
        `An account that Lockstep did not create already matches (${filter}); the duplication strategy is Fail`,
        started,
      );
    // KeepBoth: create beside it under another name.
    return create(context, user, link, projection.document, projection.attributes, started, 1);
  }
  if (!p.operations.create) {
    await record(context, {
      objectId: user.id,
      accountId: null,
      action: 'create',
      status: 'skipped',
      message: 'create is not a subscribed operation',
      started,
    });
    return { outcome: 'done', action: 'skipped' };
  }
  return create(context, user, link, projection.document, projection.attributes, started, 0);
}

async function create(
  context: ReconcileContext,
  user: DirectoryUser,
  link: Link | undefined,
  document: Record<string, unknown>,
  attributes: Readonly<Record<string, unknown>>,
  started: number,
  keepBothAttempt: number,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, links } = context;
  let body = keepBothAttempt > 0 ? p.renameForKeepBoth(document, keepBothAttempt) : document;
  await links.save({
    ...linkBase(p, user.id),
    accountId: null,
    state: 'creating',
    createdByUs: true,
    pushed: attributes,
    lastError: null,
    ...(link ? { createdAt: link.createdAt } : {}),
  });
  for (let attempt = keepBothAttempt; ; attempt++) {
    const created = await adapter.createUser(body);
    if (created.ok) {
      await links.save({
        ...linkBase(p, user.id),
        accountId: created.value.id,
        state: 'active',
        createdByUs: true,
        pushed: attributes,
        lastError: null,
      });
      await record(context, {
        objectId: user.id,
        accountId: created.value.id,
        action: 'create',
        status: 'success',
        changes: createdChanges(attributes),
        started,
      });
      return { outcome: 'done', action: 'created' };
    }
    // KeepBoth: a name taken by someone else's account — try the next suffix.
    if (created.error.kind === 'conflict' && attempt > 0 && attempt < MAX_KEEP_BOTH_ATTEMPTS) {
      body = p.renameForKeepBoth(document, attempt + 1);
      continue;
    }
    return failure(context, user.id, null, 'create', 'created', created.error, started);
  }
}

async function update(
  context: ReconcileContext,
  user: DirectoryUser,
  link: Link,
  wantsDisabled: boolean,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, links } = context;
  const started = performance.now();
  const accountId = link.accountId as string;
  const projection = p.project(user, 'update');
  if (!projection.ok)
    return fail(context, user.id, accountId, 'update', 'updated', projection.message, started);
  const { changes, operations } = diffAttributes(link.pushed, projection.attributes);
  const disable = p.capabilities.hasActive && wantsDisabled && link.state !== 'disabled';
  const enable = p.capabilities.hasActive && !wantsDisabled && link.state === 'disabled';
  if (
    (disable && !p.operations.disable) ||
    (!disable && !enable && operations.length > 0 && !p.operations.update)
  ) {
    await record(context, {
      objectId: user.id,
      accountId,
      action: disable ? 'disable' : 'update',
      status: 'skipped',
      message: `${disable ? 'disable' : 'update'} is not a subscribed operation`,
      started,
    });
    return { outcome: 'done', action: 'skipped' };
  }
  if (operations.length === 0 && !disable && !enable) return { outcome: 'done', action: 'same' };
  if ((disable || enable) && !('active' in changes)) {
    operations.push({ op: 'replace', path: 'active', value: !disable });
    changes.active = { old: !enable, new: !disable };
  }
  const document = p.capabilities.hasActive
    ? { ...projection.document, active: !wantsDisabled }
    : projection.document;
  const updated = await adapter.updateUser(accountId, operations, document);
  const action = disable ? 'disable' : enable ? 'enable' : 'update';
  if (!updated.ok) {
    if (updated.error.kind === 'not_found') {
      // The account vanished on the target: provision it again.
      await links.save({
        ...linkBase(p, user.id),
        accountId: null,
        state: 'deleted',
        createdByUs: link.createdByUs,
        pushed: {},
        lastError: 'the account was gone on the target',
      });
      await record(context, {
        objectId: user.id,
        accountId,
        action,
        status: 'warning',
        message: 'the account no longer exists on the target; creating it again',
        targetStatus: 404,
        started,
      });
      return provision(context, user, await links.find(p.id, 'User', user.id));
    }
    return failure(context, user.id, accountId, action, 'updated', updated.error, started);
  }
  await links.save({
    ...linkBase(p, user.id),
    accountId,
    state: wantsDisabled && p.capabilities.hasActive ? 'disabled' : 'active',
    createdByUs: link.createdByUs,
    pushed: { ...projection.attributes },
    lastError: null,
    createdAt: link.createdAt,
  });
  await record(context, { objectId: user.id, accountId, action, status: 'success', changes, started });
  return { outcome: 'done', action: 'updated' };
}

/**
 * The mapped attributes that differ from what was last pushed (old → new) and the PATCH operations
 * that send them; what an update sends and what a plan shows (planning/compute-plan.ts).
 */
export function diffAttributes(
  pushed: Readonly<Record<string, unknown>>,
  attributes: Readonly<Record<string, unknown>>,
): { changes: Record<string, { old: unknown; new: unknown }>; operations: PatchOperation[] } {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  const operations: PatchOperation[] = [];
  for (const [path, value] of Object.entries(attributes)) {
    const old = pushed[path];
    if (sameValue(old, value)) continue;
    changes[path] = { old: old ?? null, new: value };
    operations.push(
      value === null || value === undefined ? { op: 'remove', path } : { op: 'replace', path, value },
    );
  }
  return { changes, operations };
}

function sameText(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

function sameValue(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}
