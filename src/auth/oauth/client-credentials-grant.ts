import type { AppCredentials, AppPrincipal } from '../app-credentials.ts';
import { canonicalScope, type ScimScope, scopeCovers } from '../scopes.ts';
import type { AccessTokens } from './access-tokens.ts';

/** A token request as it arrived: every parameter from the query string and the form body, and the Authorization header. */
export interface TokenRequest {
  readonly tenantId: string;
  readonly query: URLSearchParams;
  readonly body: URLSearchParams;
  readonly authorization: string | undefined;
}

export type OauthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'unauthorized_client';

export type TokenResult =
  | {
      readonly ok: true;
      readonly principal: AppPrincipal;
      readonly body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string };
    }
  | {
      readonly ok: false;
      readonly status: 400 | 401;
      readonly error: OauthErrorCode;
      readonly description: string;
      /** The client id the request named, when it named one (for rate limits and the audit log). */
      readonly clientId: string | undefined;
    };

/**
 * The client-credentials grant. Parameters may come in the form body or the query string (Alibaba
 * IDaaS sends them in the query), a parameter may not be given twice with different values, and the
 * client authenticates with exactly one of HTTP Basic or body parameters.
 * @see RFC 6749 §2.3.1, §3.2, §4.4, §5.1, §5.2
 */
export async function grantClientCredentials(
  request: TokenRequest,
  dependencies: { credentials: AppCredentials; tokens: AccessTokens },
): Promise<TokenResult> {
  const params = mergeParameters(request.query, request.body);
  if (!params.ok) return fail(400, 'invalid_request', params.description, undefined);
  const get = (name: string) => params.value.get(name);
  const basic = parseBasic(request.authorization);
  if (basic === 'malformed')
    return fail(401, 'invalid_client', 'The Authorization header is not valid HTTP Basic', get('client_id'));
  const clientId = basic?.clientId ?? get('client_id');

  const grantType = get('grant_type');
  if (grantType === undefined) return fail(400, 'invalid_request', 'grant_type is required', clientId);
  if (grantType !== 'client_credentials')
    return fail(
      400,
      'unsupported_grant_type',
      `grant_type "${grantType}" is not supported; use client_credentials`,
      clientId,
    );

  if (basic !== undefined && get('client_secret') !== undefined)
    return fail(
      400,
      'invalid_request',
      'Authenticate with HTTP Basic or with client_secret, not both',
      clientId,
    );
  if (basic !== undefined && get('client_id') !== undefined && get('client_id') !== basic.clientId)
    return fail(
      400,
      'invalid_request',
      'client_id differs from the client in the Authorization header',
      clientId,
    );
  const secret = basic?.secret ?? get('client_secret');
  if (clientId === undefined || secret === undefined)
    return fail(
      401,
      'invalid_client',
      'Client authentication is required (HTTP Basic or client_id and client_secret)',
      clientId,
    );

  const principal = await dependencies.credentials.authenticateClient(clientId, secret);
  if (principal === undefined) return fail(401, 'invalid_client', 'Client authentication failed', clientId);

  const requested = get('scope')
    ?.split(' ')
    .filter((scope) => scope !== '');
  let granted: string[];
  if (requested === undefined || requested.length === 0) granted = [...principal.scopes];
  else {
    for (const name of requested) {
      const scope: ScimScope | undefined = canonicalScope(name);
      if (scope === undefined || !scopeCovers(principal.scopes, scope))
        return fail(400, 'invalid_scope', `Scope "${name}" is not granted to this client`, clientId);
    }
    granted = [...new Set(requested)];
  }
  const { token, expiresIn } = await dependencies.tokens.issue(principal, granted);
  return {
    ok: true,
    principal,
    body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: granted.join(' ') },
  };
}

function fail(
  status: 400 | 401,
  error: OauthErrorCode,
  description: string,
  clientId: string | undefined,
): TokenResult {
  return { ok: false, status, error, description, clientId };
}

function mergeParameters(
  query: URLSearchParams,
  body: URLSearchParams,
): { ok: true; value: Map<string, string> } | { ok: false; description: string } {
  const merged = new Map<string, string>();
  for (const source of [query, body]) {
    for (const [name, value] of source) {
      const seen = merged.get(name);
      if (seen !== undefined && seen !== value)
        return { ok: false, description: `Parameter "${name}" is given more than once` };
      merged.set(name, value);
    }
  }
  return { ok: true, value: merged };
}

/** HTTP Basic client authentication; ids and secrets are form-urlencoded inside it (RFC 6749 §2.3.1). */
function parseBasic(
  header: string | undefined,
): { clientId: string; secret: string } | 'malformed' | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header);
  if (match === null) return /^Basic\b/i.test(header) ? 'malformed' : undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    const form = (text: string) => decodeURIComponent(text.replaceAll('+', ' '));
    return { clientId: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}
