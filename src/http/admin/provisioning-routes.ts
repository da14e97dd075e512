import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ProvisioningEngine } from '../../provisioning/engine/provisioning-engine.ts';
import type { ProvisioningQueries } from '../../provisioning/provisioning-queries.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import type { ReconciliationService } from '../../provisioning/reconciliation/reconciliation-service.ts';
import type { TargetService } from '../../provisioning/targets/target-service.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import { TenantParamsSchema } from './admin-schemas.ts';
import { registerDeprovisioningRoutes } from './deprovisioning-routes.ts';
import { registerPlanRoutes } from './plan-routes.ts';
import { registerProvisioningEventRoutes } from './provisioning-event-routes.ts';
import {
  CreateProvisioningSchema,
  DeleteProvisioningQuerySchema,
  LogQuerySchema,
  ProvisioningParamsSchema,
  RunParamsSchema,
  UpdateProvisioningSchema,
} from './provisioning-schemas.ts';
import { registerProvisioningTestRoutes } from './provisioning-test-routes.ts';
import { registerReconciliationRoutes } from './reconciliation-routes.ts';
import { registerTargetRoutes } from './target-routes.ts';

export interface ProvisioningRouteDependencies {
  readonly targets: TargetService;
  readonly provisionings: ProvisioningService;
  readonly engine: ProvisioningEngine;
  readonly queries: ProvisioningQueries;
  /** Reconciliation runs, reports and finding actions (issue 5); routes absent without it. */
  readonly reconciliation?: ReconciliationService;
  /** Disables a directory user (revoke-now); false when there is no such user. */
  readonly disableUser?: (tenantId: string, userId: string) => Promise<boolean>;
}

/** Targets, provisionings, runs, the provisioning log and failed events of a tenant (issue 4). */
export function registerProvisioningRoutes(
  api: FastifyInstance,
  dependencies: ProvisioningRouteDependencies,
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { provisionings, engine } = dependencies;
  const tags = ['provisionings'];
  const access = { adminAccess: 'tenant' as const };

  app.get(
    '/tenants/:tenant/provisionings',
    { config: access, schema: { tags, summary: 'List provisionings', params: TenantParamsSchema } },
    async (request) => ({
      items: await provisionings.listProvisionings(request.params.tenant),
    }),
  );
  app.post(
    '/tenants/:tenant/provisionings',
    {
      config: { ...access, auditAction: 'provisioning.create' },
      schema: {
        tags,
        summary: 'Create a provisioning (its configuration is checked against the target profile)',
        params: TenantParamsSchema,
        body: CreateProvisioningSchema,
      },
    },
    async (request, reply) => {
      const created = await provisionings.createProvisioning(request.params.tenant, request.body);
      setAuditObject(request, { type: 'provisioning', id: created.id });
      // Like Entra's first cycle: an enabled provisioning starts by pushing everyone in scope.
      if (created.status === 'enabled') await engine.startFullPush(request.params.tenant, created.id);
      return reply.code(201).send(created);
    },
  );
  app.get(
    '/tenants/:tenant/provisionings/:provisioning',
    { config: access, schema: { tags, summary: 'Get a provisioning', params: ProvisioningParamsSchema } },
    async (request) => provisionings.getProvisioning(request.params.tenant, request.params.provisioning),
  );
  app.patch(
    '/tenants/:tenant/provisionings/:provisioning',
    {
      config: { ...access, auditAction: 'provisioning.update' },
      schema: {
        tags,
        summary: 'Change, enable or disable a provisioning',
        params: ProvisioningParamsSchema,
        body: UpdateProvisioningSchema,
      },
    },
    async (request) => {
      const updated = await provisionings.updateProvisioning(
        request.params.tenant,
        request.params.provisioning,
        request.body,
      );
      engine.forget(updated.id);
      // A new scope or mapping (or re-enabling) changes who should have which account: re-evaluate everyone.
      if (
        updated.status === 'enabled' &&
        (request.body.config !== undefined || request.body.status === 'enabled')
      )
        await engine.startFullPush(request.params.tenant, updated.id);
      return updated;
    },
  );
  app.delete(
    '/tenants/:tenant/provisionings/:provisioning',
    {
      config: { ...access, auditAction: 'provisioning.delete' },
      schema: {
        tags,
        summary:
          'Remove a provisioning: deprovision (Delete) or leave (Keep) every linked account, then delete it',
        params: ProvisioningParamsSchema,
        querystring: DeleteProvisioningQuerySchema,
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await engine.removeProvisioning(
            request.params.tenant,
            request.params.provisioning,
            request.query.strategy,
          ),
        ),
  );

  app.post(
    '/tenants/:tenant/provisionings/:provisioning/full-push',
    {
      config: { ...access, auditAction: 'provisioning.full-push' },
      schema: { tags, summary: 'Start a full push (a run)', params: ProvisioningParamsSchema },
    },
    async (request, reply) =>
      reply.code(202).send(await engine.startFullPush(request.params.tenant, request.params.provisioning)),
  );
  app.get(
    '/tenants/:tenant/provisionings/:provisioning/runs',
    { config: access, schema: { tags, summary: 'List runs', params: ProvisioningParamsSchema } },
    async (request) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      return { items: await engine.listRuns(request.params.tenant, request.params.provisioning) };
    },
  );
  app.get(
    '/tenants/:tenant/runs/:run',
    { config: access, schema: { tags, summary: 'Get a run with its statistics', params: RunParamsSchema } },
    async (request) => engine.getRun(request.params.tenant, request.params.run),
  );
  app.post(
    '/tenants/:tenant/runs/:run/cancel',
    {
      config: { ...access, auditAction: 'run.cancel' },
      schema: { tags, summary: 'Cancel a full push', params: RunParamsSchema },
    },
    async (request) => engine.cancelRun(request.params.tenant, request.params.run),
  );

  app.get(
    '/tenants/:tenant/provisionings/:provisioning/log',
    {
      config: access,
      schema: {
        tags,
        summary: 'The provisioning log, newest first',
        params: ProvisioningParamsSchema,
        querystring: LogQuerySchema,
      },
    },
    async (request) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      return { items: await dependencies.queries.log(request.params.provisioning, request.query) };
    },
  );
  app.get(
    '/tenants/:tenant/provisionings/:provisioning/events',
    {
      config: access,
      schema: { tags, summary: 'Failed operations (provisioning events)', params: ProvisioningParamsSchema },
    },
    async (request) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      return { items: await dependencies.queries.events(request.params.provisioning) };
    },
  );
  app.get(
    '/tenants/:tenant/provisionings/:provisioning/links',
    {
      config: access,
      schema: {
        tags,
        summary: 'Links: which account each directory object is',
        params: ProvisioningParamsSchema,
        querystring: z.strictObject({
          object: z.string().max(200).optional(),
          after: z.string().max(600).optional().describe('The nextCursor of the previous page'),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
      },
    },
    async (request) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      return dependencies.queries.links(request.params.provisioning, {
        objectId: request.query.object,
        after: request.query.after,
        limit: request.query.limit,
      });
    },
  );

  app.post(
    '/tenants/:tenant/provisionings/:provisioning/preview',
    {
      config: access,
      schema: {
        tags,
        summary: 'The mapped account and scope decision for a chosen user (nothing is sent)',
        params: ProvisioningParamsSchema,
        body: z.strictObject({ userId: z.string().min(1).max(200) }),
      },
    },
    async (request) =>
      engine.preview(request.params.tenant, request.params.provisioning, request.body.userId),
  );
  app.post(
    '/tenants/:tenant/provisionings/:provisioning/scope-preview',
    {
      config: access,
      schema: {
        tags,
        summary: 'Who would enter and who would leave with another scope, before it is saved',
        params: ProvisioningParamsSchema,
        body: z.strictObject({ scope: z.unknown() }),
      },
    },
    async (request) =>
      engine.previewScope(request.params.tenant, request.params.provisioning, request.body.scope),
  );
  registerTargetRoutes(api, dependencies);
  registerProvisioningEventRoutes(api, dependencies);
  registerDeprovisioningRoutes(api, dependencies);
  registerPlanRoutes(api, dependencies);
  registerProvisioningTestRoutes(api, dependencies);
  if (dependencies.reconciliation !== undefined)
    registerReconciliationRoutes(api, dependencies.reconciliation);
}
