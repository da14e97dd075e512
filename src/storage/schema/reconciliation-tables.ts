// What reconciliation runs found on targets, what admins ignored, and when runs are scheduled. Part of
// `DatabaseSchema` (../database-schema.ts).

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
