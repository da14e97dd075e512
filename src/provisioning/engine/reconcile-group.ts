import type { ScimTargetAdapter } from '../../targets/adapters/scim-target-adapter.ts';
import type { ScimClientError } from '../../targets/scim-client/scim-client-error.ts';
import type { CompiledProvisioning } from './compiled-provisioning.ts';
import type { LinkRepository } from './link-repository.ts';
import type { ProvisioningLogWriter } from './provisioning-log-writer.ts';
import { isRetryable, type ReconcileResult } from './reconcile-user.ts';

/** A directory group as the engine pushes it: its document and its direct members. */
export interface DirectoryGroup {
  readonly id: string;
  readonly doc: Readonly<Record<string, unknown>>;
  readonly members: readonly { readonly id: string; readonly type: 'User' | 'Group' }[];
}

export interface GroupReconcileContext {
  readonly provisioning: CompiledProvisioning;
  readonly adapter: ScimTargetAdapter;
  readonly links: LinkRepository;
  readonly log: ProvisioningLogWriter;
  readonly runId: string | null;
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * Brings one group on one target to the directory's state: its mapped attributes, and as members the
 * target accounts of those of its members that are linked there (a member not provisioned yet is
 * added when it is: its creation re-reconciles its groups). Membership changes go in PATCHes of at
 * most the target's limit (AWS: 100). A deleted group's account is deleted.
 */
export async function reconcileGroup(
  context: GroupReconcileContext,
  groupId: string,
  group: DirectoryGroup | undefined,
): Promise<ReconcileResult> {
  const { provisioning: p, adapter, links } = context;
  const started = performance.now();
  const link = await links.find(p.id, 'Group', groupId);
  const record = (entry: {
    accountId: string | null;
    action: string;
    status: 'success' | 'failure' | 'warning' | 'skipped';
    message?: string;
    targetStatus?: number | undefined;
    changes?: Record<string, { old: unknown; new: unknown }>;
  }) =>
    context.log.record({
      tenantId: p.tenantId,
      provisioningId: p.id,
      targetId: p.targetId,
      runId: context.runId,
      objectType: 'Group',
      objectId: groupId,
      attempt: context.attempt,
      durationMs: performance.now() - started,
      ...entry,
    });
  const failed = async (
    action: string,
    error: ScimClientError,
    statsAction: ReconcileResult['action'],
  ): Promise<ReconcileResult> => {
    const retry = isRetryable(error) && context.attempt < context.maxAttempts;
    await record({
      accountId: link?.accountId ?? null,
      action,
      status: retry ? 'warning' : 'failure',
      message: error.message,
      targetStatus: error.status,
    });
    return retry
      ? { outcome: 'retry', afterMs: error.retryAfterMs, error: error.message, action: statsAction }
      : { outcome: 'failed', error: error.message, action: statsAction };
  };

  if (group === undefined || p.status !== 'enabled' || !p.pushGroups) {
    if (link === undefined || link.accountId === null || link.state === 'deleted' || link.state === 'kept')
      return { outcome: 'done', action: 'same' };
    if (!p.operations.delete) return { outcome: 'done', action: 'skipped' };
    const deleted = await adapter.deleteGroup(link.accountId);
    if (!deleted.ok) return failed('delete', deleted.error, 'deleted');
    await links.save({ ...link, state: 'deleted' });
    await record({
      accountId: link.accountId,
      action: 'delete',
      status: 'success',
      message: group === undefined ? 'deleted in the directory' : 'groups are no longer pushed',
    });
    return { outcome: 'done', action: 'deleted' };
  }

  const wanted: string[] = [];
  for (const member of group.members) {
    const memberLink = await links.find(p.id, member.type, member.id);
    if (memberLink?.accountId && (memberLink.state === 'active' || memberLink.state === 'disabled'))
      wanted.push(memberLink.accountId);
  }
  wanted.sort();

  if (link === undefined || link.accountId === null || link.state === 'deleted' || link.state === 'kept') {
    const projection = p.projectGroup(group.doc, 'create');
    if (!projection.ok) {
      await record({ accountId: null, action: 'create', status: 'failure', message: projection.message });
      return { outcome: 'failed', error: projection.message, action: 'created' };
    }
    const displayName = projection.attributes.displayName;
    let accountId: string | undefined;
    if (typeof displayName === 'string') {
      const found = await adapter.findGroups(`displayName eq ${JSON.stringify(displayName)}`);
      if (!found.ok) return failed('match', found.error, 'created');
      accountId = found.value[0]?.id;
    }
    if (accountId === undefined) {
      if (!p.operations.create) return { outcome: 'done', action: 'skipped' };
      const created = await adapter.createGroup(projection.document);
      if (!created.ok) return failed('create', created.error, 'created');
      accountId = created.value.id;
      await links.save({
        provisioningId: p.id,
        objectType: 'Group',
        objectId: groupId,
        tenantId: p.tenantId,
        accountId,
        state: 'active',
        createdByUs: true,
        pushed: { ...projection.attributes, members: [] },
        lastError: null,
      });
      await record({ accountId, action: 'create', status: 'success' });
    } else {
      await links.save({
        provisioningId: p.id,
        objectType: 'Group',
        objectId: groupId,
        tenantId: p.tenantId,
        accountId,
        state: 'active',
        createdByUs: false,
        pushed: { members: null },
        lastError: null,
      });
      await record({
        accountId,
        action: 'link',
        status: 'success',
        message: `took over the existing group ${String(displayName)}`,
      });
    }
  }

  const current = await links.find(p.id, 'Group', groupId);
  if (current?.accountId === null || current === undefined) return { outcome: 'done', action: 'same' };
  const accountId = current.accountId;
  const projection = p.projectGroup(group.doc, 'update');
  if (!projection.ok) return { outcome: 'failed', error: projection.message, action: 'updated' };
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  const operations = [];
  for (const [path, value] of Object.entries(projection.attributes)) {
    if (JSON.stringify(current.pushed[path] ?? null) === JSON.stringify(value ?? null)) continue;
    changes[path] = { old: current.pushed[path] ?? null, new: value };
    operations.push(
      value === null ? { op: 'remove' as const, path } : { op: 'replace' as const, path, value },
    );
  }
  if (operations.length > 0 && p.operations.update) {
    const updated = await adapter.updateGroup(accountId, operations, {
      ...projection.document,
      members: wanted.map((value) => ({ value })),
    });
    if (!updated.ok) return failed('update', updated.error, 'updated');
  }
  // Members last pushed; null after a take-over: read what the target holds.
  let pushedMembers = current.pushed.members as string[] | null | undefined;
  if (!Array.isArray(pushedMembers)) {
    const read = await adapter.getGroup(accountId);
    if (!read.ok) return failed('update', read.error, 'updated');
    pushedMembers = ((read.value?.document.members as { value?: string }[] | undefined) ?? []).map((member) =>
      String(member.value),
    );
  }
  const add = wanted.filter((id) => !pushedMembers.includes(id));
  const remove = pushedMembers.filter((id) => !wanted.includes(id));
  if (
    (add.length > 0 || remove.length > 0) &&
    p.operations.update &&
    p.capabilities.updateMethod === 'PATCH'
  ) {
    const changed = await adapter.changeMembers(accountId, add, remove);
    if (!changed.ok) return failed('update', changed.error, 'updated');
    changes.members = { old: `${pushedMembers.length} member(s)`, new: `+${add.length} −${remove.length}` };
  }
  if (Object.keys(changes).length === 0) {
    if (!Array.isArray(current.pushed.members))
      await links.save({ ...current, pushed: { ...projection.attributes, members: wanted } });
    return { outcome: 'done', action: 'same' };
  }
  await links.save({
    ...current,
    state: 'active',
    pushed: { ...projection.attributes, members: wanted },
    lastError: null,
  });
  await record({ accountId, action: 'update', status: 'success', changes });
  return { outcome: 'done', action: 'updated' };
}
