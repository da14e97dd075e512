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

export interface DatabaseSchema {
  tenants: TenantTable;
  apps: AppTable;
  app_secrets: AppSecretTable;
  admin_tokens: AdminTokenTable;
  signing_keys: SigningKeyTable;
  audit_events: AuditEventTable;
  users: UserTable;
  user_emails: UserEmailTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
}
