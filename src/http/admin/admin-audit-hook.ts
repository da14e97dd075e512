import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../audit/audit-recorder.ts';

const objects = new WeakMap<FastifyRequest, { type: string; id: string | null; tenantId?: string | null }>();

/** Names the object a write created (its id is not in the URL yet). */
export function setAuditObject(
  request: FastifyRequest,
  object: { type: string; id: string | null; tenantId?: string | null },
): void {
  objects.set(request, object);
}

const OBJECT_PARAMS: readonly [param: string, type: string][] = [
  ['secret', 'secret'],
  ['app', 'app'],
  ['id', 'admin-token'],
  ['tenant', 'tenant'],
];

/** Records every authenticated admin write, with its outcome, in the audit log. */
export function createAdminAuditHook(audit: AuditRecorder) {
  return async function auditAdminWrite(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const action = request.routeOptions.config?.auditAction;
    if (request.principal === null || action === undefined) return;
    const params = request.params as Record<string, string | undefined>;
    const named = objects.get(request);
    const fromUrl = OBJECT_PARAMS.find(([param]) => params[param] !== undefined);
    const object =
      named ?? (fromUrl === undefined ? null : { type: fromUrl[1], id: params[fromUrl[0]] ?? null });
    audit.record(request, {
      tenantId: named?.tenantId ?? params.tenant ?? null,
      action,
      object: object === null ? null : { type: object.type, id: object.id },
      outcome: reply.statusCode < 400 ? 'success' : 'failure',
      status: reply.statusCode,
      ...(params.app !== undefined && fromUrl?.[1] === 'secret' ? { detail: { app: params.app } } : {}),
    });
  };
}
