import type { BulkCapabilities } from '../profiles/target-profile.ts';
import type { RequestOptions, ScimClient } from '../scim-client/create-scim-client.ts';
import { readScimErrorBody } from '../scim-client/read-scim-answer.ts';
import {
  createScimClientError,
  errorKindForStatus,
  type ScimClientError,
} from '../scim-client/scim-client-error.ts';
import type { AdapterResult, TargetAccount } from './scim-target-adapter.ts';

const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
/** What the envelope and each operation's `method`, `path` and `bulkId` add to the documents' size. */
const ENVELOPE_BYTES = 200;
const OPERATION_BYTES = 80;

/** What a bulk create did: each answered document's result, in order, and why the rest has none. */
export interface BulkCreateOutcome {
  /** Results of the first `results.length` documents, each a created account or the target's error for it. */
  readonly results: AdapterResult<TargetAccount>[];
  /**
   * Why the documents after those have no result: the target refused the whole request or gave no
   * answer (whether any of its operations ran is then unknown). Undefined when every one has a result.
   */
  readonly unanswered: ScimClientError | undefined;
}

/**
 * Creates resources with one `POST /Bulk` per batch the target accepts (its `maxOperations` and
 * `maxPayloadSize`), stopping at the first batch without an answer.
 * @see RFC 7644 §3.7
 */
export async function createInBulk(
  client: ScimClient,
  bulk: BulkCapabilities,
  resource: 'Users' | 'Groups',
  documents: readonly Record<string, unknown>[],
  options: RequestOptions,
): Promise<BulkCreateOutcome> {
  const results: AdapterResult<TargetAccount>[] = [];
  for (const batch of batchesOf(documents, bulk)) {
    const answered = await sendBatch(client, resource, batch, options);
    if (!answered.ok) return { results, unanswered: answered.error };
    results.push(...answered.value);
  }
  return { results, unanswered: undefined };
}

/** Documents cut into batches within the target's limits (a document too large alone goes alone). */
export function batchesOf(
  documents: readonly Record<string, unknown>[],
  bulk: BulkCapabilities,
): Record<string, unknown>[][] {
  const batches: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  let size = ENVELOPE_BYTES;
  for (const document of documents) {
    const bytes = Buffer.byteLength(JSON.stringify(document)) + OPERATION_BYTES;
    if (current.length > 0 && (current.length >= bulk.maxOperations || size + bytes > bulk.maxPayloadSize)) {
      batches.push(current);
      current = [];
      size = ENVELOPE_BYTES;
    }
    current.push(document);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function sendBatch(
  client: ScimClient,
  resource: 'Users' | 'Groups',
  documents: readonly Record<string, unknown>[],
  options: RequestOptions,
): Promise<AdapterResult<AdapterResult<TargetAccount>[]>> {
  const answer = await client.request(
    'POST',
    '/Bulk',
    {
      schemas: [BULK_REQUEST_SCHEMA],
      Operations: documents.map((data, index) => ({
        method: 'POST',
        path: `/${resource}`,
        bulkId: `b${index}`,
        data,
      })),
    },
    options,
  );
  if (!answer.ok) return answer;
  const request = `POST ${client.baseUrl}/Bulk`;
  const operations = (answer.body as { Operations?: unknown } | undefined)?.Operations;
  if (!Array.isArray(operations)) return badResponse(request, 'the BulkResponse has no Operations list');
  const byBulkId = new Map<string, Record<string, unknown>>();
  for (const operation of operations as Record<string, unknown>[])
    if (typeof operation?.bulkId === 'string') byBulkId.set(operation.bulkId, operation);
  return {
    ok: true,
    value: documents.map((_, index) => readOperation(request, resource, byBulkId.get(`b${index}`))),
  };
}

/** One operation's outcome: 201 with the new resource's location (its id is the last segment). */
function readOperation(
  request: string,
  resource: 'Users' | 'Groups',
  operation: Record<string, unknown> | undefined,
): AdapterResult<TargetAccount> {
  if (operation === undefined) return badResponse(request, 'an operation has no result');
  const status = statusOf(operation.status);
  if (status === undefined) return badResponse(request, 'an operation result has no status');
  if (status >= 200 && status < 300) {
    const location = typeof operation.location === 'string' ? operation.location : undefined;
    const response = operation.response as Record<string, unknown> | undefined;
    const id =
      typeof response?.id === 'string'
        ? response.id
        : location === undefined
          ? undefined
          : decodeURIComponent(location.replace(/\/+$/, '').slice(location.lastIndexOf('/') + 1));
    if (id === undefined || id === '') return badResponse(request, 'a created resource has no location');
    return { ok: true, value: { id, document: response ?? {} } };
  }
  const scim = readScimErrorBody(operation.response);
  const words = [scim.scimType, scim.detail].filter((part) => part !== undefined).join(': ');
  return {
    ok: false,
    error: createScimClientError({
      kind: errorKindForStatus(status),
      phase: 'scim',
      status,
      scimType: scim.scimType,
      detail: scim.detail,
      request: `${request} (POST /${resource})`,
      message: `${request}: POST /${resource} answered ${status}${words === '' ? '' : ` (${words})`}`,
    }),
  };
}

/** RFC 7644 §3.7.3 writes the status as a string ("201"); some servers send a number or `{ code }`. */
function statusOf(value: unknown): number | undefined {
  const raw = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : value;
  const status = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isInteger(status) ? status : undefined;
}

function badResponse(request: string, why: string): { ok: false; error: ScimClientError } {
  return {
    ok: false,
    error: createScimClientError({
      kind: 'bad_response',
      phase: 'scim',
      request,
      message: `${request}: ${why}`,
    }),
  };
}
