import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { testProvisioning } from '../../provisioning/test-provisioning.ts';
import type { ProvisioningRouteDependencies } from './provisioning-routes.ts';
import { ProvisioningParamsSchema } from './provisioning-schemas.ts';

/**
 * `POST /tenants/:tenant/provisionings/:provisioning/test` (issue 5, item 8): the target's
 * connectivity, and whether its native API may run every deprovisioning step the policy calls for.
 * Always 200 with a report (`ok: false` names each problem); 404 for an unknown provisioning.
 */
export function registerProvisioningTestRoutes(
  api: FastifyInstance,
  dependencies: ProvisioningRouteDependencies,
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/tenants/:tenant/provisionings/:provisioning/test',
    {
      config: { adminAccess: 'tenant' as const, auditAction: 'provisioning.test' },
      schema: {
        tags: ['provisionings'],
        summary:
          "Test a provisioning: its target's connectivity, and that the target's native API credentials may run every cleanup and revocation step its deprovision policy allows",
        params: ProvisioningParamsSchema,
      },
    },
    async (request) => testProvisioning(dependencies, request.params.tenant, request.params.provisioning),
  );
}
