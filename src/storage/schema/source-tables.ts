// Sources (LDAP, CSV) that feed the directory, the objects they own, and their runs. Part of
// `DatabaseSchema` (../database-schema.ts).

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
