import type { ColumnType, Generated } from 'kysely';

/** A nullable column added by a later migration: optional when inserting. */
type NullableColumn = ColumnType<string | null, string | null | undefined, string | null>;

// Targets, provisionings and what the engine keeps about them: links, runs, the log, failed events, plans,
// rate-limit schedules, pending references. Part of `DatabaseSchema` (../database-schema.ts).

export interface TargetTable {
  id: string;
  tenant_id: string;
  name: string;
  profile: string;
  base_url: string;
  auth_sealed: string;
  /** The native API (RAM's OpenAPI) with its AccessKey, sealed like `auth_sealed`; null when none. */
  native_sealed: string | null;
  settings: unknown;
  /** `active`, or `quarantined` (paused after repeated failures, resumes by itself or on command). */
  status: 'active' | 'quarantined';
  status_reason: string | null;
  status_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProvisioningTable {
  id: string;
  tenant_id: string;
  target_id: string;
  name: string;
  status: 'enabled' | 'disabled' | 'removing';
  /** Scope, mappings, matching, operations and strategies (see provisioning-config.ts). */
  config: unknown;
  created_at: string;
  updated_at: string;
  /** Set while the deletion guard holds this provisioning's removals for an admin's decision. */
  removals_paused_reason: string | null;
  removals_paused_at: string | null;
}

export interface LinkTable {
  provisioning_id: string;
  object_type: 'User' | 'Group';
  object_id: string;
  tenant_id: string;
  /** The account's id on the target; null until it exists there. */
  account_id: string | null;
  /** `active`, `disabled`, `deleted` (verifiably gone), `kept` (deliberately left), `failed`. */
  state: string;
  created_by_us: number;
  /** The target attributes last pushed (what the account is believed to hold). */
  pushed: unknown;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /** A disable-then-delete account is deleted at this time (ISO) unless restored or back in scope. */
  delete_after: NullableColumn;
  /** A removal in progress that could not run: `blocked`, `staged`, `kept-by-policy`. */
  removal_state: NullableColumn;
  removal_detail: ColumnType<unknown, unknown, unknown>;
}

export interface ProvisioningRunTable {
  id: string;
  tenant_id: string;
  provisioning_id: string;
  kind: 'full-push' | 'removal' | 'reconciliation' | 'apply';
  status: 'pending' | 'running' | 'failed' | 'partial_success' | 'success' | 'cancelled';
  stats: unknown;
  cursor: string | null;
  cancel_requested: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface ProvisioningRunItemTable {
  run_id: string;
  object_type: 'User' | 'Group';
  object_id: string;
  action: string | null;
  /** null while planned; `success`, `failed` or `cancelled` once done. */
  outcome: string | null;
}

export interface ProvisioningLogTable {
  seq: Generated<number>;
  at: string;
  tenant_id: string;
  provisioning_id: string;
  target_id: string;
  run_id: string | null;
  object_type: 'User' | 'Group';
  object_id: string;
  account_id: string | null;
  action: string;
  status: 'success' | 'failure' | 'skipped' | 'warning';
  attempt: number;
  target_status: number | null;
  changes: unknown;
  message: string | null;
  duration_ms: number | null;
}

export interface ProvisioningEventTable {
  id: string;
  tenant_id: string;
  provisioning_id: string;
  object_type: 'User' | 'Group';
  object_id: string;
  action: string;
  error_code: string | null;
  error_message: string;
  error_count: number;
  first_failed_at: string;
  last_attempt_at: string;
}

/** A plan (dry run) of a provisioning: what a full push, a configuration change or a removal would do. */
export interface PlanTable {
  id: string;
  tenant_id: string;
  provisioning_id: string;
  kind: 'full-push' | 'config' | 'removal';
  status: 'ready' | 'applying' | 'applied' | 'stale';
  proposed_config: unknown;
  deletion_strategy: 'Delete' | 'Keep' | null;
  enables: number;
  basis: unknown;
  summary: unknown;
  run_id: string | null;
  refusal: unknown;
  created_at: string;
  expires_at: string;
  applied_at: string | null;
}

/** One object a plan considered: its planned operation and the fingerprint it was computed from. */
export interface PlanItemTable {
  plan_id: string;
  object_id: string;
  kind: string;
  fingerprint: string;
  reads_target: number;
  operation: unknown;
}

/** Where a rate-limited target's request schedule stands (PostgreSQL: shared by every process). */
export interface TargetRateLimitTable {
  target_id: string;
  /** The GCRA's theoretical arrival time, in ms of the database clock. */
  tat_ms: number;
}

/** A user pushed without a reference (its manager) whose target account did not exist yet. */
export interface PendingReferenceTable {
  provisioning_id: string;
  object_id: string;
  attribute: string;
  referenced_id: string;
  created_at: string;
}
