import type { Storage } from '../../storage/open-storage.ts';
import type { ScimTargetAdapter } from '../../targets/adapters/scim-target-adapter.ts';
import type { AccountBackups } from '../deprovisioning/account-backups.ts';
import type { DeletionGuard } from '../deprovisioning/deletion-guard.ts';
import type { NativeAccountApi } from '../deprovisioning/native-account-api.ts';
import type {
  CompiledProvisioning,
  DeletionStrategy,
  DirectoryUser,
} from '../engine/compiled-provisioning.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import type { Link, LinkRepository } from '../engine/link-repository.ts';
import { type Forecast, forecastGuard } from './guard-forecast.ts';
import type { ConsideredScope, PlanFingerprints } from './plan-fingerprints.ts';
import { type ObjectPlan, planDeprovision, stagedOperation, textOf } from './plan-removal.ts';
import type { PlanItem, PlanRepository, StoredOperation } from './plan-repository.ts';
import { OPERATION_KINDS, type OperationKind, type PlanSummary } from './plan-types.ts';
import { planUser } from './plan-user.ts';
import { type PlanningContext, targetReads } from './planning-context.ts';

const PAGE = 500;
/** Objects planned at once: each may wait for the target (a matching lookup, a native inspection). */
const CONCURRENCY = 8;

export interface PlanDependencies {
  readonly storage: Storage;
  readonly reader: DirectoryReader;
  readonly links: LinkRepository;
  readonly backups: AccountBackups;
  readonly guard: Pick<DeletionGuard, 'exceeds' | 'pausedReason'>;
  readonly fingerprints: PlanFingerprints;
  readonly repository: PlanRepository;
}

/** The provisioning as the plan would run it, and how it reaches its target (reads only). */
export interface PlanSubject {
  readonly planId: string;
  /** Compiled with the configuration the plan is for, and the status it would run with. */
  readonly provisioning: CompiledProvisioning;
  readonly scope: ConsideredScope;
  /** A removal: what happens to the linked accounts; undefined for a push. */
  readonly removal: DeletionStrategy | undefined;
  readonly adapter: Pick<ScimTargetAdapter, 'findUsers' | 'getUser'>;
  readonly native: NativeAccountApi | undefined;
  readonly now: Date;
}

export interface ComputedPlan {
  readonly summary: PlanSummary;
  readonly guard: Forecast;
}

/**
 * Plans every object the subject considers, page by page (every user and every live link for a push,
 * every live link for a removal), with the engine's own decisions (plan-user.ts, plan-removal.ts),
 * and stores each operation with the fingerprint it was computed from. Then the deletion guard's
 * forecast over all the removals: those it would stage are stored staged.
 */
export async function computePlan(deps: PlanDependencies, subject: PlanSubject): Promise<ComputedPlan> {
  const { provisioning: p, scope } = subject;
  const counts = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, 0])) as Record<
    OperationKind,
    number
  >;
  let considered = 0;
  const guarded = new Map<string, StoredOperation & { admission: NonNullable<ObjectPlan['admission']> }>();

  for (let after = ''; ; ) {
    const ids = await deps.fingerprints.considered(scope, after, { limit: PAGE });
    if (ids.length === 0) break;
    const fingerprints = await deps.fingerprints.fingerprints(scope, ids);
    const users = scope.linksOnly
      ? new Map<string, DirectoryUser>()
      : await deps.reader.readUsers(p.tenantId, ids, { groups: p.scopeUsesGroups });
    const links = await deps.links.findMany(p.id, 'User', ids);
    const items = await mapLimited(ids, CONCURRENCY, async (objectId): Promise<PlanItem> => {
      const reads = targetReads(subject.adapter, subject.native);
      const context: PlanningContext = {
        provisioning: p,
        reads,
        links: deps.links,
        backups: deps.backups,
        now: subject.now.getTime(),
      };
      const planned = await planObject(
        context,
        subject.removal,
        objectId,
        users.get(objectId),
        links.get(objectId),
      );
      const operation: StoredOperation =
        planned.admission === undefined
          ? planned.operation
          : { ...planned.operation, admission: planned.admission };
      if (planned.admission !== undefined)
        guarded.set(objectId, { ...planned.operation, admission: planned.admission });
      return {
        objectId,
        fingerprint: fingerprints.get(objectId) ?? '',
        readsTarget: reads.count > 0,
        operation,
      };
    });
    for (const item of items) counts[item.operation.kind]++;
    considered += items.length;
    await deps.repository.insertItems(subject.planId, items);
    after = ids[ids.length - 1] ?? after;
    if (ids.length < PAGE) break;
  }

  const guard = await forecastGuard(
    deps.storage,
    deps.guard,
    {
      provisioningId: p.id,
      settings: p.deprovision.deletionGuard,
      objectIds: [...guarded.keys()],
      subject: `applying plan ${subject.planId}`,
    },
    subject.now,
  );
  const held: StoredOperation[] = [];
  for (const [objectId, reason] of guard.held) {
    const admitted = guarded.get(objectId);
    if (admitted === undefined) continue;
    const { admission, ...operation } = admitted;
    counts[operation.kind]--;
    counts.staged++;
    held.push({ ...stagedOperation(operation, admission, reason), admission });
  }
  await deps.repository.replaceOperations(subject.planId, held);
  return { summary: { ...counts, considered }, guard };
}

/** One object: its removal when the provisioning is removed, else what reconciling it would do. */
export async function planObject(
  context: PlanningContext,
  removal: DeletionStrategy | undefined,
  objectId: string,
  user: DirectoryUser | undefined,
  link: Link | undefined,
): Promise<ObjectPlan> {
  if (removal === undefined) return planUser(context, objectId, user, link);
  if (removal === 'Keep' && link !== undefined)
    return {
      operation: {
        objectId,
        userName: textOf(link.pushed.userName),
        accountId: link.accountId,
        trigger: 'removed',
        kind: 'unlink',
        steps: [{ action: 'unlink', status: 'success' }],
        note: 'removed with DeletionStrategy Keep: the account is left as it is',
      },
    };
  return planDeprovision(context, objectId, link, 'removed');
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++)
      results[index] = await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
