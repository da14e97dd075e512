import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProvisioningError } from '../../provisioning/provisioning-error.ts';
import { TenantParamsSchema } from './admin-schemas.ts';
import type { ProvisioningRouteDependencies } from './provisioning-routes.ts';
import { ProvisioningParamsSchema } from './provisioning-schemas.ts';

const DecisionSchema = z
  .strictObject({
    objectIds: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(10_000)
      .optional()
      .describe('Absent: every staged removal of the provisioning'),
  })
  .optional();

/**
 * Deprovisioning (issue 5): the removals that wait (staged by the deletion guard, blocked by target
 * state, in a grace period) with approve / reject, backups and restore, and revoke-now.
 */
export function registerDeprovisioningRoutes(
  api: FastifyInstance,
  dependencies: ProvisioningRouteDependencies,
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { engine } = dependencies;
  const actions = engine.deprovisioning;
  const tags = ['deprovisioning'];
  const access = { adminAccess: 'tenant' as const };

  app.get(
    '/tenants/:tenant/provisionings/:provisioning/removals',
    {
      config: access,
      schema: {
        tags,
        summary:
          'Removals that wait: staged by the deletion guard, blocked by target state, in a grace period',
        params: ProvisioningParamsSchema,
      },
    },
    async (request) => actions.removals(request.params.tenant, request.params.provisioning),
  );
  app.post(
    '/tenants/:tenant/provisionings/:provisioning/removals/approve',
    {
      config: { ...access, auditAction: 'provisioning.removals.approve' },
      schema: {
        tags,
        summary: 'Approve staged removals (all, or the named objects): they run now',
        params: ProvisioningParamsSchema,
        body: DecisionSchema,
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await actions.approve(request.params.tenant, request.params.provisioning, request.body?.objectIds),
        ),
  );
  app.post(
    '/tenants/:tenant/provisionings/:provisioning/removals/reject',
    {
      config: { ...access, auditAction: 'provisioning.removals.reject' },
      schema: {
        tags,
        summary: 'Reject staged removals (all, or the named objects): the accounts stay as they are',
        params: ProvisioningParamsSchema,
        body: DecisionSchema,
      },
    },
    async (request) =>
      actions.reject(request.params.tenant, request.params.provisioning, request.body?.objectIds),
  );

  const BackupQuerySchema = z.strictObject({
    provisioning: z.string().max(100).optional(),
    object: z.string().max(200).optional(),
    before: z.string().max(200).optional().describe('The `next` cursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  });
  app.get(
    '/tenants/:tenant/backups',
    {
      config: access,
      schema: {
        tags,
        summary: 'Backups taken before destructive steps, newest first',
        params: TenantParamsSchema,
        querystring: BackupQuerySchema,
      },
    },
    async (request) => {
      const { provisioning, object, before, limit } = request.query;
      const page = await actions.listBackups(request.params.tenant, {
        ...(provisioning !== undefined ? { provisioningId: provisioning } : {}),
        ...(object !== undefined ? { objectId: object } : {}),
        ...(before !== undefined ? { before } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      return { items: page.backups, next: page.next };
    },
  );
  const BackupParamsSchema = TenantParamsSchema.extend({ backup: z.string().max(100) });
  app.get(
    '/tenants/:tenant/backups/:backup',
    { config: access, schema: { tags, summary: 'One backup', params: BackupParamsSchema } },
    async (request) => actions.getBackup(request.params.tenant, request.params.backup),
  );
  app.post(
    '/tenants/:tenant/backups/:backup/restore',
    {
      config: { ...access, auditAction: 'backup.restore' },
      schema: {
        tags,
        summary:
          'Restore an account from a backup: re-enable or recreate it, re-attach groups and policies, list what cannot come back',
        params: BackupParamsSchema,
      },
    },
    async (request) => actions.restore(request.params.tenant, request.params.backup),
  );

  const UserParamsSchema = TenantParamsSchema.extend({ user: z.string().max(200) });
  app.post(
    '/tenants/:tenant/users/:user/revoke',
    {
      config: { ...access, auditAction: 'user.revoke' },
      schema: {
        tags,
        summary:
          "Revoke a user's access everywhere now: disable in the directory, then each linked target's immediate revocation",
        params: UserParamsSchema,
      },
    },
    async (request) => {
      const { tenant, user } = request.params;
      const provisioningIds = (await dependencies.provisionings.listProvisionings(tenant)).map(
        (provisioning) => provisioning.id,
      );
      return actions.revokeNow(
        tenant,
        user,
        async () => {
          if (dependencies.disableUser === undefined)
            throw new ProvisioningError('conflict', 'This server cannot disable directory users');
          const found = await dependencies.disableUser(tenant, user);
          if (!found)
            throw new ProvisioningError('not_found', `User "${user}" not found in tenant "${tenant}"`);
        },
        provisioningIds,
      );
    },
  );
}
