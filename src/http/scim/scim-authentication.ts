import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppCredentials, AppPrincipal } from '../../auth/app-credentials.ts';
import type { AccessTokens } from '../../auth/oauth/access-tokens.ts';
import { type ScimScope, scopeCovers } from '../../auth/scopes.ts';
import { ScimError } from '../../scim/errors.ts';
import { bearerTokenOf } from '../auth/request-principal.ts';
import { requireTenantParameter, sendScimError } from './scim-reply.ts';

const REALM = 'Bearer realm="lockstep"';

/**
 * Requires an access token (or, for apps that allow it, an app secret used as a static bearer token)
 * of the tenant named in the URL, with the scope the request needs: reads need `scim:read` or `scim`,
 * writes `scim`. Runs before the body is read, so an unauthenticated request costs no parsing. A
 * credential of another tenant is refused exactly like an unknown one (401), so tenants cannot be
 * probed.
 * @see RFC 6750 §3 (WWW-Authenticate, insufficient_scope), RFC 7644 §2
 */
export function createScimAuthentication(dependencies: {
  tokens: AccessTokens;
  credentials: AppCredentials;
}) {
  return async function authenticateScimRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const tenantId = requireTenantParameter(request);
    const presented = bearerTokenOf(request.headers.authorization);
    if (presented === undefined) {
      reply.header('www-authenticate', REALM);
      await sendScimError(
        reply,
        new ScimError(401, undefined, 'Authentication required: send "Authorization: Bearer <token>"'),
      );
      return;
    }
    const principal = presented === 'malformed' ? undefined : await authenticate(presented, tenantId);
    if (principal === undefined) {
      reply.header('www-authenticate', `${REALM}, error="invalid_token"`);
      await sendScimError(
        reply,
        new ScimError(401, undefined, 'The bearer token is not valid for this tenant'),
      );
      return;
    }
    request.principal = principal;
    const needed = requiredScope(request);
    if (!scopeCovers(principal.scopes, needed)) {
      reply.header('www-authenticate', `${REALM}, error="insufficient_scope", scope="${needed}"`);
      await sendScimError(reply, new ScimError(403, undefined, `This request needs the "${needed}" scope`));
    }
  };

  async function authenticate(token: string, tenantId: string): Promise<AppPrincipal | undefined> {
    if (token.startsWith('lss_') || token.startsWith('lst_')) {
      const principal = await dependencies.credentials.authenticateBearerSecret(token);
      return principal?.tenantId === tenantId ? principal : undefined;
    }
    const checked = await dependencies.tokens.verify(token, tenantId);
    return checked.ok ? checked.principal : undefined;
  }
}

/** Reads (GET, HEAD, POST …/.search) need `scim:read`; everything else writes and needs `scim`. */
export function requiredScope(request: FastifyRequest): ScimScope {
  if (request.method === 'GET' || request.method === 'HEAD') return 'scim:read';
  if (request.method === 'POST' && (request.routeOptions.url ?? '').endsWith('/.search')) return 'scim:read';
  return 'scim';
}
