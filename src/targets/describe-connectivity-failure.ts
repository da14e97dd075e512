import type { ScimClientError } from './scim-client/scim-client-error.ts';

/** What went wrong, for programs; `message` says it for people. */
export type ConnectivityProblem =
  | 'invalid_configuration'
  | 'token_endpoint_unreachable'
  | 'token_endpoint_tls'
  | 'token_endpoint_timeout'
  | 'token_endpoint_not_found'
  | 'invalid_client'
  | 'invalid_scope'
  | 'token_endpoint_refused'
  | 'token_endpoint_failed'
  | 'token_endpoint_bad_response'
  | 'target_unreachable'
  | 'target_tls'
  | 'target_timeout'
  | 'token_rejected'
  | 'forbidden'
  | 'base_url_not_found'
  | 'filter_unsupported'
  | 'rate_limited'
  | 'target_failed'
  | 'target_bad_response'
  | 'target_refused'
  | 'invalid_service_provider_config'
  | 'service_provider_config_unavailable'
  | 'matching_attribute_unsupported'
  | 'unexpected_matches'
  | 'internal';

export interface FailureContext {
  /** Whether the SCIM API is reached with a static bearer token or an OAuth token. */
  readonly authentication: 'bearer' | 'oauth_client_credentials';
  /** The scope asked for, when any (not a secret). */
  readonly scope: string | undefined;
  /** What the failing request was for, e.g. `/Users` or `/ServiceProviderConfig`. */
  readonly endpoint: string;
  /** The filter sent, for a filter query. */
  readonly filter?: string | undefined;
}

export interface DescribedFailure {
  readonly problem: ConnectivityProblem;
  readonly message: string;
}

/**
 * One plain sentence per failure, telling a person what is wrong and what to check. Built from the
 * error's kind, status and codes only: never a stack, a token or a secret. The target's own words
 * (`detail`) are reported beside the message, not inside it.
 */
export function describeConnectivityFailure(
  error: ScimClientError,
  context: FailureContext,
): DescribedFailure {
  const where = originOf(error.request);
  const waitFor =
    error.retryAfterMs === undefined ? '' : ` (it asks to wait ${Math.ceil(error.retryAfterMs / 1000)} s)`;
  const reason = error.message.slice(error.message.indexOf(': ') + 2);
  if (error.phase === 'token') {
    switch (error.kind) {
      case 'unreachable':
        return {
          problem: 'token_endpoint_unreachable',
          message: `Cannot reach the token endpoint at ${where}: ${reason}. Check the token URL's host and port.`,
        };
      case 'tls':
        return {
          problem: 'token_endpoint_tls',
          message: `The TLS connection to the token endpoint at ${where} failed: ${reason}.`,
        };
      case 'timeout':
        return {
          problem: 'token_endpoint_timeout',
          message: `The token endpoint at ${where} did not answer in time (${reason}).`,
        };
      case 'not_found':
        return {
          problem: 'token_endpoint_not_found',
          message: `There is no token endpoint at ${pathOf(error.request)} (404). Check the token URL.`,
        };
      case 'unauthorized':
        return {
          problem: 'invalid_client',
          message:
            'The token endpoint refused the client credentials (invalid_client). Check the client id and the client secret.',
        };
      case 'rate_limited':
        return {
          problem: 'rate_limited',
          message: `The token endpoint is throttling requests (429)${waitFor}. Try again later.`,
        };
      case 'server_error':
        return {
          problem: 'token_endpoint_failed',
          message: `The token endpoint failed with ${error.status}. Try again later; if it persists, the identity service is down.`,
        };
      case 'bad_response':
        return {
          problem: 'token_endpoint_bad_response',
          message: `The token URL answered ${error.status} without an access token. Check that it is the OAuth token endpoint.`,
        };
      default:
        if (error.oauthError === 'invalid_scope')
          return {
            problem: 'invalid_scope',
            message: `The token endpoint refused the scope ${context.scope === undefined ? '(none asked)' : `"${context.scope}"`} (invalid_scope). Ask for a scope the application is granted.`,
          };
        return {
          problem: 'token_endpoint_refused',
          message: `The token endpoint refused the request (${[error.status, error.oauthError].filter(Boolean).join(' ')}). Check the token settings.`,
        };
    }
  }
  switch (error.kind) {
    case 'unreachable':
      return {
        problem: 'target_unreachable',
        message: `Cannot reach the target at ${where}: ${reason}. Check the SCIM base URL, or whether the target is down.`,
      };
    case 'tls':
      return {
        problem: 'target_tls',
        message: `The TLS connection to the target at ${where} failed: ${reason}.`,
      };
    case 'timeout':
      return {
        problem: 'target_timeout',
        message: `The target at ${where} did not answer in time (${reason}).`,
      };
    case 'unauthorized':
      return {
        problem: 'token_rejected',
        message:
          context.authentication === 'bearer'
            ? 'The target refused the bearer token (401). Check the token, or issue a new one.'
            : 'The target refused the access token the token endpoint issued (401). Check that the token endpoint and the client belong to this target.',
      };
    case 'forbidden':
      return {
        problem: 'forbidden',
        message: `The target accepted the credentials but refused access to ${context.endpoint} (403). Grant the client SCIM access${context.scope === undefined ? '' : ` (scope "${context.scope}")`}.`,
      };
    case 'not_found':
      return {
        problem: 'base_url_not_found',
        message: `There is no SCIM ${context.endpoint} endpoint at ${pathOf(error.request)} (404). Check the SCIM base URL.`,
      };
    case 'rate_limited':
      return {
        problem: 'rate_limited',
        message: `The target is throttling requests (429)${waitFor}. Try again later.`,
      };
    case 'bad_response':
      return {
        problem: 'target_bad_response',
        message: `The target answered ${context.endpoint} with ${error.status} but not with SCIM JSON (${reason}). Check the SCIM base URL.`,
      };
    default:
      if (context.filter !== undefined && (error.scimType === 'invalidFilter' || error.status === 501))
        return {
          problem: 'filter_unsupported',
          message: `The target does not support the filter ${context.filter} (${[error.status, error.scimType].filter(Boolean).join(' ')}). Choose a matching attribute the target can filter on.`,
        };
      if (error.kind === 'server_error')
        return {
          problem: 'target_failed',
          message: `The target failed with ${error.status}${waitFor}. Try again later; if it persists, the target is down.`,
        };
      return {
        problem: 'target_refused',
        message: `The target refused ${context.endpoint} with ${[error.status, error.scimType].filter(Boolean).join(' ')}.`,
      };
  }
}

/** `GET http://host:1/x/y` → `http://host:1`. */
function originOf(request: string): string {
  const url = request.slice(request.indexOf(' ') + 1);
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function pathOf(request: string): string {
  return request.slice(request.indexOf(' ') + 1);
}
