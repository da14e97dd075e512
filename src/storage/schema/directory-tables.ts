import type { Generated } from 'kysely';

// Tenants and their directory: users, groups, memberships, org units, and the change feed the engine
// dispatches from. Part of `DatabaseSchema` (../database-schema.ts).

export interface TenantTable {
  id: string;
  display_name: string;
  status: string;
  created_at: string;
  updated_at: string | null;
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

export interface DirectoryChangeTable {
  seq: Generated<number>;
  tenant_id: string;
  object_type: 'User' | 'Group';
  object_id: string;
  change: 'upsert' | 'delete';
  at: string;
}
