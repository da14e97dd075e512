import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../audit/audit-recorder.ts';

const VERBS: Readonly<Record<string, string>> = {
  POST: 'create',
  PUT: 'replace',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * Records every authenticated SCIM write (success or failure) in the audit log: action
 * `scim.user.create`, `scim.group.patch`, `scim.bulk`, …; the object is the resource the URL names or,
 * for a create, the one the server made. Unauthenticated requests are not audited (they are refused
 * before any work; the request log has them).
 */
export function createScimAuditHook(audit: AuditRecorder) {
  return async function auditScimWrite(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (request.principal === null || request.method === 'GET' || request.method === 'HEAD') return;
    const route = request.routeOptions.url ?? '';
    if (route.endsWith('/.search')) return;
    const params = request.params as { tenant?: string; id?: string };
    const resource = /\/(Users|Groups|Bulk)(?:\/|$)/.exec(route)?.[1];
    const type = resource === 'Users' ? 'User' : resource === 'Groups' ? 'Group' : resource;
    const verb = VERBS[request.method] ?? request.method.toLowerCase();
    const location = reply.getHeader('location');
    const createdId = typeof location === 'string' ? location.slice(location.lastIndexOf('/') + 1) : null;
    audit.record(request, {
      tenantId: params.tenant ?? null,
      action: type === 'Bulk' ? 'scim.bulk' : `scim.${(type ?? 'unknown').toLowerCase()}.${verb}`,
      object: type === undefined || type === 'Bulk' ? null : { type, id: params.id ?? createdId },
      outcome: reply.statusCode < 400 ? 'success' : 'failure',
      status: reply.statusCode,
    });
  };
}
