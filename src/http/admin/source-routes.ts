import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProvisioningError } from '../../provisioning/provisioning-error.ts';
import type { CsvImportService } from '../../sources/csv-import-service.ts';
import type { SourceService } from '../../sources/source-service.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import { TenantParamsSchema } from './admin-schemas.ts';

export interface SourceRouteDependencies {
  readonly sources: SourceService;
  /** CSV file imports (POST .../import); without it the route is not registered. */
  readonly csvImports?: CsvImportService;
  /** Called after a run that may have changed the directory (pokes the provisioning engine). */
  readonly onDirectoryWrite?: () => void;
  /** A source was created, changed or deleted: (re)schedule its runs. */
  readonly onSourceChange?: (tenantId: string, sourceId: string) => Promise<void>;
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

/** The largest CSV file the import takes (HR exports of a large organisation fit comfortably). */
export const CSV_IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

const QueryFlagSchema = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
const ImportQuerySchema = z.object({
  dryRun: QueryFlagSchema.default(true),
  complete: QueryFlagSchema.default(false),
  applyValidRows: QueryFlagSchema.default(false),
});

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
      await dependencies.onSourceChange?.(request.params.tenant, created.id);
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
    async (request) => {
      const updated = await sources.updateSource(request.params.tenant, request.params.source, request.body);
      await dependencies.onSourceChange?.(request.params.tenant, updated.id);
      return updated;
    },
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
      await dependencies.onSourceChange?.(request.params.tenant, request.params.source);
      return reply.code(204).send();
    },
  );
  app.put(
    '/tenants/:tenant/sources/:source/objects/:type/:object/released',
    {
      config: { ...access, auditAction: 'source.release' },
      schema: {
        tags,
        summary: 'Release attributes of one object to local control (the source stops writing them)',
        params: SourceParamsSchema.extend({
          type: z.enum(['User', 'Group']),
          object: z.string().min(1).max(200),
        }),
        body: z.strictObject({ paths: z.array(z.string().min(1).max(200)).max(100) }),
      },
    },
    async (request) =>
      sources.releaseAttributes(
        request.params.tenant,
        request.params.source,
        request.params.type,
        request.params.object,
        request.body.paths,
      ),
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
  const { csvImports } = dependencies;
  if (csvImports !== undefined)
    api.register(async (scope) => {
      // The file is the body, as it is; the parser keeps the bytes so the importer can check the encoding.
      scope.addContentTypeParser(
        ['text/csv', 'application/octet-stream', 'text/plain'],
        { parseAs: 'buffer', bodyLimit: CSV_IMPORT_BODY_LIMIT },
        (_request, body, done) => done(null, body),
      );
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/tenants/:tenant/sources/:source/import',
        {
          bodyLimit: CSV_IMPORT_BODY_LIMIT,
          config: { ...access, auditAction: 'source.import' },
          schema: {
            tags,
            summary:
              'Import a CSV file (the body, text/csv) into a CSV source: a dry run unless dryRun=false; ' +
              'a file with problems changes nothing unless applyValidRows=true',
            params: SourceParamsSchema,
            querystring: ImportQuerySchema,
          },
        },
        async (request, reply) => {
          if (request.body !== undefined && !Buffer.isBuffer(request.body))
            throw new ProvisioningError(
              'invalid',
              'Send the file itself as the body, with Content-Type text/csv',
            );
          const file = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const report = await csvImports.importFile(request.params.tenant, request.params.source, file, {
            dryRun: request.query.dryRun,
            complete: request.query.complete,
            applyValidRows: request.query.applyValidRows,
          });
          if (report.applied) dependencies.onDirectoryWrite?.();
          setAuditObject(request, { type: 'source', id: request.params.source });
          return reply.code(200).send(report);
        },
      );
    });
}
