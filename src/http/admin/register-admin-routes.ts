import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AuditLog } from '../../auth/audit/create-audit-log.ts';
import type { Auth } from '../../auth/create-auth.ts';
import type { AuditRecorder } from '../audit/audit-recorder.ts';
import { createAdminAuthentication } from './admin-access.ts';
import { createAdminAuditHook } from './admin-audit-hook.ts';
import { handleAdminError, sendAdminError } from './admin-errors.ts';
import { registerAdminTokenRoutes } from './admin-token-routes.ts';
import { registerAppRoutes } from './app-routes.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { type ProvisioningRouteDependencies, registerProvisioningRoutes } from './provisioning-routes.ts';
import { registerSourceRoutes, type SourceRouteDependencies } from './source-routes.ts';
import { registerTenantRoutes } from './tenant-routes.ts';

export const ADMIN_PREFIX = '/api';

export interface AdminRouteDependencies {
  readonly auth: Auth;
  readonly audit: AuditRecorder;
  readonly auditLog: AuditLog;
  readonly publicUrl: string | undefined;
  readonly provisioning: ProvisioningRouteDependencies;
  readonly sources?: SourceRouteDependencies;
}

/**
 * The admin REST API under /api. One authentication hook, one error handler and one not-found handler
 * cover everything under the prefix; input and output are validated with the zod schemas that also
 * produce the OpenAPI document (GET /api/openapi.json, public).
 */
export async function registerAdminRoutes(
  app: FastifyInstance,
  dependencies: AdminRouteDependencies,
): Promise<void> {
  app.get(`${ADMIN_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());
  await app.register(
    async (api) => {
      // JSON bodies only; an empty body (a DELETE sent with a JSON content type) is no body.
      api.removeAllContentTypeParsers();
      api.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        const text = String(body);
        if (text.trim() === '') return done(null, undefined);
        try {
          done(null, JSON.parse(text));
        } catch {
          done(Object.assign(new Error('The body is not valid JSON'), { statusCode: 400 }), undefined);
        }
      });
      api.setValidatorCompiler(validatorCompiler);
      api.setSerializerCompiler(serializerCompiler);
      api.addHook('onRequest', createAdminAuthentication(dependencies.auth.adminTokens));
      api.addHook('onResponse', createAdminAuditHook(dependencies.audit));
      api.setErrorHandler(handleAdminError);
      api.setNotFoundHandler((request, reply) =>
        sendAdminError(
          reply,
          404,
          'not_found',
          `No admin route for ${request.method} ${request.url.split('?')[0]}`,
        ),
      );
      registerTenantRoutes(api, { tenants: dependencies.auth.tenants, publicUrl: dependencies.publicUrl });
      registerAppRoutes(api, { apps: dependencies.auth.apps });
      registerAdminTokenRoutes(api, {
        adminTokens: dependencies.auth.adminTokens,
        keys: dependencies.auth.keys,
      });
      registerAuditRoutes(api, { auditLog: dependencies.auditLog });
      registerProvisioningRoutes(api, dependencies.provisioning);
      if (dependencies.sources !== undefined) registerSourceRoutes(api, dependencies.sources);
    },
    { prefix: ADMIN_PREFIX },
  );
}
