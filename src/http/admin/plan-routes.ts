import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PLAN_KINDS } from '../../provisioning/planning/plan-types.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import { sendAdminError } from './admin-errors.ts';
import { TenantParamsSchema } from './admin-schemas.ts';
import type { ProvisioningRouteDependencies } from './provisioning-routes.ts';
import { ProvisioningParamsSchema } from './provisioning-schemas.ts';

const CreatePlanSchema = z.strictObject({
  kind: z
    .enum(PLAN_KINDS)
    .describe('full-push: what a full push would do now; config: what saving `config` would do; removal'),
  config: z.unknown().optional().describe('kind config: the proposed configuration (see ProvisioningConfig)'),
  deletionStrategy: z
    .enum(['Delete', 'Keep'])
    .optional()
    .describe("kind removal: overrides the provisioning's DeletionStrategy"),
});

const PlanParamsSchema = TenantParamsSchema.extend({ plan: z.string().max(100) });

const PlanPageSchema = z.strictObject({
  cursor: z.string().max(300).optional().describe('The nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  all: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: list objects with nothing to do too (unchanged, out of scope)'),
});

/**
 * Plans (issue 5, item 6): compute what a full push, a configuration change or a removal would do
 * without writing to the target, read it page by page, and apply it — refused with 409 and what
 * changed when the world moved since.
 */
export function registerPlanRoutes(api: FastifyInstance, dependencies: ProvisioningRouteDependencies): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const planning = dependencies.engine.planning;
  const tags = ['plans'];
  const access = { adminAccess: 'tenant' as const };

  app.post(
    '/tenants/:tenant/provisionings/:provisioning/plans',
    {
      config: { ...access, auditAction: 'plan.create' },
      schema: {
        tags,
        summary:
          'Plan a full push, a configuration change or a removal: every create, update (old → new), disable, delete with its cleanup, and staged removal, without writing to the target',
        params: ProvisioningParamsSchema,
        body: CreatePlanSchema,
      },
    },
    async (request, reply) => {
      const { tenant, provisioning } = request.params;
      const plan = await planning.create(tenant, provisioning, {
        kind: request.body.kind,
        ...(request.body.config !== undefined ? { config: request.body.config } : {}),
        ...(request.body.deletionStrategy !== undefined
          ? { deletionStrategy: request.body.deletionStrategy }
          : {}),
      });
      setAuditObject(request, { type: 'plan', id: plan.id });
      return reply.code(201).send(plan);
    },
  );
  app.get(
    '/tenants/:tenant/provisionings/:provisioning/plans',
    {
      config: access,
      schema: { tags, summary: "A provisioning's plans, newest first", params: ProvisioningParamsSchema },
    },
    async (request) => ({
      items: await planning.list(request.params.tenant, request.params.provisioning),
    }),
  );
  app.get(
    '/tenants/:tenant/plans/:plan',
    {
      config: access,
      schema: {
        tags,
        summary: 'A plan: its counts, the deletion guard forecast, and its operations (paged)',
        params: PlanParamsSchema,
        querystring: PlanPageSchema,
      },
    },
    async (request) =>
      planning.get(request.params.tenant, request.params.plan, {
        cursor: request.query.cursor,
        limit: request.query.limit,
        all: request.query.all === 'true',
      }),
  );
  app.post(
    '/tenants/:tenant/plans/:plan/apply',
    {
      config: { ...access, auditAction: 'plan.apply' },
      schema: {
        tags,
        summary:
          'Apply a plan: exactly its operations, as a run; 409 with what changed when the world moved since it was computed',
        params: PlanParamsSchema,
      },
    },
    async (request, reply) => {
      setAuditObject(request, { type: 'plan', id: request.params.plan });
      const applied = await planning.apply(request.params.tenant, request.params.plan);
      if (!applied.ok)
        return sendAdminError(reply, 409, 'conflict', applied.refusal.message, {
          reason: applied.refusal.reason,
          changes: applied.refusal.changes,
        });
      return reply.code(202).send(applied.run);
    },
  );
}
