import type { TargetCapabilities } from '../profiles/target-profile.ts';
import type { ScimClient } from '../scim-client/create-scim-client.ts';
import { createScimClientError, type ScimClientError } from '../scim-client/scim-client-error.ts';
import { createInBulk } from './bulk-create.ts';
import { type ListUsersOptions, listUsersPage, type UserListPosition } from './list-target-users.ts';

export type AdapterResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ScimClientError };

/** An account as the target reports it. */
export interface TargetAccount {
  readonly id: string;
  readonly document: Record<string, unknown>;
}

export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * The SCIM side of a target, shaped by its capabilities: lookups by filter, create, update by PATCH or
 * PUT as the target wants, delete (a 404 means already gone), and group membership changes in batches
 * the target accepts. Every outcome is a value; retrying is the caller's decision.
 */
export function createScimTargetAdapter(client: ScimClient, capabilities: TargetCapabilities) {
  const pathOf = (resource: 'Users' | 'Groups', id?: string) =>
    id === undefined ? `/${resource}` : `/${resource}/${encodeURIComponent(id)}`;

  async function find(resource: 'Users' | 'Groups', filter: string): Promise<AdapterResult<TargetAccount[]>> {
    const answer = await client.request(
      'GET',
      `${pathOf(resource)}?filter=${encodeURIComponent(filter)}`,
      undefined,
      NO_RETRY,
    );
    if (!answer.ok) return answer;
    const resources = (answer.body as { Resources?: unknown } | undefined)?.Resources;
    if (resources !== undefined && !Array.isArray(resources))
      return badResponse('GET', resource, 'Resources is not a list');
    const accounts: TargetAccount[] = [];
    for (const item of (resources ?? []) as Record<string, unknown>[]) {
      if (typeof item?.id !== 'string') return badResponse('GET', resource, 'a resource has no id');
      accounts.push({ id: item.id, document: item });
    }
    return { ok: true, value: accounts };
  }

  async function create(
    resource: 'Users' | 'Groups',
    document: Record<string, unknown>,
  ): Promise<AdapterResult<TargetAccount>> {
    const answer = await client.request('POST', pathOf(resource), document, NO_RETRY);
    if (!answer.ok) return answer;
    const body = answer.body as Record<string, unknown> | undefined;
    if (typeof body?.id !== 'string') return badResponse('POST', resource, 'the created resource has no id');
    return { ok: true, value: { id: body.id, document: body } };
  }

  async function update(
    resource: 'Users' | 'Groups',
    id: string,
    operations: readonly PatchOperation[],
    fullDocument: Record<string, unknown>,
  ): Promise<AdapterResult<void>> {
    const answer =
      capabilities.updateMethod === 'PATCH'
        ? await client.request(
            'PATCH',
            pathOf(resource, id),
            { schemas: [PATCH_SCHEMA], Operations: operations },
            NO_RETRY,
          )
        : await client.request('PUT', pathOf(resource, id), fullDocument, NO_RETRY);
    return answer.ok ? { ok: true, value: undefined } : answer;
  }

  async function remove(
    resource: 'Users' | 'Groups',
    id: string,
  ): Promise<AdapterResult<'deleted' | 'absent'>> {
    const answer = await client.request('DELETE', pathOf(resource, id), undefined, NO_RETRY);
    if (answer.ok) return { ok: true, value: 'deleted' };
    if (answer.error.kind === 'not_found') return { ok: true, value: 'absent' };
    return answer;
  }

  async function get(
    resource: 'Users' | 'Groups',
    id: string,
  ): Promise<AdapterResult<TargetAccount | undefined>> {
    const answer = await client.request('GET', pathOf(resource, id), undefined, NO_RETRY);
    if (!answer.ok) return answer.error.kind === 'not_found' ? { ok: true, value: undefined } : answer;
    return { ok: true, value: { id, document: (answer.body ?? {}) as Record<string, unknown> } };
  }

  /** Adds and removes members in PATCHes of at most the target's limit (AWS: 100). */
  async function changeMembers(
    id: string,
    add: readonly string[],
    removeIds: readonly string[],
  ): Promise<AdapterResult<void>> {
    const limit = capabilities.maxMemberChangesPerPatch ?? Number.POSITIVE_INFINITY;
    const operations: PatchOperation[] = [
      ...chunk(add, limit).map(
        (ids): PatchOperation => ({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }),
      ),
      ...removeIds.map(
        (value): PatchOperation => ({
          op: 'remove',
          path: `members[value eq "${value.replaceAll('"', '\\"')}"]`,
        }),
      ),
    ];
    for (const batch of chunkOperations(operations, limit)) {
      const answer = await client.request(
        'PATCH',
        pathOf('Groups', id),
        { schemas: [PATCH_SCHEMA], Operations: batch },
        NO_RETRY,
      );
      if (!answer.ok) return answer;
    }
    return { ok: true, value: undefined };
  }

  return {
    capabilities,
    findUsers: (filter: string) => find('Users', filter),
    /** One page of every user, paged as the profile allows (see list-target-users.ts). */
    listUsers: (position: UserListPosition, options: ListUsersOptions = {}) =>
      listUsersPage(client, capabilities, position, options),
    createUser: (document: Record<string, unknown>) => create('Users', document),
    /** Creates many users in `POST /Bulk` requests; only for a target whose capabilities say it has Bulk. */
    createUsersInBulk: (documents: readonly Record<string, unknown>[]) =>
      createInBulk(client, capabilities.bulk, 'Users', documents, NO_RETRY),
    updateUser: (id: string, operations: readonly PatchOperation[], fullDocument: Record<string, unknown>) =>
      update('Users', id, operations, fullDocument),
    deleteUser: (id: string) => remove('Users', id),
    getUser: (id: string) => get('Users', id),
    getGroup: (id: string) => get('Groups', id),
    findGroups: (filter: string) => find('Groups', filter),
    createGroup: (document: Record<string, unknown>) => create('Groups', document),
    updateGroup: (id: string, operations: readonly PatchOperation[], fullDocument: Record<string, unknown>) =>
      update('Groups', id, operations, fullDocument),
    deleteGroup: (id: string) => remove('Groups', id),
    changeMembers,
  };
}

export type ScimTargetAdapter = ReturnType<typeof createScimTargetAdapter>;

/** The engine retries through its job queue (which frees the worker meanwhile), not inside a request. */
const NO_RETRY = {
  retryPolicy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
} as const;

function badResponse(method: string, resource: string, why: string): { ok: false; error: ScimClientError } {
  return {
    ok: false,
    error: createScimClientError({
      kind: 'bad_response',
      phase: 'scim',
      request: `${method} /${resource}`,
      message: `${method} /${resource}: ${why}`,
    }),
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += Number.isFinite(size) ? size : items.length || 1)
    chunks.push(items.slice(index, Number.isFinite(size) ? index + size : items.length));
  return chunks;
}

/** Batches of operations whose member changes stay within `limit` (an add of n members counts n). */
function chunkOperations(operations: readonly PatchOperation[], limit: number): PatchOperation[][] {
  const batches: PatchOperation[][] = [];
  let current: PatchOperation[] = [];
  let weight = 0;
  for (const operation of operations) {
    const size = Array.isArray(operation.value) ? operation.value.length : 1;
    if (current.length > 0 && weight + size > limit) {
      batches.push(current);
      current = [];
      weight = 0;
    }
    current.push(operation);
    weight += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
