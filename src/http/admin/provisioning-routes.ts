import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ProvisioningEngine } from '../../provisioning/engine/provisioning-engine.ts';
import { ProvisioningError } from '../../provisioning/provisioning-error.ts';
import type { ProvisioningQueries } from '../../provisioning/provisioning-queries.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import type { TargetService } from '../../provisioning/targets/target-service.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import { TenantParamsSchema } from './admin-schemas.ts';
import {
  CreateProvisioningSchema,
  CreateTargetSchema,
  DeleteProvisioningQuerySchema,
  LogQuerySchema,
  ProvisioningParamsSchema,
  RunParamsSchema,
  TargetParamsSchema,
  UpdateProvisioningSchema,
  UpdateTargetSchema,
} from './provisioning-schemas.ts';

export interface ProvisioningRouteDependencies {
  readonly targets: TargetService;
  readonly provisionings: ProvisioningService;
  readonly engine: ProvisioningEngine;
  readonly queries: ProvisioningQueries;
}

/** Targets, provisionings, runs, the provisioning log and failed events of a tenant (issue 4). */
export function registerProvisioningRoutes(
  api: FastifyInstance,
  dependencies: ProvisioningRouteDependencies,
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { targets, provisionings, engine } = dependencies;
  const targetTags = ['targets'];
  const tags = ['provisionings'];
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
        summary: 'Create a target (its credentials are sealed at rest)',
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
        summary: 'Change a target; a connection without a secret keeps the stored one',
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
        querystring: z.strictObject({ object: z.string().max(200).optional() }),
      },
    },
    async (request) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      return { items: await dependencies.queries.links(request.params.provisioning, request.query.object) };
    },
  );

  const EventParamsSchema = ProvisioningParamsSchema.extend({ event: z.string().max(100) });
  const RetrySchema = z
    .strictObject({ duplicationStrategy: z.enum(['KeepBoth', 'TakeOver', 'Fail']).optional() })
    .optional();
  app.post(
    '/tenants/:tenant/provisionings/:provisioning/events/:event/retry',
    {
      config: { ...access, auditAction: 'provisioning.event.retry' },
      schema: {
        tags,
        summary: 'Retry a failed operation now, optionally with another duplication strategy',
        params: EventParamsSchema,
        body: RetrySchema,
      },
    },
    async (request, reply) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      const event = await dependencies.queries.event(request.params.provisioning, request.params.event);
      if (event === undefined)
        throw new ProvisioningError('not_found', `Event "${request.params.event}" not found`);
      await engine.retryObject(
        request.params.tenant,
        request.params.provisioning,
        event.object_type,
        event.object_id,
        request.body?.duplicationStrategy,
      );
      return reply.code(202).send({ retried: 1 });
    },
  );
  app.post(
    '/tenants/:tenant/provisionings/:provisioning/events/retry',
    {
      config: { ...access, auditAction: 'provisioning.event.retry-all' },
      schema: {
        tags,
        summary: 'Retry every failed operation',
        params: ProvisioningParamsSchema,
        body: RetrySchema,
      },
    },
    async (request, reply) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      const events = await dependencies.queries.events(request.params.provisioning);
      for (const event of events)
        await engine.retryObject(
          request.params.tenant,
          request.params.provisioning,
          event.objectType,
          event.objectId,
          request.body?.duplicationStrategy,
        );
      return reply.code(202).send({ retried: events.length });
    },
  );
  app.delete(
    '/tenants/:tenant/provisionings/:provisioning/events/:event',
    {
      config: { ...access, auditAction: 'provisioning.event.delete' },
      schema: { tags, summary: 'Dismiss a failed operation', params: EventParamsSchema },
    },
    async (request, reply) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      if (!(await dependencies.queries.deleteEvent(request.params.provisioning, request.params.event)))
        throw new ProvisioningError('not_found', `Event "${request.params.event}" not found`);
      return reply.code(204).send();
    },
  );
  app.get(
    '/tenants/:tenant/provisionings/:provisioning/statistics',
    {
      config: access,
      schema: {
        tags,
        summary: 'Links by state, failed operations and the latest successful sync',
        params: ProvisioningParamsSchema,
      },
    },
    async (request) => {
      await provisionings.getProvisioning(request.params.tenant, request.params.provisioning);
      return dependencies.queries.statistics([request.params.provisioning]);
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
}
