import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResourceEndpoint } from '../../scim/endpoints/resource-endpoints.ts';
import { badRequest } from '../../scim/errors.ts';
import { type ListParameters, parseProjection } from '../../scim/query/parse-list-query.ts';
import { SEARCH_REQUEST_SCHEMA } from '../../scim/schema/schema-urns.ts';
import { headerOf, requireTenantParameter, scimContextOf, sendScimResult } from './scim-reply.ts';
import type { ScimRouteOptions } from './scim-route-options.ts';

/** CRUD, list and `.search` for one resource endpoint (`/Users` or `/Groups`). @see RFC 7644 §3 */
export function registerResourceRoutes(
  app: FastifyInstance,
  prefix: '/Users' | '/Groups',
  endpoint: ResourceEndpoint,
  options: ScimRouteOptions,
): void {
  const contextOf = (request: FastifyRequest) =>
    scimContextOf(request, requireTenantParameter(request), options.config.publicUrl);
  const projectionOf = (request: FastifyRequest) => parseProjection(request.query as ListParameters);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.post(prefix, async (request, reply) =>
    sendScimResult(reply, await endpoint.create(contextOf(request), request.body, projectionOf(request))),
  );
  app.get(prefix, async (request, reply) =>
    sendScimResult(reply, await endpoint.list(contextOf(request), request.query as ListParameters)),
  );
  app.post(`${prefix}/.search`, async (request, reply) =>
    sendScimResult(reply, await endpoint.list(contextOf(request), parseSearchRequest(request.body))),
  );
  app.get(`${prefix}/:id`, async (request, reply) =>
    sendScimResult(
      reply,
      await endpoint.get(
        contextOf(request),
        idOf(request),
        projectionOf(request),
        headerOf(request, 'if-none-match'),
      ),
    ),
  );
  app.put(`${prefix}/:id`, async (request, reply) =>
    sendScimResult(
      reply,
      await endpoint.replace(
        contextOf(request),
        idOf(request),
        request.body,
        projectionOf(request),
        headerOf(request, 'if-match'),
      ),
    ),
  );
  app.patch(`${prefix}/:id`, async (request, reply) =>
    sendScimResult(
      reply,
      await endpoint.patch(
        contextOf(request),
        idOf(request),
        request.body,
        projectionOf(request),
        headerOf(request, 'if-match'),
      ),
    ),
  );
  app.delete(`${prefix}/:id`, async (request, reply) =>
    sendScimResult(
      reply,
      await endpoint.delete(contextOf(request), idOf(request), headerOf(request, 'if-match')),
    ),
  );
}

/** A SearchRequest body (RFC 7644 §3.4.3): the list parameters as JSON members. */
function parseSearchRequest(body: unknown): ListParameters {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('invalidSyntax', 'A SearchRequest must be a JSON object');
  }
  const request = body as Record<string, unknown>;
  const schemas = request.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some(
      (schema) => typeof schema === 'string' && schema.toLowerCase() === SEARCH_REQUEST_SCHEMA.toLowerCase(),
    )
  ) {
    throw badRequest('invalidSyntax', `A SearchRequest must list "${SEARCH_REQUEST_SCHEMA}" in schemas`);
  }
  const known = [
    'schemas',
    'attributes',
    'excludedAttributes',
    'filter',
    'sortBy',
    'sortOrder',
    'startIndex',
    'count',
  ];
  const unknown = Object.keys(request).find((key) => !known.includes(key));
  if (unknown !== undefined) throw badRequest('invalidSyntax', `Unknown SearchRequest member "${unknown}"`);
  return request;
}
