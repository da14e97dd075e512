import { randomBytes } from 'node:crypto';
import type { JobQueue } from '../../jobs/job-queue.ts';
import type { PlanTable } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { AccountBackups } from '../deprovisioning/account-backups.ts';
import type { DeletionGuard } from '../deprovisioning/deletion-guard.ts';
import type { DeletionStrategy } from '../engine/compiled-provisioning.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import type { LinkRepository } from '../engine/link-repository.ts';
import type { ProvisioningRuns, RunView } from '../engine/provisioning-runs.ts';
import type { TargetAdapters } from '../engine/target-adapters.ts';
import { ProvisioningError } from '../provisioning-error.ts';
import type { ProvisioningService } from '../provisioning-service.ts';
import { type ApplyResult, createPlanApplier } from './apply-plan.ts';
import type { PlanBasis } from './check-plan.ts';
import { computePlan, type PlanDependencies } from './compute-plan.ts';
import { createPlanFingerprints } from './plan-fingerprints.ts';
import { createPlanRepository } from './plan-repository.ts';
import { createPlanSubjects } from './plan-subjects.ts';
import type { PlanKind, PlanView } from './plan-types.ts';
import { type PageOptions, toPlanView } from './plan-view.ts';

const DEFAULT_TTL_MS = 3_600_000;

export interface PlanServiceDependencies {
  readonly storage: Storage;
  readonly queue: JobQueue;
  readonly provisionings: ProvisioningService;
  readonly reader: DirectoryReader;
  readonly links: LinkRepository;
  readonly adapters: TargetAdapters;
  readonly guard: DeletionGuard;
  readonly backups: AccountBackups;
  readonly runs: ProvisioningRuns;
  /** The engine's removal (a run that deprovisions or unlinks every account, then deletes the row). */
  readonly removeProvisioning: (
    tenantId: string,
    provisioningId: string,
    strategy: DeletionStrategy,
  ) => Promise<RunView>;
  /** The provisioning's configuration changed: the engine forgets its compiled form. */
  readonly forget: (provisioningId: string) => void;
  /** How long a plan may be applied (default an hour). */
  readonly ttlMs?: number;
  readonly clock?: () => Date;
}

export interface PlanInput {
  readonly kind: PlanKind;
  /** `config`: the proposed configuration (scope, mapping, policy …), checked like an update. */
  readonly config?: unknown;
  /** `removal`: what happens to the linked accounts (default: the provisioning's own). */
  readonly deletionStrategy?: DeletionStrategy;
}

/**
 * Plans (issue 5, item 6): what a full push, a configuration change or a provisioning removal would
 * do, computed without writing to the target (compute-plan.ts), and applying a plan: refused when
 * anything it rests on changed (check-plan.ts), else exactly its operations — a run of kind `apply`
 * that reconciles the objects it lists and no other (or the removal itself). Applying is not an
 * approval: removals the plan lists as staged stay staged.
 */
export function createPlanService(dependencies: PlanServiceDependencies) {
  const { storage, provisionings } = dependencies;
  const clock = dependencies.clock ?? (() => new Date());
  const repository = createPlanRepository(storage);
  const planDependencies: PlanDependencies = {
    storage,
    reader: dependencies.reader,
    links: dependencies.links,
    backups: dependencies.backups,
    guard: dependencies.guard,
    fingerprints: createPlanFingerprints(storage, dependencies.reader),
    repository,
  };

  const subjects = createPlanSubjects(storage, dependencies.adapters);
  const applyPlan = createPlanApplier({
    plans: planDependencies,
    subjects,
    queue: dependencies.queue,
    provisionings,
    guard: dependencies.guard,
    runs: dependencies.runs,
    removeProvisioning: dependencies.removeProvisioning,
    forget: dependencies.forget,
    clock,
  });
  const view = (row: PlanTable, page: PageOptions | undefined) => toPlanView(repository, row, page, clock());

  async function requirePlan(tenantId: string, planId: string): Promise<PlanTable> {
    const row = await repository.find(tenantId, planId);
    if (row === undefined) throw new ProvisioningError('not_found', `Plan "${planId}" not found`);
    return row;
  }

  return {
    /** Computes a plan and keeps it until it expires. Reads the target; writes nothing to it. */
    async create(tenantId: string, provisioningId: string, input: PlanInput): Promise<PlanView> {
      const provisioning = await provisionings.getProvisioning(tenantId, provisioningId);
      if (provisioning.status === 'removing')
        throw new ProvisioningError('conflict', `Provisioning "${provisioningId}" is being removed`);
      if ((input.kind === 'config') !== (input.config !== undefined))
        throw new ProvisioningError(
          'invalid',
          'A proposed config is given with kind "config", and only then',
          {
            field: 'config',
          },
        );
      if (input.deletionStrategy !== undefined && input.kind !== 'removal')
        throw new ProvisioningError('invalid', 'deletionStrategy is for a removal plan', {
          field: 'deletionStrategy',
        });
      const now = clock();
      await repository.purge(now);
      const strategy =
        input.kind === 'removal' ? (input.deletionStrategy ?? provisioning.config.deletionStrategy) : null;
      const configInput =
        input.kind === 'config'
          ? input.config
          : input.kind === 'removal'
            ? { ...provisioning.config, deletionStrategy: strategy }
            : provisioning.config;
      const row = { id: provisioningId, tenant_id: tenantId, target_id: provisioning.targetId };
      const { compiled: p, config } = await subjects.compile(row, input.kind, configInput);
      const { row: target } = await subjects.targetOf(tenantId, provisioning.targetId);
      const { adapter, native } = await subjects.reach(provisioning.targetId);
      const planId = `pln_${randomBytes(8).toString('hex')}`;
      const scope = {
        tenantId,
        provisioningId,
        linksOnly: input.kind === 'removal',
        groups: p.scopeUsesGroups,
      };
      const enables = input.kind !== 'removal' && provisioning.status === 'disabled';
      const plan: PlanTable = {
        id: planId,
        tenant_id: tenantId,
        provisioning_id: provisioningId,
        kind: input.kind,
        // Not appliable until it is complete.
        status: 'applying',
        proposed_config: JSON.stringify(config),
        deletion_strategy: strategy,
        enables: enables ? 1 : 0,
        basis: '{}',
        summary: '{}',
        run_id: null,
        refusal: null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + (dependencies.ttlMs ?? DEFAULT_TTL_MS)).toISOString(),
        applied_at: null,
      };
      await repository.insert(plan);
      try {
        const computed = await computePlan(planDependencies, {
          planId,
          provisioning: p,
          scope,
          removal: strategy ?? undefined,
          adapter,
          native,
          now,
        });
        const notes = [
          ...(enables ? ['The provisioning is disabled: applying this plan enables it.'] : []),
          ...(p.pushGroups && input.kind !== 'removal'
            ? [
                'Groups are not planned: applying reconciles the users listed; the groups of an account created or deleted follow as usual.',
              ]
            : []),
          ...(computed.summary.unknown > 0
            ? [
                `${computed.summary.unknown} object(s) could not be planned because reading the target failed; applying reconciles them as the target then answers.`,
              ]
            : []),
          ...(computed.guard.stages !== null && computed.summary.staged > 0
            ? [`Removals are staged, not executed: ${computed.guard.stages}`]
            : []),
        ];
        const { held, ...forecast } = computed.guard;
        const basis: PlanBasis = {
          provisioning: {
            updatedAt: provisioning.updatedAt,
            status: provisioning.status,
            pausedReason: provisioning.removalsPaused?.reason ?? null,
          },
          target: { id: target.id, updatedAt: target.updated_at },
          scope,
          notes,
          guard: { ...forecast, held: [...held.keys()] },
        };
        const ready = {
          status: 'ready' as const,
          basis: JSON.stringify(basis),
          summary: JSON.stringify(computed.summary),
        };
        await repository.update(planId, ready);
        return view({ ...plan, ...ready }, {});
      } catch (error) {
        await storage.write(async (trx) => {
          await trx.deleteFrom('plan_items').where('plan_id', '=', planId).execute();
          await trx.deleteFrom('plans').where('id', '=', planId).execute();
        });
        throw error;
      }
    },

    async get(tenantId: string, planId: string, page: PageOptions = {}): Promise<PlanView> {
      return view(await requirePlan(tenantId, planId), page);
    },

    /** The provisioning's plans, newest first, without their operations. */
    async list(tenantId: string, provisioningId: string): Promise<PlanView[]> {
      await provisionings.getProvisioning(tenantId, provisioningId);
      const rows = await repository.listForProvisioning(provisioningId);
      return Promise.all(rows.map((row) => view(row, undefined)));
    },

    /**
     * Applies a plan: refused (with what changed) when anything it rests on changed since it was
     * computed, when it expired or was applied already; else exactly its operations.
     */
    async apply(tenantId: string, planId: string): Promise<ApplyResult> {
      return applyPlan(await requirePlan(tenantId, planId));
    },
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
