import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppCredentials } from '../../auth/app-credentials.ts';
import type { AccessTokens } from '../../auth/oauth/access-tokens.ts';
import { executeBulk } from '../../scim/bulk/execute-bulk.ts';
import { parseBulkRequest } from '../../scim/bulk/parse-bulk-request.ts';
import { ScimError } from '../../scim/errors.ts';
import type { AuditRecorder } from '../audit/audit-recorder.ts';
import { registerDiscoveryRoutes } from './discovery-routes.ts';
import { parseScimJson } from './parse-scim-json.ts';
import { registerResourceRoutes } from './resource-routes.ts';
import { createScimAuditHook } from './scim-audit-hook.ts';
import { createScimAuthentication } from './scim-authentication.ts';
import { handleScimError } from './scim-error-handler.ts';
import { requireTenantParameter, scimContextOf, sendScimError, sendScimResult } from './scim-reply.ts';
import type { ScimRouteOptions } from './scim-route-options.ts';

export const SCIM_PREFIX = '/t/:tenant/scim/v2';

/**
 * The SCIM service provider of every tenant, under `/t/<tenant>/scim/v2`. All routes share one
 * authentication hook, one error handler and one not-found handler, so nothing under the prefix can
 * answer without them.
 */
export async function registerScimRoutes(
  app: FastifyInstance,
  options: ScimRouteOptions & { tokens: AccessTokens; credentials: AppCredentials; audit: AuditRecorder },
): Promise<void> {
  await app.register(
    async (scim) => {
      // Only JSON is a SCIM body (anything else is 415), parsed by one parser whose refusals name the problem.
      scim.removeAllContentTypeParsers();
      scim.addContentTypeParser(
        ['application/scim+json', 'application/json'],
        { parseAs: 'string' },
        async (_request: FastifyRequest, body: string | Buffer) => parseScimJson(String(body)),
      );
      scim.addHook('onRequest', createScimAuthentication(options));
      scim.addHook('onResponse', createScimAuditHook(options.audit));
      scim.setErrorHandler(handleScimError);
      scim.setNotFoundHandler((request, reply) =>
        sendScimError(
          reply,
          new ScimError(404, undefined, `No SCIM endpoint at ${request.method} ${request.url.split('?')[0]}`),
        ),
      );

      registerDiscoveryRoutes(scim, options);
      registerResourceRoutes(scim, '/Users', options.endpoints.Users, options);
      registerResourceRoutes(scim, '/Groups', options.endpoints.Groups, options);

      scim.post('/Bulk', { bodyLimit: options.config.bulk.maxPayloadSize }, async (request, reply) => {
        const context = scimContextOf(request, requireTenantParameter(request), options.config.publicUrl);
        const bulk = parseBulkRequest(request.body, options.config.bulk);
        return sendScimResult(reply, {
          status: 200,
          body: await executeBulk(options.endpoints, context, bulk),
        });
      });
      scim.all('/Me', async () => {
        throw new ScimError(501, undefined, '/Me is not supported: tokens here identify clients, not users');
      });
      scim.post('/.search', async () => {
        throw new ScimError(
          501,
          undefined,
          'Search across resource types is not supported; use /Users/.search or /Groups/.search',
        );
      });
    },
    { prefix: SCIM_PREFIX },
  );
}
