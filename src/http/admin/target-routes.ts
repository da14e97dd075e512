import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TargetService } from '../../provisioning/targets/target-service.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import { TenantParamsSchema } from './admin-schemas.ts';
import type { ProvisioningRouteDependencies } from './provisioning-routes.ts';
import { CreateTargetSchema, TargetParamsSchema, UpdateTargetSchema } from './provisioning-schemas.ts';

/** Targets of a tenant: CRUD, test connectivity, resume after quarantine, statistics (issue 4). */
export function registerTargetRoutes(
  api: FastifyInstance,
  dependencies: ProvisioningRouteDependencies,
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { targets, provisionings, engine } = dependencies;
  const targetTags = ['targets'];
  const access = { adminAccess: 'tenant' as const };

  app.get(
    '/tenants/:tenant/targets',
    {
      config: access,
      schema: { tags: targetTags, summary: 'List targets (secrets never shown)', params: TenantParamsSchema },
    },
    async (request) => ({
      items: await targets.listTargets(request.params.tenant),
    }),
  );
  app.post(
    '/tenants/:tenant/targets',
    {
      config: { ...access, auditAction: 'target.create' },
      schema: {
        tags: targetTags,
        summary: 'Create a target (its credentials, and its native API AccessKey, are sealed at rest)',
        params: TenantParamsSchema,
        body: CreateTargetSchema,
      },
    },
    async (request, reply) => {
      const created = await targets.createTarget(
        request.params.tenant,
        request.body as Parameters<TargetService['createTarget']>[1],
      );
      setAuditObject(request, { type: 'target', id: created.id });
      return reply.code(201).send(created);
    },
  );
  app.get(
    '/tenants/:tenant/targets/:target',
    { config: access, schema: { tags: targetTags, summary: 'Get a target', params: TargetParamsSchema } },
    async (request) => targets.getTarget(request.params.tenant, request.params.target),
  );
  app.patch(
    '/tenants/:tenant/targets/:target',
    {
      config: { ...access, auditAction: 'target.update' },
      schema: {
        tags: targetTags,
        summary: 'Change a target; a connection or native API without a secret keeps the stored one',
        params: TargetParamsSchema,
        body: UpdateTargetSchema,
      },
    },
    async (request) => {
      const updated = await targets.updateTarget(
        request.params.tenant,
        request.params.target,
        request.body as Parameters<TargetService['updateTarget']>[2],
      );
      engine.forgetTarget(updated.id);
      return updated;
    },
  );
  app.delete(
    '/tenants/:tenant/targets/:target',
    {
      config: { ...access, auditAction: 'target.delete' },
      schema: {
        tags: targetTags,
        summary: 'Delete a target no provisioning uses',
        params: TargetParamsSchema,
      },
    },
    async (request, reply) => {
      await targets.deleteTarget(request.params.tenant, request.params.target);
      return reply.code(204).send();
    },
  );
  app.post(
    '/tenants/:tenant/targets/:target/test',
    {
      config: { ...access, auditAction: 'target.test' },
      schema: {
        tags: targetTags,
        summary: 'Test connectivity: authenticate, read the service provider config, look up an account',
        params: TargetParamsSchema,
        body: z.strictObject({ matchingAttribute: z.string().max(200).optional() }).optional(),
      },
    },
    async (request) =>
      targets.testTarget(request.params.tenant, request.params.target, request.body?.matchingAttribute),
  );
  app.post(
    '/tenants/:tenant/targets/:target/resume',
    {
      config: { ...access, auditAction: 'target.resume' },
      schema: { tags: targetTags, summary: 'Resume a quarantined target', params: TargetParamsSchema },
    },
    async (request) => {
      await targets.getTarget(request.params.tenant, request.params.target);
      await engine.resumeTarget(request.params.target);
      return targets.getTarget(request.params.tenant, request.params.target);
    },
  );

  app.get(
    '/tenants/:tenant/targets/:target/statistics',
    {
      config: access,
      schema: {
        tags: targetTags,
        summary: "Statistics over the target's provisionings",
        params: TargetParamsSchema,
      },
    },
    async (request) => {
      const target = await targets.getTarget(request.params.tenant, request.params.target);
      const ids = (await provisionings.listProvisionings(request.params.tenant))
        .filter((p) => p.targetId === target.id)
        .map((p) => p.id);
      return {
        ...(await dependencies.queries.statistics(ids)),
        status: target.status,
        statusReason: target.statusReason,
      };
    },
  );
}
