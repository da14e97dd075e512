import type { CleanupKind, DeprovisionTrigger } from '../deprovisioning/deprovision-policy.ts';
import type { LogStatus } from '../engine/provisioning-log-writer.ts';

/** What a plan is of: a full push, a proposed configuration (scope, mapping, policy), or a removal. */
export const PLAN_KINDS = ['full-push', 'config', 'removal'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/**
 * What happens to one object, in one word (the summary counts these):
 * - create / link (take over a matching account) / update / enable (back in scope after a revocation);
 * - disable (active=false) / revoke (the native revocation on a target without a disabled state) /
 *   delete / blocked (a delete that states the policy may not clear will stop) / staged (held by the
 *   deletion guard) / keep (the policy keeps the account) / unlink (a removal with Keep);
 * - forget (a create that never reached the target: the link is closed, nothing is sent);
 * - skipped (an operation the provisioning does not subscribe to) / failed (refused before sending:
 *   a mapping error, a duplicate under Fail) / waiting (inside a grace period);
 * - unknown (a read of the target failed: the plan cannot say) / same (nothing to do) / none (out of
 *   scope, never linked).
 */
export const OPERATION_KINDS = [
  'create',
  'link',
  'update',
  'enable',
  'disable',
  'revoke',
  'delete',
  'blocked',
  'staged',
  'keep',
  'unlink',
  'forget',
  'skipped',
  'failed',
  'waiting',
  'unknown',
  'same',
  'none',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** Kinds that neither write to the target nor leave a provisioning-log entry: applying skips them. */
export const QUIET_KINDS: ReadonlySet<OperationKind> = new Set(['same', 'none', 'waiting']);

/**
 * One provisioning-log entry applying the plan writes for the object. The entries that go with a
 * destructive step (`backup`, each native `cleanup`, `revoke` or `restore` call, `verify`) are not
 * listed: they follow from the step (`cleanup` says which states are cleared).
 */
export interface PlannedStep {
  /** The log's action: create, link, match, update, enable, disable, revoke, delete, keep, unlink. */
  readonly action: string;
  /** How it ends; null when it depends on what the target answers (a restore that leaves things behind). */
  readonly status: LogStatus | null;
  readonly message?: string;
}

export type AttributeChanges = Readonly<Record<string, { readonly old: unknown; readonly new: unknown }>>;

/** The blocking states a native inspection found, and which of them the policy lets Lockstep clear. */
export interface PlannedCleanup {
  readonly states: readonly { readonly kind: CleanupKind; readonly allowed: boolean }[];
  /** States the policy does not allow: the delete stops there (blocked) until someone clears them. */
  readonly blockedBy: readonly CleanupKind[];
}

export interface PlannedOperation {
  readonly objectId: string;
  /** The user's name as the target knows it (mapped or last pushed), for people reading the plan. */
  readonly userName: string | null;
  readonly accountId: string | null;
  readonly kind: OperationKind;
  readonly trigger?: DeprovisionTrigger;
  /** Attributes sent, old → new: from the link's last pushed values to the mapping's projection. */
  readonly changes?: AttributeChanges;
  /** A disable on a target without a disabled state: what it becomes instead (describeDisable). */
  readonly substitution?: string;
  readonly cleanup?: PlannedCleanup;
  /** Held by the deletion guard: why, and whether it was staged already (then nothing is logged). */
  readonly staged?: { readonly reason: string; readonly already: boolean };
  /** A disable-then-delete: when the delete follows (the grace period's end). */
  readonly deleteAt?: string;
  readonly steps: readonly PlannedStep[];
  readonly note?: string;
}

export type PlanSummary = Readonly<Record<OperationKind, number>> & { readonly considered: number };

/** What the deletion guard would do with the plan's removals. */
export interface GuardForecast {
  readonly enabled: boolean;
  /** Removals (deletes, disables, revocations) that need the guard's admission. */
  readonly removals: number;
  /** Removals admitted in the guard's sliding window already. */
  readonly inWindow: number;
  /** The provisioning's live accounts. */
  readonly live: number;
  /** The plan's removals are staged, not executed: why (null when they run). */
  readonly stages: string | null;
  /** The provisioning's removals are paused already (an earlier decision waits for an admin). */
  readonly paused: string | null;
}

export interface PlanView {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly kind: PlanKind;
  readonly status: 'ready' | 'applying' | 'applied' | 'stale' | 'expired';
  /** The provisioning is disabled: applying the plan enables it. */
  readonly enables: boolean;
  readonly deletionStrategy: 'Delete' | 'Keep' | null;
  readonly summary: PlanSummary;
  readonly guard: GuardForecast;
  readonly notes: readonly string[];
  readonly runId: string | null;
  /** Why an apply was refused: what changed since the plan was computed. */
  readonly refusal: PlanRefusal | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly appliedAt: string | null;
  readonly operations: { readonly items: readonly PlannedOperation[]; readonly nextCursor: string | null };
}

/** One difference between the world a plan was computed from and the world now. */
export interface PlanChange {
  /** The object, or null for the provisioning, the target or the deletion guard. */
  readonly objectId: string | null;
  readonly what: string;
}

export interface PlanRefusal {
  readonly reason: 'stale' | 'expired' | 'applied';
  readonly message: string;
  readonly changes: readonly PlanChange[];
}
