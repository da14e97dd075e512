import { SERVICE_PROVIDER_CONFIG_SCHEMA } from '../schema/schema-urns.ts';
import { buildLocation } from './build-location.ts';

export interface ServiceProviderConfigOptions {
  readonly baseUrl: string;
  readonly documentationUri?: string;
  readonly bulk: { readonly maxOperations: number; readonly maxPayloadSize: number };
  /** The most resources one list or search response returns. */
  readonly filterMaxResults: number;
}

export interface AuthenticationScheme {
  readonly type: string;
  readonly name: string;
  readonly description: string;
  readonly specUri?: string;
  readonly documentationUri?: string;
  readonly primary?: boolean;
}

export interface ServiceProviderConfigResource {
  readonly schemas: readonly [typeof SERVICE_PROVIDER_CONFIG_SCHEMA];
  readonly documentationUri?: string;
  readonly patch: { readonly supported: boolean };
  readonly bulk: {
    readonly supported: boolean;
    readonly maxOperations: number;
    readonly maxPayloadSize: number;
  };
  readonly filter: { readonly supported: boolean; readonly maxResults: number };
  readonly changePassword: { readonly supported: boolean };
  readonly sort: { readonly supported: boolean };
  readonly etag: { readonly supported: boolean };
  readonly authenticationSchemes: readonly AuthenticationScheme[];
  readonly meta: { readonly resourceType: 'ServiceProviderConfig'; readonly location: string };
}

/** OAuth 2.0 bearer tokens (RFC 6750), the one scheme the server accepts. */
export const OAUTH_BEARER_TOKEN_SCHEME: AuthenticationScheme = Object.freeze({
  type: 'oauthbearertoken',
  name: 'OAuth Bearer Token',
  description: 'Authentication scheme using the OAuth Bearer Token Standard',
  specUri: 'https://www.rfc-editor.org/info/rfc6750',
  primary: true,
});

/**
 * `/ServiceProviderConfig`: what this server supports. changePassword is false because the server
 * keeps no passwords it could check; the other features are implemented.
 * @see RFC 7643 §5, RFC 7644 §4
 */
export function buildServiceProviderConfig(
  options: ServiceProviderConfigOptions,
): ServiceProviderConfigResource {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(options.documentationUri === undefined ? {} : { documentationUri: options.documentationUri }),
    patch: { supported: true },
    bulk: {
      supported: true,
      maxOperations: options.bulk.maxOperations,
      maxPayloadSize: options.bulk.maxPayloadSize,
    },
    filter: { supported: true, maxResults: options.filterMaxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [{ ...OAUTH_BEARER_TOKEN_SCHEME }],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: buildLocation(options.baseUrl, '/ServiceProviderConfig'),
    },
  };
}
