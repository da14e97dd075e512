import type {
  AdminTokenTable,
  AppSecretTable,
  AppTable,
  AuditEventTable,
  SigningKeyTable,
} from './schema/auth-tables.ts';
import type {
  AccountBackupTable,
  RemovalAdmissionTable,
  StagedRemovalTable,
} from './schema/deprovisioning-tables.ts';
import type {
  DirectoryChangeTable,
  GroupMemberTable,
  GroupTable,
  OrgUnitTable,
  TenantTable,
  UserEmailTable,
  UserOrgUnitTable,
  UserTable,
} from './schema/directory-tables.ts';
import type { JobGroupLimitTable, JobPausedGroupTable, JobTable } from './schema/jobs-tables.ts';
import type {
  LinkTable,
  PendingReferenceTable,
  PlanItemTable,
  PlanTable,
  ProvisioningEventTable,
  ProvisioningLogTable,
  ProvisioningRunItemTable,
  ProvisioningRunTable,
  ProvisioningTable,
  TargetRateLimitTable,
  TargetTable,
} from './schema/provisioning-tables.ts';
import type {
  ReconciliationFindingTable,
  ReconciliationIgnoreTable,
  ReconciliationSettingsTable,
} from './schema/reconciliation-tables.ts';
import type {
  SourceObjectTable,
  SourceRunItemTable,
  SourceRunTable,
  SourceTable,
} from './schema/source-tables.ts';

export type * from './schema/auth-tables.ts';
export type * from './schema/deprovisioning-tables.ts';
export type * from './schema/directory-tables.ts';
export type * from './schema/jobs-tables.ts';
export type * from './schema/provisioning-tables.ts';
export type * from './schema/reconciliation-tables.ts';
export type * from './schema/source-tables.ts';

/**
 * Table shapes as Kysely sees them. Timestamps are canonical ISO-8601 strings
 * (`Date.prototype.toISOString`) in both dialects so that SQL comparison of timestamps agrees with the
 * SCIM filter evaluator. `doc` columns hold the SCIM document (JSON text in SQLite, jsonb in PostgreSQL).
 * The tables themselves are in ./schema/, one file per area; they are re-exported here.
 */
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
