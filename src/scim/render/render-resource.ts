import type { GroupRecord } from '../../directory/group-repository.ts';
import type { MemberRow } from '../../directory/membership-repository.ts';
import type { UserRecord } from '../../directory/user-repository.ts';
import { formatEtag } from '../etag.ts';
import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { getResourceType, topLevelAttributes } from '../schema/schema-registry.ts';

export type ScimResource = Record<string, unknown>;

const USER = getResourceType('User');
const GROUP = getResourceType('Group');
const SERVER_OWNED = new Set(['id', 'meta', 'schemas', 'groups', 'members']);

/**
 * The SCIM representation of a stored resource: `schemas` computed from the extensions that hold data,
 * attributes in schema order (PostgreSQL's jsonb does not keep key order), `meta` last.
 * @see RFC 7643 §3, §3.1
 */
function renderDocument(
  resourceType: ResourceTypeDefinition,
  record: {
    id: string;
    createdAt: string;
    lastModified: string;
    version: number;
    doc: Record<string, unknown>;
  },
  baseUrl: string,
  derived: Record<string, unknown>,
): ScimResource {
  const { doc } = record;
  const schemas = [resourceType.schema];
  const resource: ScimResource = { schemas, id: record.id };
  for (const attribute of topLevelAttributes(resourceType, resourceType.schema)) {
    const name = attribute.name;
    if (SERVER_OWNED.has(name)) {
      if (derived[name] !== undefined) resource[name] = derived[name];
      continue;
    }
    if (doc[name] !== undefined) resource[name] = doc[name];
  }
  for (const extension of resourceType.schemaExtensions) {
    const value = doc[extension.schema];
    if (value !== undefined) {
      schemas.push(extension.schema);
      resource[extension.schema] = value;
    }
  }
  resource.meta = {
    resourceType: resourceType.id,
    created: record.createdAt,
    lastModified: record.lastModified,
    location: `${baseUrl}${resourceType.endpoint}/${record.id}`,
    version: formatEtag(record.version),
  };
  return resource;
}

/** `groups` is derived from memberships: direct ones, read-only (RFC 7643 §4.1.2). */
export function renderUser(
  record: UserRecord,
  baseUrl: string,
  groups: readonly { value: string; display: string }[] | undefined,
): ScimResource {
  const derived =
    groups === undefined || groups.length === 0
      ? {}
      : {
          groups: groups.map((group) => ({
            value: group.value,
            $ref: `${baseUrl}/Groups/${group.value}`,
            display: group.display,
            type: 'direct',
          })),
        };
  return renderDocument(USER, record, baseUrl, derived);
}

export function renderGroup(
  record: GroupRecord,
  baseUrl: string,
  members: readonly MemberRow[] | undefined,
): ScimResource {
  const derived =
    members === undefined || members.length === 0
      ? {}
      : {
          members: members.map((member) => ({
            value: member.value,
            $ref: `${baseUrl}/${member.type}s/${member.value}`,
            type: member.type,
            ...(member.display !== undefined ? { display: member.display } : {}),
          })),
        };
  return renderDocument(GROUP, record, baseUrl, derived);
}
