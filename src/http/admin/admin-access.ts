import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminPrincipal, AdminTokenService } from '../../auth/admin-token-service.ts';
import { bearerTokenOf } from '../auth/request-principal.ts';
import { sendAdminError } from './admin-errors.ts';

/**
 * Who may use a route. `tenant`: a token restricted to a tenant may use it for that tenant only (the
 * route has a `:tenant` parameter). `global`: only unrestricted tokens. `filtered`: every token; the
 * handler narrows what a restricted token sees.
 */
export type AdminAccess = 'tenant' | 'global' | 'filtered';

declare module 'fastify' {
  interface FastifyContextConfig {
    adminAccess?: AdminAccess;
    /** The audit action of a write, e.g. `tenant.create`. */
    auditAction?: string;
  }
}

/**
 * Authenticates admin requests and enforces scope and tenant: reads need `admin:read` or `admin`,
 * writes `admin`. A route without an access rule is refused, so a new route cannot be open by mistake.
 */
export function createAdminAuthentication(adminTokens: AdminTokenService) {
  return async function authenticateAdminRequest(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const presented = bearerTokenOf(request.headers.authorization);
    const principal =
      presented === undefined || presented === 'malformed'
        ? undefined
        : await adminTokens.authenticate(presented);
    if (principal === undefined) {
      reply.header(
        'www-authenticate',
        `Bearer realm="lockstep-admin"${presented === undefined ? '' : ', error="invalid_token"'}`,
      );
      await sendAdminError(
        reply,
        401,
        'unauthorized',
        presented === undefined
          ? 'Authentication required: send "Authorization: Bearer <admin token>"'
          : 'The admin token is not valid',
      );
      return;
    }
    request.principal = principal;
    const denied = deniedReason(request, principal);
    if (denied !== undefined) await sendAdminError(reply, 403, 'forbidden', denied);
  };
}

function deniedReason(request: FastifyRequest, principal: AdminPrincipal): string | undefined {
  const reading = request.method === 'GET' || request.method === 'HEAD';
  if (!reading && principal.scope !== 'admin') return 'This admin token is read-only (admin:read)';
  const access = request.routeOptions.config?.adminAccess;
  if (access === undefined)
    return request.routeOptions.url === undefined ? undefined : 'This route has no access rule';
  if (principal.tenantId === null || access === 'filtered') return undefined;
  if (access === 'global') return `This admin token is restricted to tenant "${principal.tenantId}"`;
  const tenant = (request.params as { tenant?: string }).tenant;
  return tenant === principal.tenantId
    ? undefined
    : `This admin token is restricted to tenant "${principal.tenantId}"`;
}

/** The tenant a restricted token is bound to, else the one asked for (undefined: every tenant). */
export function tenantScopeOf(request: FastifyRequest, asked: string | undefined): string | undefined {
  const principal = request.principal;
  if (principal?.kind === 'admin' && principal.tenantId !== null) return principal.tenantId;
  return asked;
}
