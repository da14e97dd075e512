import { formatRamInstant } from './emulator-clock.ts';
import type { Paging } from './parse-paging.ts';
import { USER_SCHEMA } from './parse-scim-user-body.ts';
import type { RamUser } from './ram-user.ts';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimUserResource {
  schemas: [typeof USER_SCHEMA];
  id: string;
  externalId?: string;
  userName: string;
  displayName: string;
  meta: { resourceType: 'User'; created: string; lastModified: string; location: string };
}

/**
 * A RAM user as the SCIM endpoint shows it, after the guide's examples: the four attributes (no
 * `externalId` when the user has none), `meta` with instants to the second and an absolute
 * `location`; no `active`, no `meta.version` (RAM has neither).
 */
export function renderScimUser(user: RamUser, baseUrl: string): ScimUserResource {
  return {
    schemas: [USER_SCHEMA],
    id: user.id,
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    userName: user.userName,
    displayName: user.displayName,
    meta: {
      resourceType: 'User',
      created: formatRamInstant(user.created),
      lastModified: formatRamInstant(user.lastModified),
      location: `${baseUrl}/Users/${user.id}`,
    },
  };
}

/**
 * One page of a list. `itemsPerPage` is the page size asked for, not the number of resources on the
 * page: the guide's example answers one user with `itemsPerPage: 30`. Clients must count
 * `Resources` themselves.
 */
export function renderListResponse(
  users: readonly RamUser[],
  paging: Paging,
  baseUrl: string,
): {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: ScimUserResource[];
} {
  const page = users.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count);
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: users.length,
    itemsPerPage: paging.count,
    startIndex: paging.startIndex,
    Resources: page.map((user) => renderScimUser(user, baseUrl)),
  };
}
