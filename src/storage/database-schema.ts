import type { ColumnType, Generated } from 'kysely';

/** A nullable column added by a later migration: optional when inserting. */
type NullableColumn = ColumnType<string | null, string | null | undefined, string | null>;

/**
 * Table shapes as Kysely sees them. Timestamps are canonical ISO-8601 strings
 * (`Date.prototype.toISOString`) in both dialects so that SQL comparison of timestamps agrees with the
 * SCIM filter evaluator. `doc` columns hold the SCIM document (JSON text in SQLite, jsonb in PostgreSQL).
 */
export interface TenantTable {
  id: string;
  display_name: string;
  status: string;
  created_at: string;
  updated_at: string | null;
}

export interface AppTable {
  /** The OAuth client id. */
  id: string;
  tenant_id: string;
  name: string;
  /** JSON array of scope names. */
  scopes: string;
  token_ttl_seconds: number;
  status: 'enabled' | 'disabled';
  /** 1 when the app's secrets are also accepted directly as static bearer tokens. */
  secret_as_bearer: number;
  created_at: string;
  updated_at: string;
}

export interface AppSecretTable {
  id: string;
  app_id: string;
  tenant_id: string;
  /** `scrypt$…` (see secret-hash.ts) or, for converted bootstrap tokens, `legacy-sha256$…`. */
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface AdminTokenTable {
  id: string;
  label: string;
  scope: 'admin' | 'admin:read';
  /** Restricts the token to one tenant; null for every tenant. */
  tenant_id: string | null;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface SigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: string;
  /** The private JWK sealed with the service's secret key (AES-256-GCM). */
  private_jwk_sealed: string;
  status: 'active' | 'retired';
  created_at: string;
  retired_at: string | null;
}

export interface AuditEventTable {
  seq: Generated<number>;
  at: string;
  tenant_id: string | null;
  actor_type: 'admin' | 'app' | 'system' | 'anonymous';
  actor_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: 'success' | 'failure';
  status: number | null;
  request_id: string | null;
  source_ip: string | null;
  detail: unknown;
}

export interface UserTable {
  seq: Generated<number>;
  tenant_id: string;
  id: string;
  user_name: string;
  /** `user_name` folded with JS `toLowerCase`: the case-insensitive uniqueness and lookup key. */
  user_name_ci: string;
  external_id: string | null;
  display_name_ci: string | null;
  created_at: string;
  last_modified: string;
  version: number;
  doc: unknown;
  password_hash: string | null;
}

export interface UserEmailTable {
  tenant_id: string;
  user_id: string;
  value_ci: string;
}

export interface GroupTable {
  seq: Generated<number>;
  tenant_id: string;
  id: string;
  display_name: string;
  display_name_ci: string;
  external_id: string | null;
  created_at: string;
  last_modified: string;
  version: number;
  doc: unknown;
}

export interface GroupMemberTable {
  tenant_id: string;
  group_id: string;
  member_id: string;
  member_type: 'User' | 'Group';
}

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

export interface AccountBackupTable {
  id: string;
  tenant_id: string;
  provisioning_id: string;
  target_id: string;
  object_id: string;
  account_id: string;
  user_name: string | null;
  reason: string;
  scim_document: unknown;
  native: unknown;
  taken_at: string;
  expires_at: string;
  restored_at: string | null;
  restore_report: unknown;
}

export interface RemovalAdmissionTable {
  provisioning_id: string;
  object_id: string;
  admitted_at: string;
}

export interface StagedRemovalTable {
  provisioning_id: string;
  object_id: string;
  tenant_id: string;
  account_id: string | null;
  action: string;
  trigger: string;
  status: 'staged' | 'approved';
  reason: string;
  staged_at: string;
  decided_at: string | null;
}

export interface DirectoryChangeTable {
  seq: Generated<number>;
  tenant_id: string;
  object_type: 'User' | 'Group';
  object_id: string;
  change: 'upsert' | 'delete';
  at: string;
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

/** One row per job key (src/jobs/sql-job-queue.ts). */
export interface JobTable {
  job_key: string;
  kind: string;
  group_name: string | null;
  /** JSON text. */
  payload: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** 1 when the key was enqueued again while running: one more run follows. */
  rerun: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  /** The claim's fencing token while running. */
  lock_token: string | null;
  /** The lease: past it, a running job is taken over (its worker is presumed dead). */
  locked_until: string | null;
  last_error: string | null;
  updated_at: string;
}

export interface JobPausedGroupTable {
  group_name: string;
  paused_at: string;
}

/** At most `max_running` jobs of the group run at once; a group without a row has the default. */
export interface JobGroupLimitTable {
  group_name: string;
  max_running: number;
}

export interface SourceTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: 'ldap' | 'csv';
  /** The connection and mapping (secrets included), sealed with the service's secret key. */
  config_sealed: string;
  /** A cron expression for scheduled runs, or null (on demand only). */
  schedule: string | null;
  /** Pull-protection thresholds (see source-protection.ts). */
  protection: unknown;
  status: 'enabled' | 'disabled';
  /** Where the last successful run got to (an LDAP entryCSN / uSNChanged), for incremental runs. */
  watermark: string | null;
  created_at: string;
  updated_at: string;
}

export interface SourceObjectTable {
  tenant_id: string;
  source_id: string;
  object_type: 'User' | 'Group' | 'OrgUnit';
  /** The source's stable key: entryUUID, objectGUID, a CSV key column. */
  external_key: string;
  object_id: string;
  external_name: string | null;
  /** The SCIM attribute paths this source supplies (its authority). */
  attributes_owned: unknown;
  /** Paths an admin released to local control: the source no longer writes them. */
  released: unknown;
  source_state: unknown;
  updated_at: string;
}

export interface OrgUnitTable {
  id: string;
  tenant_id: string;
  source_id: string | null;
  external_key: string | null;
  name: string;
  parent_id: string | null;
  path: string;
  created_at: string;
  updated_at: string;
}

export interface UserOrgUnitTable {
  tenant_id: string;
  user_id: string;
  org_unit_id: string;
}

export interface SourceRunTable {
  id: string;
  tenant_id: string;
  source_id: string;
  direction: 'ingress';
  mode: 'full' | 'incremental';
  trigger: 'manual' | 'schedule';
  dry_run: number;
  status: 'running' | 'failed' | 'partial_success' | 'success';
  stats: unknown;
  error_code: string | null;
  error: string | null;
  watermark_before: string | null;
  watermark_after: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface SourceRunItemTable {
  run_id: string;
  object_type: 'User' | 'Group' | 'OrgUnit';
  external_key: string;
  object_id: string | null;
  action: string;
  outcome: 'success' | 'failed';
  message: string | null;
}

/** What a reconciliation run found on a target (src/provisioning/reconciliation). */
export interface ReconciliationFindingTable {
  id: string;
  run_id: string;
  tenant_id: string;
  provisioning_id: string;
  kind: 'orphan' | 'missing' | 'drift';
  status: 'open' | 'ignored' | 'actioned';
  account_id: string;
  user_name: string | null;
  external_id: string | null;
  object_id: string | null;
  details: unknown;
  action: 'adopt' | 'deprovision' | 'repair' | 'ignore' | null;
  action_object_id: string | null;
  acted_at: string | null;
  created_at: string;
}

/** A finding an admin ignored: later runs list that account's finding of that kind as ignored. */
export interface ReconciliationIgnoreTable {
  provisioning_id: string;
  kind: 'orphan' | 'missing' | 'drift';
  account_id: string;
  tenant_id: string;
  finding_id: string;
  created_at: string;
}

export interface ReconciliationSettingsTable {
  provisioning_id: string;
  tenant_id: string;
  /** A five-field cron expression (UTC), or null: on demand only. */
  schedule: string | null;
  updated_at: string;
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

export interface DatabaseSchema {
  tenants: TenantTable;
  apps: AppTable;
  app_secrets: AppSecretTable;
  admin_tokens: AdminTokenTable;
  signing_keys: SigningKeyTable;
  audit_events: AuditEventTable;
  targets: TargetTable;
  provisionings: ProvisioningTable;
  links: LinkTable;
  account_backups: AccountBackupTable;
  removal_admissions: RemovalAdmissionTable;
  staged_removals: StagedRemovalTable;
  directory_changes: DirectoryChangeTable;
  provisioning_runs: ProvisioningRunTable;
  provisioning_run_items: ProvisioningRunItemTable;
  provisioning_log: ProvisioningLogTable;
  provisioning_events: ProvisioningEventTable;
  users: UserTable;
  user_emails: UserEmailTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  jobs: JobTable;
  job_paused_groups: JobPausedGroupTable;
  job_group_limits: JobGroupLimitTable;
  sources: SourceTable;
  source_objects: SourceObjectTable;
  org_units: OrgUnitTable;
  user_org_units: UserOrgUnitTable;
  source_runs: SourceRunTable;
  source_run_items: SourceRunItemTable;
  reconciliation_findings: ReconciliationFindingTable;
  reconciliation_ignores: ReconciliationIgnoreTable;
  reconciliation_settings: ReconciliationSettingsTable;
  plans: PlanTable;
  plan_items: PlanItemTable;
  target_rate_limits: TargetRateLimitTable;
  pending_references: PendingReferenceTable;
}
