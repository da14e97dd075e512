import type { ScimTargetAdapter } from '../../targets/adapters/scim-target-adapter.ts';
import type { NativeAccountApi } from '../deprovisioning/native-account-api.ts';
import type { CompiledProvisioning, DeletionStrategy } from '../engine/compiled-provisioning.ts';
import { type PlanDependencies, planObject } from './compute-plan.ts';
import { forecastGuard } from './guard-forecast.ts';
import type { ConsideredScope } from './plan-fingerprints.ts';
import type { PlanItem, StoredOperation } from './plan-repository.ts';
import type { PlanChange } from './plan-types.ts';
import { targetReads } from './planning-context.ts';

const PAGE = 500;
const CONCURRENCY = 8;
/** A refusal lists at most this many changes (it says how many more there were). */
export const MAX_LISTED_CHANGES = 100;

/** What a plan was computed from, as stored with it. */
export interface PlanBasis {
  readonly provisioning: {
    readonly updatedAt: string;
    readonly status: string;
    readonly pausedReason: string | null;
  };
  readonly target: { readonly id: string; readonly updatedAt: string };
  readonly scope: ConsideredScope;
  readonly notes: readonly string[];
  /** The deletion guard's forecast: its numbers, and the removals it would hold. */
  readonly guard: {
    readonly enabled: boolean;
    readonly removals: number;
    readonly inWindow: number;
    readonly live: number;
    readonly stages: string | null;
    readonly paused: string | null;
    readonly held: readonly string[];
  };
}

export interface PlanCheckInput {
  readonly planId: string;
  readonly basis: PlanBasis;
  /** The provisioning as the plan runs it (its proposed configuration for a `config` plan). */
  readonly provisioning: CompiledProvisioning;
  readonly removal: DeletionStrategy | undefined;
  readonly current: {
    /** Its pause is not compared here: the guard forecast, recomputed, says whether it matters. */
    readonly provisioning: { readonly updatedAt: string; readonly status: string } | undefined;
    readonly targetUpdatedAt: string | undefined;
  };
  readonly adapter: Pick<ScimTargetAdapter, 'findUsers' | 'getUser'>;
  readonly native: NativeAccountApi | undefined;
  readonly now: Date;
}

/**
 * Has the world changed since the plan was computed? Compares, in this order: the provisioning and
 * the target (their versions), every object the plan considered and every object it would consider
 * now (fingerprints: a user added, changed or deleted, a link changed, a removal staged or approved),
 * the deletion guard's forecast, and — for the objects whose plan read the target — what the target
 * says now (reading it again: an account that appeared, a blocking state added). An empty answer
 * means applying does exactly what the plan lists.
 */
export async function checkPlan(deps: PlanDependencies, input: PlanCheckInput): Promise<PlanChange[]> {
  const { basis, current } = input;
  const changes: PlanChange[] = [];
  if (current.provisioning === undefined) return [{ objectId: null, what: 'the provisioning is gone' }];
  if (current.provisioning.updatedAt !== basis.provisioning.updatedAt)
    changes.push({ objectId: null, what: 'the provisioning was changed (its configuration or status)' });
  else if (current.provisioning.status !== basis.provisioning.status)
    changes.push({ objectId: null, what: `the provisioning is now ${current.provisioning.status}` });
  if (current.targetUpdatedAt !== basis.target.updatedAt)
    changes.push({
      objectId: null,
      what: current.targetUpdatedAt === undefined ? 'the target is gone' : 'the target was changed',
    });
  if (changes.length > 0) return changes;

  const admissions: string[] = [];
  const reread: PlanItem[] = [];
  for (let after = ''; ; ) {
    const items = await deps.repository.items(input.planId, { after, limit: PAGE });
    const last = items.length === PAGE ? items[items.length - 1]?.objectId : undefined;
    changes.push(
      ...(await deps.fingerprints.compare(
        basis.scope,
        new Map(items.map((item) => [item.objectId, item.fingerprint])),
        after,
        last,
      )),
    );
    if (changes.length > MAX_LISTED_CHANGES) return changes;
    for (const item of items) {
      if (item.operation.admission !== undefined) admissions.push(item.objectId);
      if (item.readsTarget && item.operation.kind !== 'staged') reread.push(item);
    }
    if (last === undefined) break;
    after = last;
  }
  if (changes.length > 0) return changes;

  const forecast = await forecastGuard(
    deps.storage,
    deps.guard,
    {
      provisioningId: input.provisioning.id,
      settings: input.provisioning.deprovision.deletionGuard,
      objectIds: admissions,
      subject: `applying plan ${input.planId}`,
    },
    input.now,
  );
  const heldBefore = new Set(basis.guard.held);
  if (
    (forecast.stages === null) !== (basis.guard.stages === null) ||
    forecast.held.size !== heldBefore.size ||
    [...forecast.held.keys()].some((objectId) => !heldBefore.has(objectId))
  )
    return [
      {
        objectId: null,
        what:
          forecast.stages === null
            ? 'the deletion guard would no longer stage the same removals'
            : `the deletion guard would now stage removals: ${forecast.stages}`,
      },
    ];

  // The target, read again where the plan read it.
  const p = input.provisioning;
  for (let start = 0; start < reread.length; start += CONCURRENCY) {
    const found = await Promise.all(
      reread.slice(start, start + CONCURRENCY).map(async (item) => {
        const user = input.basis.scope.linksOnly
          ? undefined
          : await deps.reader.readUser(p.tenantId, item.objectId, { groups: p.scopeUsesGroups });
        const link = await deps.links.find(p.id, 'User', item.objectId);
        const planned = await planObject(
          {
            provisioning: p,
            reads: targetReads(input.adapter, input.native),
            links: deps.links,
            backups: deps.backups,
            now: input.now.getTime(),
          },
          input.removal,
          item.objectId,
          user,
          link,
        );
        return comparable(planned.operation) === comparable(item.operation)
          ? undefined
          : { objectId: item.objectId, what: `the target changed: now it would ${planned.operation.kind}` };
      }),
    );
    for (const change of found) if (change !== undefined) changes.push(change);
  }
  return changes;
}

/** An operation without what depends on the moment it was computed (a grace period's end). */
function comparable(operation: StoredOperation): string {
  const { deleteAt: _deleteAt, admission: _admission, ...rest } = operation;
  return stableJson(rest);
}

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep the order they were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => `${JSON.stringify(key)}:${stableJson(entry)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
