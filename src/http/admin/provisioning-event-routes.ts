import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProvisioningError } from '../../provisioning/provisioning-error.ts';
import type { ProvisioningRouteDependencies } from './provisioning-routes.ts';
import { ProvisioningParamsSchema } from './provisioning-schemas.ts';

/** Failed operations of a provisioning (retry, dismiss) and its statistics (CloudSSO's provisioning events). */
export function registerProvisioningEventRoutes(
  api: FastifyInstance,
  dependencies: ProvisioningRouteDependencies,
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { provisionings, engine } = dependencies;
  const tags = ['provisionings'];
  const access = { adminAccess: 'tenant' as const };

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
}
