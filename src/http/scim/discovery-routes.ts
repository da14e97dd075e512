import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildResourceTypeResource } from '../../scim/discovery/build-resource-type-resource.ts';
import { buildSchemaResource } from '../../scim/discovery/build-schema-resource.ts';
import { buildServiceProviderConfig } from '../../scim/discovery/build-service-provider-config.ts';
import { notFound, ScimError } from '../../scim/errors.ts';
import { findSchema, listResourceTypes, listSchemas } from '../../scim/schema/schema-registry.ts';
import { LIST_RESPONSE_SCHEMA } from '../../scim/schema/schema-urns.ts';
import { requireTenantParameter, scimContextOf, sendScimResult } from './scim-reply.ts';
import type { ScimRouteOptions } from './scim-route-options.ts';

/** `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`. @see RFC 7644 §4 */
export function registerDiscoveryRoutes(app: FastifyInstance, options: ScimRouteOptions): void {
  const baseUrlOf = (request: FastifyRequest) =>
    scimContextOf(request, requireTenantParameter(request), options.config.publicUrl).baseUrl;
  const list = (resources: unknown[]) => ({
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  });
  // "If a filter is provided, the service provider SHOULD respond with HTTP status code 403".
  const refuseFilter = (request: FastifyRequest) => {
    if ((request.query as { filter?: unknown }).filter !== undefined) {
      throw new ScimError(403, undefined, 'Filtering is not supported on discovery endpoints');
    }
  };

  app.get('/ServiceProviderConfig', async (request, reply) =>
    sendScimResult(reply, {
      status: 200,
      body: buildServiceProviderConfig({
        baseUrl: baseUrlOf(request),
        bulk: options.config.bulk,
        filterMaxResults: options.config.list.maxResults,
      }),
    }),
  );
  app.get('/ResourceTypes', async (request, reply) => {
    refuseFilter(request);
    const baseUrl = baseUrlOf(request);
    return sendScimResult(reply, {
      status: 200,
      body: list(listResourceTypes().map((rt) => buildResourceTypeResource(rt, baseUrl))),
    });
  });
  app.get('/ResourceTypes/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const resourceType = listResourceTypes().find((rt) => rt.id === id || rt.name === id);
    if (resourceType === undefined) throw notFound(`Resource type ${id} not found`);
    return sendScimResult(reply, {
      status: 200,
      body: buildResourceTypeResource(resourceType, baseUrlOf(request)),
    });
  });
  app.get('/Schemas', async (request, reply) => {
    refuseFilter(request);
    const baseUrl = baseUrlOf(request);
    return sendScimResult(reply, {
      status: 200,
      body: list(listSchemas().map((schema) => buildSchemaResource(schema, baseUrl))),
    });
  });
  app.get('/Schemas/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const schema = findSchema(id);
    if (schema === undefined) throw notFound(`Schema ${id} not found`);
    return sendScimResult(reply, { status: 200, body: buildSchemaResource(schema, baseUrlOf(request)) });
  });
}
