import type { Generated } from 'kysely';

// Who may call Lockstep and what they did: OAuth apps and their secrets, admin tokens, signing keys, the
// audit trail. Part of `DatabaseSchema` (../database-schema.ts).

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
