import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_PAGE_SIZE } from './parse-paging.ts';
import { USER_SCHEMA } from './parse-scim-user-body.ts';
import { LIST_RESPONSE_SCHEMA } from './render-scim-user.ts';
import { sendScimJson } from './scim-error-reply.ts';

/**
 * RAM's discovery endpoints. The RAM guide queries `/ResourceTypes` and `/Schemas` without an
 * Authorization header, so they are open here; their content (User only, four attributes) is
 * *unverified*, and so is `/ServiceProviderConfig`, which the guide does not mention: it describes
 * what the emulator does (no PATCH, Bulk, sort, ETags or password change; filters up to 100 results).
 * @see RFC 7644 §4, RFC 7643 §5–§7
 */
export function registerDiscoveryRoutes(app: FastifyInstance, publicUrl: string | undefined): void {
  const baseUrl = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`;
  const list = (resources: object[]) => ({
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  });

  app.get('/ServiceProviderConfig', async (request, reply) =>
    sendScimJson(reply, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_PAGE_SIZE },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description:
            'Access tokens from https://oauth.aliyun.com/v1/token (client credentials, scope /acs/scim)',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl(request)}/ServiceProviderConfig` },
    }),
  );

  app.get('/ResourceTypes', async (request, reply) =>
    sendScimJson(
      reply,
      200,
      list([
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
          id: 'User',
          name: 'User',
          endpoint: '/Users',
          description: 'RAM user',
          schema: USER_SCHEMA,
          meta: { resourceType: 'ResourceType', location: `${baseUrl(request)}/ResourceTypes/User` },
        },
      ]),
    ),
  );

  app.get('/Schemas', async (request, reply) =>
    sendScimJson(
      reply,
      200,
      list([
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
          id: USER_SCHEMA,
          name: 'User',
          description: 'RAM user',
          attributes: [
            attribute('userName', { required: true, uniqueness: 'server', caseExact: false }),
            attribute('displayName', { required: true }),
            attribute('externalId', { caseExact: true, uniqueness: 'server' }),
          ],
          meta: { resourceType: 'Schema', location: `${baseUrl(request)}/Schemas/${USER_SCHEMA}` },
        },
      ]),
    ),
  );
}

function attribute(
  name: string,
  traits: { required?: boolean; caseExact?: boolean; uniqueness?: 'none' | 'server' },
): Record<string, unknown> {
  return {
    name,
    type: 'string',
    multiValued: false,
    required: traits.required ?? false,
    caseExact: traits.caseExact ?? false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: traits.uniqueness ?? 'none',
  };
}
