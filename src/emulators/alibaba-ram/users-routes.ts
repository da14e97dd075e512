import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createBearerAuthentication } from './bearer-authentication.ts';
import { parsePaging } from './parse-paging.ts';
import { parseScimUserBody, type ScimUserBodyOptions } from './parse-scim-user-body.ts';
import type { RamDirectoryError } from './ram-directory.ts';
import type { RamEmulatorState } from './ram-emulator-state.ts';
import { matchesRamFilter, parseRamFilter } from './ram-scim-filter.ts';
import { renderListResponse, renderScimUser } from './render-scim-user.ts';
import { RamScimError, sendScimJson } from './scim-error-reply.ts';

export interface UsersRouteOptions extends ScimUserBodyOptions {
  defaultPageSize: number;
  maxPageSize: number;
  /** Origin used in `meta.location`; the request's own origin when absent. */
  publicUrl: string | undefined;
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/**
 * RAM's `/Users`: POST, GET (one, or a filtered and paged list), PUT, DELETE — the methods the RAM
 * guide documents — at the root of the SCIM host (`https://scim.aliyun.com/Users`).
 * @see RFC 7644 §3.3, §3.4, §3.5.1, §3.6
 */
export function registerUsersRoutes(
  app: FastifyInstance,
  state: RamEmulatorState,
  options: UsersRouteOptions,
): void {
  const { directory } = state;
  const baseUrl = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;
  const authenticate = createBearerAuthentication(state.oauth);

  app.get('/Users', { preHandler: authenticate }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const paging = parsePaging(query, options);
    if (query.filter !== undefined && typeof query.filter !== 'string') {
      throw new RamScimError(400, 'Give one filter', 'invalidFilter');
    }
    const conditions = query.filter === undefined ? [] : parseRamFilter(query.filter);
    // attributes, excludedAttributes, sortBy and sortOrder are undocumented for RAM: ignored (*unverified*).
    const users = directory.listUsers().filter((user) => matchesRamFilter(user, conditions));
    return sendScimJson(reply, 200, renderListResponse(users, paging, baseUrl(request)));
  });

  app.get('/Users/:id', { preHandler: authenticate }, async (request: IdRequest, reply) => {
    const user = directory.getUser(request.params.id);
    if (user === undefined)
      throw toScimError({ kind: 'notFound', detail: `The RAM user ${request.params.id} does not exist` });
    return sendScimJson(reply, 200, renderScimUser(user, baseUrl(request)));
  });

  app.post('/Users', { preHandler: authenticate }, async (request, reply) => {
    const result = directory.createUser(parseScimUserBody(request.body, options));
    if (!result.ok) throw toScimError(result.error);
    const resource = renderScimUser(result.value, baseUrl(request));
    reply.header('location', resource.meta.location);
    return sendScimJson(reply, 201, resource);
  });

  app.put('/Users/:id', { preHandler: authenticate }, async (request: IdRequest, reply) => {
    if (directory.getUser(request.params.id) === undefined) {
      throw toScimError({ kind: 'notFound', detail: `The RAM user ${request.params.id} does not exist` });
    }
    const result = directory.replaceUser(request.params.id, parseScimUserBody(request.body, options));
    if (!result.ok) throw toScimError(result.error);
    return sendScimJson(reply, 200, renderScimUser(result.value, baseUrl(request)));
  });

  app.delete('/Users/:id', { preHandler: authenticate }, async (request: IdRequest, reply) => {
    const result = directory.deleteUser(request.params.id);
    if (!result.ok) throw toScimError(result.error);
    return reply.code(204).send();
  });

  /**
   * PATCH is not among RAM's documented methods; updates go by PUT (the guide's "修改RAM用户属性" is a
   * PUT). RFC 7644 §3.12 names 501 for exactly this ("Service provider does not support the
   * requested operation (e.g., PATCH)"), so the emulator answers 501 rather than a 400 that would read
   * as "your PATCH was malformed". Okta's deactivation PATCH meets this too, which matches the Okta
   * guide: an Okta deactivation changes nothing in RAM. *unverified*: RAM's actual answer.
   */
  app.patch('/Users/:id', { preHandler: authenticate }, async () => {
    throw new RamScimError(501, 'RAM does not support PATCH; replace the user with PUT /Users/{id}');
  });
}

/**
 * The answer to each refusal. 409 `uniqueness` for a taken userName or externalId (RFC 7644 §3.3);
 * 409 without scimType and the RAM code leading the detail for a delete RAM refuses because of a
 * dependent (the RPC DeleteUser's `DeleteConflict.User.*`, HTTP 409); 403 for a user SCIM may not
 * change. The statuses for the last two are *unverified*.
 */
function toScimError(error: RamDirectoryError): RamScimError {
  switch (error.kind) {
    case 'userNameTaken':
    case 'externalIdTaken':
      return new RamScimError(409, error.detail, 'uniqueness');
    case 'notFound':
      return new RamScimError(404, error.detail);
    case 'notScimManaged':
      return new RamScimError(403, error.detail);
    case 'deleteConflict':
      return new RamScimError(409, `${error.code}: ${error.detail}`);
    case 'rpc':
      return new RamScimError(error.status, `${error.code}: ${error.detail}`);
  }
}
