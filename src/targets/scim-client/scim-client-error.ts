/**
 * Every way a request to a target can fail, as a value. `kind` is what callers branch on; `status`,
 * `scimType`, `detail` and `oauthError` keep the target's own words. Nothing here ever holds a
 * secret or a token: messages are built from hosts, paths, statuses and the target's answer.
 */
export type ScimClientErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'server_error'
  | 'bad_response'
  | 'client_error';

/** `token`: at the OAuth token endpoint (the SCIM request was not sent); `scim`: at the SCIM API. */
export type RequestPhase = 'token' | 'scim';

export interface ScimClientError {
  readonly kind: ScimClientErrorKind;
  readonly phase: RequestPhase;
  /** The HTTP status, when the target answered. */
  readonly status: number | undefined;
  /** From a SCIM error body (RFC 7644 §3.12). */
  readonly scimType: string | undefined;
  /** The target's own explanation: a SCIM error's `detail` or an OAuth `error_description`. */
  readonly detail: string | undefined;
  /** From an OAuth error body (RFC 6749 §5.2): `invalid_client`, `invalid_scope`, … */
  readonly oauthError: string | undefined;
  /** From Retry-After on a 429 or 503. */
  readonly retryAfterMs: number | undefined;
  /** The network error's code (`ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`, …). */
  readonly networkCode: string | undefined;
  /** The method and URL without its query string, e.g. `GET http://127.0.0.1:8080/Users`. */
  readonly request: string;
  /** One line for logs and people; no stack, no secrets. */
  readonly message: string;
}

export type ScimClientErrorInput = Pick<ScimClientError, 'kind' | 'phase' | 'request' | 'message'> &
  Partial<Omit<ScimClientError, 'kind' | 'phase' | 'request' | 'message'>>;

export function createScimClientError(input: ScimClientErrorInput): ScimClientError {
  return {
    status: undefined,
    scimType: undefined,
    detail: undefined,
    oauthError: undefined,
    retryAfterMs: undefined,
    networkCode: undefined,
    ...input,
  };
}

/** The kind an HTTP error status means. 501 is a server_error that retrying will not fix. */
export function errorKindForStatus(status: number): ScimClientErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

/** `METHOD scheme://host/path`, the query string dropped (it may hold client ids or filter values). */
export function describeRequest(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}
