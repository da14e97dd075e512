import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantService } from '../../auth/tenant-service.ts';
import { ScimError } from '../../scim/errors.ts';
import { headerOf, requireTenantParameter, sendScimError } from './scim-reply.ts';

/**
 * Requires a bearer token of the tenant named in the URL. Runs before the body is read, so an
 * unauthenticated request costs no parsing. A token of another tenant is refused exactly like an
 * unknown one (401), so tenants cannot be discovered.
 * @see RFC 6750 §3 (WWW-Authenticate), RFC 7644 §2
 */
export function createScimAuthentication(tenants: TenantService) {
  return async function authenticateScimRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const tenantId = requireTenantParameter(request);
    const authorization = headerOf(request, 'authorization');
    const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) {
      reply.header('www-authenticate', 'Bearer realm="lockstep"');
      await sendScimError(
        reply,
        new ScimError(401, undefined, 'Authentication required: send "Authorization: Bearer <token>"'),
      );
      return;
    }
    const token = await tenants.authenticate(match[1] ?? '');
    if (token === undefined || token.tenantId !== tenantId) {
      reply.header('www-authenticate', 'Bearer realm="lockstep", error="invalid_token"');
      await sendScimError(
        reply,
        new ScimError(401, undefined, 'The bearer token is not valid for this tenant'),
      );
    }
  };
}
