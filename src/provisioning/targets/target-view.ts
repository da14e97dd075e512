import type { TargetTable } from '../../storage/database-schema.ts';
import {
  type NativeApiConnection,
  type NativeApiView,
  viewNativeApi,
} from '../../targets/native-api-settings.ts';
import type { ScimConnection } from '../../targets/scim-client/scim-connection.ts';
import { DEFAULT_TARGET_SETTINGS, storedSettingsOf, type TargetSettings } from './target-settings.ts';

/** A target as the API shows it: the connection without its secret. */
export interface TargetView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly profile: string;
  readonly baseUrl: string;
  readonly authentication:
    | { readonly kind: 'bearer'; readonly tokenSet: true }
    | {
        readonly kind: 'oauth_client_credentials';
        readonly tokenUrl: string;
        readonly clientId: string;
        readonly clientAuthentication: string | null;
        readonly parametersIn: string | null;
        readonly scope: string | null;
        readonly secretSet: true;
      };
  readonly timeoutMs: number;
  /** The target's own API for what SCIM cannot do (RAM's OpenAPI), without its secret; null when none. */
  readonly nativeApi: NativeApiView | null;
  readonly settings: TargetSettings;
  readonly status: 'active' | 'quarantined';
  readonly statusReason: string | null;
  readonly statusSince: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The row as the API shows it, from its opened connection and native API (secrets left out). */
export function viewTarget(
  row: TargetTable,
  connection: ScimConnection,
  nativeApi: NativeApiConnection | undefined,
): TargetView {
  const auth = connection.authentication;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    profile: row.profile,
    baseUrl: row.base_url,
    authentication:
      auth.kind === 'bearer'
        ? { kind: 'bearer', tokenSet: true }
        : {
            kind: 'oauth_client_credentials',
            tokenUrl: auth.tokenUrl,
            clientId: auth.clientId,
            clientAuthentication: auth.clientAuthentication ?? null,
            parametersIn: auth.parametersIn ?? null,
            scope: auth.scope ?? null,
            secretSet: true,
          },
    timeoutMs: connection.timeoutMs,
    nativeApi: nativeApi === undefined ? null : viewNativeApi(nativeApi),
    settings: { ...DEFAULT_TARGET_SETTINGS, ...storedSettingsOf(row.settings) },
    status: row.status,
    statusReason: row.status_reason,
    statusSince: row.status_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
