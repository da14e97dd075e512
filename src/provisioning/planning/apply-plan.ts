import { randomBytes } from 'node:crypto';
import type { JobQueue } from '../../jobs/job-queue.ts';
import type { PlanTable, ProvisioningRunTable } from '../../storage/database-schema.ts';
import type { DeletionGuard } from '../deprovisioning/deletion-guard.ts';
import { RECONCILE_USER, reconcileKey } from '../engine/change-dispatcher.ts';
import type { CompiledProvisioning, DeletionStrategy } from '../engine/compiled-provisioning.ts';
import type { ProvisioningRuns, RunView } from '../engine/provisioning-runs.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import { checkPlan, MAX_LISTED_CHANGES, type PlanBasis } from './check-plan.ts';
import type { PlanDependencies } from './compute-plan.ts';
import type { PlanSubjects } from './plan-subjects.ts';
import { type PlanChange, type PlanRefusal, QUIET_KINDS } from './plan-types.ts';
import { json } from './plan-view.ts';

const PAGE = 500;
/** Other processes keep a compiled configuration this long (provisioning-engine.ts): jobs wait it out. */
const COMPILED_CACHE_MS = 2_500;

export type ApplyResult =
  | { readonly ok: true; readonly run: RunView }
  | { readonly ok: false; readonly refusal: PlanRefusal };

export interface ApplyDependencies {
  readonly plans: PlanDependencies;
  readonly subjects: PlanSubjects;
  readonly queue: JobQueue;
  readonly provisionings: ProvisioningService;
  readonly guard: Pick<DeletionGuard, 'pause'>;
  readonly runs: ProvisioningRuns;
  readonly removeProvisioning: (
    tenantId: string,
    provisioningId: string,
    strategy: DeletionStrategy,
  ) => Promise<RunView>;
  readonly forget: (provisioningId: string) => void;
  readonly clock: () => Date;
}

/**
 * Applying a plan: refused (with what changed) when anything it rests on changed since it was
 * computed, when it expired or was applied already; else exactly its operations — the pause the
 * deletion guard forecast, the proposed configuration saved (a disabled provisioning enabled), and a
 * run of kind `apply` that reconciles the objects the plan lists and no other; or the removal itself.
 */
export function createPlanApplier(dependencies: ApplyDependencies) {
  const { plans, subjects, runs, queue, clock } = dependencies;
  const { storage, repository } = plans;

  /** Reconciles exactly the plan's objects that have something to do, as one run of kind `apply`. */
  async function startApplyRun(row: PlanTable, p: CompiledProvisioning): Promise<RunView> {
    const now = clock().toISOString();
    const run: ProvisioningRunTable = {
      id: `run_${randomBytes(8).toString('hex')}`,
      tenant_id: row.tenant_id,
      provisioning_id: row.provisioning_id,
      kind: 'apply',
      status: 'running',
      stats: '{}',
      cursor: null,
      cancel_requested: 0,
      error: null,
      created_at: now,
      started_at: now,
      finished_at: null,
    };
    await storage.write((trx) => trx.insertInto('provisioning_runs').values(run).execute());
    // Other processes compile a changed configuration again within COMPILED_CACHE_MS.
    const runAt =
      row.kind === 'config' && storage.postgres !== undefined
        ? new Date(Date.now() + COMPILED_CACHE_MS)
        : undefined;
    for (let after = ''; ; ) {
      const items = await repository.items(row.id, { after, limit: PAGE, changesOnly: true });
      const ids = items
        .filter(
          ({ operation }) =>
            !QUIET_KINDS.has(operation.kind) && !(operation.kind === 'staged' && operation.staged?.already),
        )
        .map((item) => item.objectId);
      await runs.plan(run.id, 'User', ids);
      await queue.enqueue(
        ids.map((objectId) => ({
          kind: RECONCILE_USER,
          key: reconcileKey(p.id, 'User', objectId),
          group: p.targetId,
          payload: { provisioningId: p.id, objectId, runId: run.id },
          ...(runAt !== undefined ? { runAt } : {}),
        })),
      );
      if (items.length < PAGE) break;
      after = items[items.length - 1]?.objectId ?? after;
    }
    await runs.update(run.id, { cursor: 'done' });
    await runs.finishIfDone(run.id);
    return runs.view((await runs.find(run.id)) ?? run);
  }

  /** What changed since the plan was computed; empty when applying does exactly what it lists. */
  async function changesSince(row: PlanTable, basis: PlanBasis, p: CompiledProvisioning, now: Date) {
    const provisioning = await storage.db
      .selectFrom('provisionings')
      .select(['updated_at', 'status'])
      .where('id', '=', row.provisioning_id)
      .executeTakeFirst();
    const target = await storage.db
      .selectFrom('targets')
      .select('updated_at')
      .where('id', '=', basis.target.id)
      .executeTakeFirst();
    const { adapter, native } = await subjects.reach(basis.target.id);
    return checkPlan(plans, {
      planId: row.id,
      basis,
      provisioning: p,
      removal: row.deletion_strategy ?? undefined,
      current: {
        provisioning:
          provisioning === undefined
            ? undefined
            : { updatedAt: provisioning.updated_at, status: provisioning.status },
        targetUpdatedAt: target?.updated_at,
      },
      adapter,
      native,
      now,
    });
  }

  return async function applyPlan(row: PlanTable): Promise<ApplyResult> {
    const refused = (reason: PlanRefusal['reason'], message: string): ApplyResult => ({
      ok: false,
      refusal: { reason, message, changes: [] },
    });
    if (row.status === 'applied' || row.status === 'applying')
      return refused(
        'applied',
        `Plan ${row.id} was applied already${row.run_id !== null ? ` (run ${row.run_id})` : ''}`,
      );
    if (row.status === 'stale') return { ok: false, refusal: json<PlanRefusal>(row.refusal) };
    const now = clock();
    if (row.expires_at <= now.toISOString())
      return refused('expired', `Plan ${row.id} expired at ${row.expires_at}: plan again`);
    if (!(await repository.claim(row.id))) return refused('applied', `Plan ${row.id} is being applied`);
    try {
      const basis = json<PlanBasis>(row.basis);
      const proposed = json<unknown>(row.proposed_config);
      const { compiled: p } = await subjects.compile(
        { id: row.provisioning_id, tenant_id: row.tenant_id, target_id: basis.target.id },
        row.kind,
        proposed,
      );
      const changes = await changesSince(row, basis, p, now);
      if (changes.length > 0) {
        const refusal = staleRefusal(row.id, changes);
        await repository.update(row.id, { status: 'stale', refusal: JSON.stringify(refusal) });
        return { ok: false, refusal };
      }

      // Staged removals stay staged: the pause the plan foresaw is set before anything runs.
      if (basis.guard.stages !== null && basis.guard.paused === null && basis.guard.held.length > 0)
        await dependencies.guard.pause(p.id, basis.guard.stages);
      let run: RunView;
      if (row.kind === 'removal')
        run = await dependencies.removeProvisioning(
          row.tenant_id,
          row.provisioning_id,
          row.deletion_strategy ?? 'Keep',
        );
      else {
        if (row.kind === 'config' || row.enables === 1) {
          await dependencies.provisionings.updateProvisioning(row.tenant_id, row.provisioning_id, {
            ...(row.kind === 'config' ? { config: proposed } : {}),
            ...(row.enables === 1 ? { status: 'enabled' as const } : {}),
          });
          dependencies.forget(row.provisioning_id);
        }
        run = await startApplyRun(row, p);
      }
      await repository.update(row.id, {
        status: 'applied',
        run_id: run.id,
        applied_at: clock().toISOString(),
      });
      return { ok: true, run };
    } catch (error) {
      await repository.update(row.id, { status: 'ready' });
      throw error;
    }
  };
}

function staleRefusal(planId: string, changes: readonly PlanChange[]): PlanRefusal {
  const listed = changes.slice(0, MAX_LISTED_CHANGES);
  const words = listed
    .slice(0, 5)
    .map((change) => (change.objectId === null ? change.what : `${change.objectId}: ${change.what}`))
    .join('; ');
  const more = changes.length > 5 ? ` (and ${changes.length - 5} more)` : '';
  return {
    reason: 'stale',
    message: `The world changed since plan ${planId} was computed: ${words}${more}. Plan again.`,
    changes: listed,
  };
}
