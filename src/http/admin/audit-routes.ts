import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditExportQuerySchema, AuditQuerySchema } from '../../auth/audit/audit-query-schema.ts';
import type { AuditLog } from '../../auth/audit/create-audit-log.ts';
import { tenantScopeOf } from './admin-access.ts';

const tags = ['audit'];

const AuditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    tenantId: z.string().nullable(),
    actor: z.object({ type: z.enum(['admin', 'app', 'system', 'anonymous']), id: z.string().nullable() }),
    action: z.string(),
    object: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
    outcome: z.enum(['success', 'failure']),
    status: z.number().int().nullable(),
    requestId: z.string().nullable(),
    sourceIp: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEvent' });

/** The audit log: newest first with keyset paging, or every matching event as JSON lines, oldest first. */
export function registerAuditRoutes(api: FastifyInstance, options: { auditLog: AuditLog }): void {
  const app = api.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/audit',
    {
      config: { adminAccess: 'filtered' },
      schema: {
        tags,
        summary: 'Query the audit log (newest first)',
        querystring: AuditQuerySchema,
        response: { 200: z.object({ items: z.array(AuditEventSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      await options.auditLog.flush();
      const tenant = tenantScopeOf(request, request.query.tenant);
      return options.auditLog.query({ ...request.query, ...(tenant !== undefined ? { tenant } : {}) });
    },
  );

  app.get(
    '/audit/export',
    {
      config: { adminAccess: 'filtered' },
      schema: {
        tags,
        summary: 'Export the matching audit events as JSON lines (oldest first)',
        querystring: AuditExportQuerySchema,
        produces: ['application/x-ndjson'],
      },
    },
    async (request, reply) => {
      await options.auditLog.flush();
      const tenant = tenantScopeOf(request, request.query.tenant);
      const lines = options.auditLog.exportLines({
        ...request.query,
        ...(tenant !== undefined ? { tenant } : {}),
      });
      return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines));
    },
  );
}
