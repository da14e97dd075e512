import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SourceService } from '../../sources/source-service.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import { TenantParamsSchema } from './admin-schemas.ts';

export interface SourceRouteDependencies {
  readonly sources: SourceService;
  /** Called after a run that may have changed the directory (pokes the provisioning engine). */
  readonly onDirectoryWrite?: () => void;
}

const SourceParamsSchema = TenantParamsSchema.extend({ source: z.string().min(1) });
const RunParamsSchema = SourceParamsSchema.extend({ run: z.string().min(1) });
const SourceBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['ldap', 'csv']),
  config: z.record(z.string(), z.unknown()),
  schedule: z.string().max(200).nullable().optional(),
  protection: z.record(z.string(), z.unknown()).optional(),
  status: z.enum(['enabled', 'disabled']).optional(),
});
const UpdateSourceSchema = SourceBodySchema.omit({ kind: true }).partial();
const RunSourceSchema = z
  .object({
    mode: z.enum(['full', 'incremental']).default('incremental'),
    dryRun: z.boolean().default(false),
  })
  .default({ mode: 'incremental', dryRun: false });

/** LDAP / AD and CSV sources of a tenant, runs on demand and the run history (issue 6). */
export function registerSourceRoutes(api: FastifyInstance, dependencies: SourceRouteDependencies): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { sources } = dependencies;
  const tags = ['sources'];
  const access = { adminAccess: 'tenant' as const };

  app.get(
    '/tenants/:tenant/sources',
    {
      config: access,
      schema: { tags, summary: 'List sources (the bind password never shown)', params: TenantParamsSchema },
    },
    async (request) => ({ items: await sources.listSources(request.params.tenant) }),
  );
  app.post(
    '/tenants/:tenant/sources',
    {
      config: { ...access, auditAction: 'source.create' },
      schema: {
        tags,
        summary: 'Create a source (its secrets are sealed at rest)',
        params: TenantParamsSchema,
        body: SourceBodySchema,
      },
    },
    async (request, reply) => {
      const created = await sources.createSource(request.params.tenant, request.body);
      setAuditObject(request, { type: 'source', id: created.id });
      return reply.code(201).send(created);
    },
  );
  app.get(
    '/tenants/:tenant/sources/:source',
    { config: access, schema: { tags, summary: 'Get a source', params: SourceParamsSchema } },
    async (request) => sources.getSource(request.params.tenant, request.params.source),
  );
  app.patch(
    '/tenants/:tenant/sources/:source',
    {
      config: { ...access, auditAction: 'source.update' },
      schema: {
        tags,
        summary: 'Change a source; an LDAP connection without bindPassword keeps the stored one',
        params: SourceParamsSchema,
        body: UpdateSourceSchema,
      },
    },
    async (request) => sources.updateSource(request.params.tenant, request.params.source, request.body),
  );
  app.delete(
    '/tenants/:tenant/sources/:source',
    {
      config: { ...access, auditAction: 'source.delete' },
      schema: {
        tags,
        summary: 'Delete a source (its objects stay, owned by nobody)',
        params: SourceParamsSchema,
      },
    },
    async (request, reply) => {
      await sources.deleteSource(request.params.tenant, request.params.source);
      return reply.code(204).send();
    },
  );
  app.post(
    '/tenants/:tenant/sources/:source/runs',
    {
      config: { ...access, auditAction: 'source.run' },
      schema: {
        tags,
        summary: 'Run an LDAP source now (full or incremental; dryRun returns the plan)',
        params: SourceParamsSchema,
        body: RunSourceSchema,
      },
    },
    async (request, reply) => {
      const body = request.body ?? { mode: 'incremental' as const, dryRun: false };
      const result = await sources.runSource(request.params.tenant, request.params.source, body);
      if (result.ok && !body.dryRun) dependencies.onDirectoryWrite?.();
      // A refused or failed run is still a recorded run: 200 with ok false and the reason.
      return reply.code(result.ok ? 201 : 200).send(result);
    },
  );
  app.get(
    '/tenants/:tenant/sources/:source/runs',
    {
      config: access,
      schema: {
        tags,
        summary: 'The latest runs of a source (direction ingress)',
        params: SourceParamsSchema,
      },
    },
    async (request) => ({ items: await sources.listRuns(request.params.tenant, request.params.source) }),
  );
  app.get(
    '/tenants/:tenant/sources/:source/runs/:run/items',
    { config: access, schema: { tags, summary: 'What a run did per object', params: RunParamsSchema } },
    async (request) => ({
      items: await sources.listRunItems(request.params.tenant, request.params.source, request.params.run),
    }),
  );
}
