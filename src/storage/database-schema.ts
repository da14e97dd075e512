import type { Generated } from 'kysely';

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
}

export interface TenantTokenTable {
  id: string;
  tenant_id: string;
  token_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
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

export interface DatabaseSchema {
  tenants: TenantTable;
  tenant_tokens: TenantTokenTable;
  users: UserTable;
  user_emails: UserEmailTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
}
