// Removals the deletion guard admitted or staged, and the backups taken before an account goes. Part of
// `DatabaseSchema` (../database-schema.ts).

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
