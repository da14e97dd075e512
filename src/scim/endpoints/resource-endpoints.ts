import type { GroupRecord } from '../../directory/group-repository.ts';
import type { GroupService } from '../../directory/group-service.ts';
import type { UserRecord } from '../../directory/user-repository.ts';
import type { UserService } from '../../directory/user-service.ts';
import { etagMatches, formatEtag } from '../etag.ts';
import {
  type ListLimits,
  type ListParameters,
  type Projection,
  parseListQuery,
} from '../query/parse-list-query.ts';
import { renderGroup, renderUser, type ScimResource } from '../render/render-resource.ts';
import { type AttributeProjection, compileAttributeProjection } from '../resource/project-attributes.ts';
import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { LIST_RESPONSE_SCHEMA } from '../schema/schema-urns.ts';
import { projectionWants, type ScimContext, type ScimResult } from './scim-result.ts';

/** The SCIM operations on one resource type, independent of HTTP framework (routes and /Bulk share them). */
export interface ResourceEndpoint {
  readonly resourceType: ResourceTypeDefinition;
  create(context: ScimContext, body: unknown, projection: Projection): Promise<ScimResult>;
  get(context: ScimContext, id: string, projection: Projection, ifNoneMatch?: string): Promise<ScimResult>;
  replace(
    context: ScimContext,
    id: string,
    body: unknown,
    projection: Projection,
    ifMatch?: string,
  ): Promise<ScimResult>;
  patch(
    context: ScimContext,
    id: string,
    body: unknown,
    projection: Projection,
    ifMatch?: string,
  ): Promise<ScimResult>;
  delete(context: ScimContext, id: string, ifMatch?: string): Promise<ScimResult>;
  list(context: ScimContext, parameters: ListParameters): Promise<ScimResult>;
}

interface Adapter<R extends { id: string; version: number }> {
  readonly resourceType: ResourceTypeDefinition;
  /** Renders records, loading derived attributes (groups, members) only when the projection keeps them. */
  render(context: ScimContext, records: readonly R[], projection: Projection): Promise<ScimResource[]>;
  /** Whether a successful PATCH answers 204 (no body) when the client asked for no attributes. */
  readonly patchAnswersNoContent: boolean;
  /** The attribute the store derives rather than keeps in the document. */
  readonly derivedAttribute: 'groups' | 'members';
  service: {
    create(tenantId: string, body: unknown): Promise<R>;
    /** `derived`: also read the derived attribute (a user's groups) when the store can in the same go. */
    get(tenantId: string, id: string, derived: boolean): Promise<R>;
    replace(
      tenantId: string,
      id: string,
      body: unknown,
      options: { ifMatch?: string; baseUrl?: string },
    ): Promise<R>;
    patch(
      tenantId: string,
      id: string,
      body: unknown,
      options: { ifMatch?: string; baseUrl?: string },
    ): Promise<R>;
    delete(tenantId: string, id: string, options: { ifMatch?: string }): Promise<void>;
    query(
      tenantId: string,
      baseUrl: string,
      query: Parameters<UserService['query']>[2],
    ): Promise<{ total: number; records: R[] }>;
  };
}

function createEndpoint<R extends { id: string; version: number }>(
  adapter: Adapter<R>,
  limits: ListLimits,
): ResourceEndpoint {
  const { resourceType } = adapter;
  const wantsDerived = (projection: Projection) =>
    projectionWants(resourceType, projection, adapter.derivedAttribute);
  /** Compiled before any write, so a projection the client got wrong refuses the request, not its answer. */
  const defaultProjection = compileAttributeProjection(resourceType, {});
  const compile = (projection: Projection) =>
    projection.attributes === undefined && projection.excludedAttributes === undefined
      ? defaultProjection
      : compileAttributeProjection(resourceType, projection);
  const respond = async (
    context: ScimContext,
    record: R,
    projection: Projection,
    project: AttributeProjection,
    status: number,
  ): Promise<ScimResult> => {
    const [rendered] = await adapter.render(context, [record], projection);
    return {
      status,
      body: project(rendered ?? {}),
      etag: formatEtag(record.version),
      location: `${context.baseUrl}${resourceType.endpoint}/${record.id}`,
    };
  };
  const asksForAttributes = (projection: Projection) =>
    projection.attributes !== undefined || projection.excludedAttributes !== undefined;

  return {
    resourceType,
    async create(context, body, projection) {
      const project = compile(projection);
      return respond(context, await adapter.service.create(context.tenantId, body), projection, project, 201);
    },
    async get(context, id, projection, ifNoneMatch) {
      const project = compile(projection);
      const record = await adapter.service.get(context.tenantId, id, wantsDerived(projection));
      if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, record.version)) {
        return { status: 304, etag: formatEtag(record.version) };
      }
      return respond(context, record, projection, project, 200);
    },
    async replace(context, id, body, projection, ifMatch) {
      const project = compile(projection);
      const record = await adapter.service.replace(context.tenantId, id, body, {
        ...(ifMatch ? { ifMatch } : {}),
        baseUrl: context.baseUrl,
      });
      return respond(context, record, projection, project, 200);
    },
    async patch(context, id, body, projection, ifMatch) {
      const project = compile(projection);
      const record = await adapter.service.patch(context.tenantId, id, body, {
        ...(ifMatch ? { ifMatch } : {}),
        baseUrl: context.baseUrl,
      });
      if (adapter.patchAnswersNoContent && !asksForAttributes(projection)) {
        return { status: 204, etag: formatEtag(record.version) };
      }
      return respond(context, record, projection, project, 200);
    },
    async delete(context, id, ifMatch) {
      await adapter.service.delete(context.tenantId, id, ifMatch ? { ifMatch } : {});
      return { status: 204 };
    },
    async list(context, parameters) {
      const { query, startIndex, projection } = parseListQuery(resourceType, parameters, limits);
      const project = compile(projection);
      const { total, records } = await adapter.service.query(context.tenantId, context.baseUrl, {
        ...query,
        derived: wantsDerived(projection),
      });
      const rendered = await adapter.render(context, records, projection);
      return {
        status: 200,
        body: {
          schemas: [LIST_RESPONSE_SCHEMA],
          totalResults: total,
          itemsPerPage: rendered.length,
          startIndex,
          Resources: rendered.map(project),
        },
      };
    },
  };
}

export function createUserEndpoint(users: UserService, limits: ListLimits): ResourceEndpoint {
  const resourceType = getResourceType('User');
  return createEndpoint<UserRecord>(
    {
      resourceType,
      patchAnswersNoContent: false,
      derivedAttribute: 'groups',
      service: users,
      async render(context, records, projection) {
        if (!projectionWants(resourceType, projection, 'groups')) {
          return records.map((record) => renderUser(record, context.baseUrl, undefined));
        }
        // Reads usually bring their groups along; written records (PUT, PATCH) are looked up here.
        const missing = records.filter((record) => record.groups === undefined).map((record) => record.id);
        const looked = missing.length > 0 ? await users.groupsOf(context.tenantId, missing) : undefined;
        return records.map((record) =>
          renderUser(record, context.baseUrl, record.groups ?? looked?.get(record.id) ?? []),
        );
      },
    },
    limits,
  );
}

/**
 * Group PATCH answers 204 unless the client asks for attributes: Entra expects 204 for membership
 * changes, and a 200 would have to send back every member of a large group.
 * @see RFC 7644 §3.5.2 (200 with the resource, or 204)
 */
export function createGroupEndpoint(groups: GroupService, limits: ListLimits): ResourceEndpoint {
  const resourceType = getResourceType('Group');
  return createEndpoint<GroupRecord>(
    {
      resourceType,
      patchAnswersNoContent: true,
      derivedAttribute: 'members',
      service: groups,
      async render(context, records, projection) {
        const wantsMembers = projectionWants(resourceType, projection, 'members');
        const rendered: ScimResource[] = [];
        for (const record of records) {
          const members = wantsMembers ? await groups.members(context.tenantId, record.id) : undefined;
          rendered.push(renderGroup(record, context.baseUrl, members));
        }
        return rendered;
      },
    },
    limits,
  );
}
