/** The objects of the admin REST API as the CLI reads them (see /api/openapi.json). */

export interface ItemList<T> {
  readonly items: T[];
}

export interface Tenant {
  readonly id: string;
  readonly displayName: string;
  readonly status: 'active' | 'disabled';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly scimBaseUrl: string;
  readonly tokenEndpoint: string;
}

export interface SecretInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** A secret with its value: the only answer that ever carries it. */
export interface NewSecret {
  readonly id: string;
  readonly value: string;
  readonly createdAt: string;
}

export interface App {
  readonly id: string;
  readonly clientId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly scopes: string[];
  readonly tokenTtlSeconds: number;
  readonly status: 'enabled' | 'disabled';
  readonly secretAsBearer: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly secrets: SecretInfo[];
}

export interface AdminToken {
  readonly id: string;
  readonly label: string;
  readonly scope: 'admin' | 'admin:read';
  readonly tenantId: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly tenantId: string | null;
  readonly actor: { readonly type: string; readonly id: string | null };
  readonly action: string;
  readonly object: { readonly type: string; readonly id: string | null } | null;
  readonly outcome: 'success' | 'failure';
  readonly status: number | null;
  readonly requestId: string | null;
  readonly sourceIp: string | null;
  readonly detail: Record<string, unknown> | null;
}

export interface AuditPage extends ItemList<AuditEvent> {
  readonly nextCursor: string | null;
}

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly status: 'active' | 'retired';
  readonly createdAt: string;
  readonly retiredAt: string | null;
}
