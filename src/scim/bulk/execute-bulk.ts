import type { ResourceEndpoint } from '../endpoints/resource-endpoints.ts';
import type { ScimContext, ScimResult } from '../endpoints/scim-result.ts';
import { ScimError } from '../errors.ts';
import { BULK_RESPONSE_SCHEMA } from '../schema/schema-urns.ts';
import {
  bulkReferenceId,
  collectBulkReferences,
  isBulkReference,
  substituteBulkReferences,
} from './bulk-references.ts';
import type { BulkOperation, BulkRequest } from './parse-bulk-request.ts';

export interface BulkOperationResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

type Endpoints = Readonly<Record<'Users' | 'Groups', ResourceEndpoint>>;

/**
 * Runs a BulkRequest. Operations run in order, each on its own (not atomically together; consecutive
 * user creates side by side, see below); an operation that references a later POST's bulkId waits
 * until that POST has run. Groups that reference
 * each other as members (RFC 7644 §3.7.2's circular example) are created first and given the deferred
 * members afterwards. A reference that cannot be resolved fails its operation with 409. After
 * `failOnErrors` errors, the rest is not run.
 * @see RFC 7644 §3.7
 */
export async function executeBulk(
  endpoints: Endpoints,
  context: ScimContext,
  request: BulkRequest,
): Promise<unknown> {
  const results = new Map<number, BulkOperationResult>();
  const created = new Map<string, string>();
  const failedBulkIds = new Set<string>();
  const postBulkIds = new Set(
    request.operations.flatMap((op) => (op.method === 'POST' && op.bulkId ? [op.bulkId] : [])),
  );
  const deferredMembers: { operation: BulkOperation; groupId: string; members: unknown[] }[] = [];
  let errors = 0;
  let pending = [...request.operations];

  const stop = () => request.failOnErrors !== undefined && errors >= request.failOnErrors;
  const record = (operation: BulkOperation, result: BulkOperationResult) => {
    results.set(operation.index, result);
    if (Number(result.status) >= 400) {
      errors++;
      if (operation.bulkId !== undefined) failedBulkIds.add(operation.bulkId);
    }
  };

  // User creates that reference no bulkId start together when no `failOnErrors` may stop the request
  // midway: their writes then share a commit (SQLite's group commit) instead of paying one each. Each
  // still succeeds or fails on its own, and two with one userName never start together, so which of
  // them wins cannot depend on timing.
  const together = request.failOnErrors === undefined;
  let started: { operation: BulkOperation; result: Promise<BulkOperationResult> }[] = [];
  const startedNames = new Set<string>();
  const settleStarted = async () => {
    const settled = await Promise.allSettled(started.map((entry) => entry.result));
    const entries = started;
    started = [];
    startedNames.clear();
    for (const [index, outcome] of settled.entries()) {
      if (outcome.status === 'rejected') throw outcome.reason;
      const { operation } = entries[index] as (typeof entries)[number];
      record(operation, outcome.value);
      if (operation.bulkId !== undefined && outcome.value.location !== undefined)
        created.set(
          operation.bulkId,
          outcome.value.location.slice(outcome.value.location.lastIndexOf('/') + 1),
        );
    }
  };

  while (pending.length > 0 && !stop()) {
    const waiting: BulkOperation[] = [];
    for (const operation of pending) {
      if (stop()) break;
      const references = [...collectBulkReferences(operation.path), ...collectBulkReferences(operation.data)];
      const userName = together && references.length === 0 ? userNameOfCreate(operation) : undefined;
      if (userName !== undefined && startedNames.has(userName)) await settleStarted();
      if (userName !== undefined) {
        startedNames.add(userName);
        started.push({ operation, result: run(endpoints, context, operation, created) });
        continue;
      }
      await settleStarted();
      const failed = references.find((id) => failedBulkIds.has(id) || !postBulkIds.has(id));
      if (failed !== undefined) {
        record(
          operation,
          errorResult(
            operation,
            new ScimError(
              409,
              'invalidValue',
              `bulkId "${failed}" cannot be resolved: ${postBulkIds.has(failed) ? 'its operation failed' : 'no POST in this request has it'}`,
            ),
          ),
        );
        continue;
      }
      const unresolved = references.filter((id) => !created.has(id));
      if (unresolved.length > 0) {
        const split = splitDeferrableMembers(operation, created);
        if (split === undefined) {
          waiting.push(operation);
          continue;
        }
        const result = await run(endpoints, context, split.operation, created);
        record(operation, result);
        if (result.location !== undefined && operation.bulkId !== undefined) {
          const id = result.location.slice(result.location.lastIndexOf('/') + 1);
          created.set(operation.bulkId, id);
          deferredMembers.push({ operation, groupId: id, members: split.deferred });
        }
        continue;
      }
      const result = await run(endpoints, context, operation, created);
      record(operation, result);
      if (operation.method === 'POST' && operation.bulkId !== undefined && result.location !== undefined) {
        created.set(operation.bulkId, result.location.slice(result.location.lastIndexOf('/') + 1));
      }
    }
    await settleStarted();
    if (waiting.length === pending.length) {
      for (const operation of waiting) {
        record(
          operation,
          errorResult(
            operation,
            new ScimError(409, 'invalidValue', 'Circular bulkId references that cannot be resolved'),
          ),
        );
      }
      break;
    }
    pending = waiting;
  }

  for (const deferred of deferredMembers) {
    const members = substituteBulkReferences(deferred.members, created) as unknown[];
    const patch = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: members }],
    };
    try {
      const result = await endpoints.Groups.patch(context, deferred.groupId, patch, {});
      const previous = results.get(deferred.operation.index);
      if (previous !== undefined && result.etag !== undefined) previous.version = result.etag;
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      results.set(deferred.operation.index, errorResult(deferred.operation, error));
    }
  }

  return {
    schemas: [BULK_RESPONSE_SCHEMA],
    Operations: [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result),
  };
}

/**
 * For a POST /Groups whose only unresolved references are members, the operation without those
 * members plus the members to add once the references resolve.
 */
function splitDeferrableMembers(
  operation: BulkOperation,
  created: ReadonlyMap<string, string>,
): { operation: BulkOperation; deferred: unknown[] } | undefined {
  if (operation.method !== 'POST' || endpointOf(operation.path) !== 'Groups') return undefined;
  if (typeof operation.data !== 'object' || operation.data === null) return undefined;
  const data = operation.data as Record<string, unknown>;
  const membersKey = Object.keys(data).find((key) => key.toLowerCase() === 'members');
  const members = membersKey === undefined ? undefined : data[membersKey];
  if (!Array.isArray(members)) return undefined;
  const isUnresolved = (member: unknown) => {
    const value = (member as { value?: unknown } | null)?.value;
    return isBulkReference(value) && !created.has(bulkReferenceId(value));
  };
  const deferred = members.filter(isUnresolved);
  const rest = { ...data, [membersKey as string]: members.filter((member) => !isUnresolved(member)) };
  const remaining = [...collectBulkReferences(rest)].filter((id) => !created.has(id));
  if (deferred.length === 0 || remaining.length > 0) return undefined;
  return { operation: { ...operation, data: rest }, deferred };
}

/** The folded userName of a `POST /Users`; undefined for any other operation. */
function userNameOfCreate(operation: BulkOperation): string | undefined {
  if (operation.method !== 'POST' || operation.path.replace(/\/+$/, '') !== '/Users') return undefined;
  const data = operation.data as Record<string, unknown> | null | undefined;
  const key =
    typeof data === 'object' && data !== null
      ? Object.keys(data).find((name) => name.toLowerCase() === 'username')
      : undefined;
  const value = key === undefined ? undefined : (data as Record<string, unknown>)[key];
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function endpointOf(path: string): 'Users' | 'Groups' | undefined {
  const first = path.split('/').filter((part) => part !== '')[0];
  return first === 'Users' || first === 'Groups' ? first : undefined;
}

async function run(
  endpoints: Endpoints,
  context: ScimContext,
  operation: BulkOperation,
  created: ReadonlyMap<string, string>,
): Promise<BulkOperationResult> {
  try {
    const path = substituteBulkReferences(operation.path, created) as string;
    const data = substituteBulkReferences(operation.data, created);
    const segments = path.split('/').filter((part) => part !== '');
    const kind = endpointOf(path);
    if (kind === undefined || segments.length > 2) {
      throw new ScimError(
        400,
        'invalidPath',
        `Bulk path "${operation.path}" must be /Users, /Groups or one resource under them`,
      );
    }
    const endpoint = endpoints[kind];
    const id = segments[1];
    const result = await dispatch(endpoint, context, operation, id, data);
    return {
      method: operation.method,
      ...(operation.bulkId !== undefined ? { bulkId: operation.bulkId } : {}),
      ...(result.etag !== undefined ? { version: result.etag } : {}),
      ...(result.location !== undefined
        ? { location: result.location }
        : id !== undefined
          ? { location: `${context.baseUrl}${endpoint.resourceType.endpoint}/${id}` }
          : {}),
      status: String(result.status),
    };
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    return errorResult(operation, error);
  }
}

function dispatch(
  endpoint: ResourceEndpoint,
  context: ScimContext,
  operation: BulkOperation,
  id: string | undefined,
  data: unknown,
): Promise<ScimResult> {
  if (operation.method === 'POST') {
    if (id !== undefined)
      throw new ScimError(400, 'invalidPath', 'POST in a bulk request must target /Users or /Groups');
    return endpoint.create(context, data, {});
  }
  if (id === undefined)
    throw new ScimError(
      400,
      'invalidPath',
      `${operation.method} in a bulk request needs a resource id in its path`,
    );
  switch (operation.method) {
    case 'PUT':
      return endpoint.replace(context, id, data, {}, operation.version);
    case 'PATCH':
      return endpoint.patch(context, id, data, { attributes: ['id'] }, operation.version);
    case 'DELETE':
      return endpoint.delete(context, id, operation.version);
  }
}

function errorResult(operation: BulkOperation, error: ScimError): BulkOperationResult {
  return {
    method: operation.method,
    ...(operation.bulkId !== undefined ? { bulkId: operation.bulkId } : {}),
    status: String(error.status),
    response: error.toBody(),
  };
}
