import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReconciliationService } from '../../provisioning/reconciliation/reconciliation-service.ts';
import {
  FINDING_ACTIONS,
  FINDING_KINDS,
  FINDING_STATUSES,
} from '../../provisioning/reconciliation/reconciliation-types.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import { TenantParamsSchema } from './admin-schemas.ts';
import { ProvisioningParamsSchema } from './provisioning-schemas.ts';

const RunParamsSchema = ProvisioningParamsSchema.extend({ run: z.string().max(100) });
const TenantRunParamsSchema = TenantParamsSchema.extend({ run: z.string().max(100) });
const FindingParamsSchema = ProvisioningParamsSchema.extend({ finding: z.string().max(100) });
const TenantFindingParamsSchema = TenantParamsSchema.extend({ finding: z.string().max(100) });

const ReportQuerySchema = z.strictObject({
  kind: z.enum(FINDING_KINDS).optional(),
  status: z.enum(FINDING_STATUSES).optional(),
  after: z.string().max(100).optional().describe('The findings.nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const ActionSchema = z.strictObject({
  action: z.enum(FINDING_ACTIONS),
  objectId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('adopt: the directory user to link; absent: the one the matching attributes find'),
});

const ScheduleSchema = z.strictObject({
  schedule: z
    .string()
    .max(200)
    .nullable()
    .describe('A five-field cron expression in UTC (e.g. "0 3 * * *"); null: on demand only'),
});

/**
 * Reconciliation of a provisioning (issue 5, item 7): start a run, its report (counts per kind and the
 * findings, paged), act on a finding, and the schedule. Runs and findings are also reachable by id
 * under the tenant, as runs are (the CLI knows a run or finding id, not always its provisioning).
 */
export function registerReconciliationRoutes(
  api: FastifyInstance,
  reconciliation: ReconciliationService,
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['reconciliation'];
  const access = { adminAccess: 'tenant' as const };
  const base = '/tenants/:tenant/provisionings/:provisioning';

  app.post(
    `${base}/reconciliations`,
    {
      config: { ...access, auditAction: 'provisioning.reconciliation.start' },
      schema: {
        tags,
        summary:
          'Read the target back and compare it with the links and the desired state (answers the run still going, if any)',
        params: ProvisioningParamsSchema,
      },
    },
    async (request, reply) => {
      const run = await reconciliation.startRun(request.params.tenant, request.params.provisioning);
      setAuditObject(request, { type: 'run', id: run.id });
      return reply.code(202).send(run);
    },
  );
  app.get(
    `${base}/reconciliations`,
    {
      config: access,
      schema: { tags, summary: 'List reconciliation runs, newest first', params: ProvisioningParamsSchema },
    },
    async (request) => ({
      items: await reconciliation.listRuns(request.params.tenant, request.params.provisioning),
    }),
  );
  const reportSchema = {
    tags,
    summary: 'A reconciliation: its counts per kind and status, and its findings (paged)',
    querystring: ReportQuerySchema,
  };
  app.get(
    `${base}/reconciliations/:run`,
    { config: access, schema: { ...reportSchema, params: RunParamsSchema } },
    async (request) =>
      reconciliation.report(
        request.params.tenant,
        request.params.provisioning,
        request.params.run,
        request.query,
      ),
  );
  app.get(
    '/tenants/:tenant/reconciliations/:run',
    { config: access, schema: { ...reportSchema, params: TenantRunParamsSchema } },
    async (request) =>
      reconciliation.report(request.params.tenant, undefined, request.params.run, request.query),
  );

  const actionSchema = {
    tags,
    summary:
      'Act on a finding: adopt (link) or deprovision an orphan, repair a missing or drifted account, or ignore it (remembered)',
    body: ActionSchema,
  };
  app.post(
    `${base}/findings/:finding/actions`,
    {
      config: { ...access, auditAction: 'provisioning.finding.act' },
      schema: { ...actionSchema, params: FindingParamsSchema },
    },
    async (request) => {
      setAuditObject(request, { type: 'finding', id: request.params.finding });
      return reconciliation.act(
        request.params.tenant,
        request.params.provisioning,
        request.params.finding,
        request.body,
      );
    },
  );
  app.post(
    '/tenants/:tenant/findings/:finding/actions',
    {
      config: { ...access, auditAction: 'provisioning.finding.act' },
      schema: { ...actionSchema, params: TenantFindingParamsSchema },
    },
    async (request) => {
      setAuditObject(request, { type: 'finding', id: request.params.finding });
      return reconciliation.act(request.params.tenant, undefined, request.params.finding, request.body);
    },
  );

  app.get(
    `${base}/reconciliation-schedule`,
    {
      config: access,
      schema: {
        tags,
        summary: 'The reconciliation schedule and its next run',
        params: ProvisioningParamsSchema,
      },
    },
    async (request) => reconciliation.getSchedule(request.params.tenant, request.params.provisioning),
  );
  app.put(
    `${base}/reconciliation-schedule`,
    {
      config: { ...access, auditAction: 'provisioning.reconciliation.schedule' },
      schema: {
        tags,
        summary: 'Set or clear the reconciliation schedule (cron, UTC)',
        params: ProvisioningParamsSchema,
        body: ScheduleSchema,
      },
    },
    async (request) =>
      reconciliation.setSchedule(request.params.tenant, request.params.provisioning, request.body.schedule),
  );
}
