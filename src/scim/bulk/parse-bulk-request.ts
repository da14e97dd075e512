import { badRequest, ScimError } from '../errors.ts';
import { BULK_REQUEST_SCHEMA } from '../schema/schema-urns.ts';

export interface BulkOperation {
  readonly index: number;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly bulkId?: string;
  readonly version?: string;
  readonly path: string;
  readonly data?: unknown;
}

export interface BulkRequest {
  readonly failOnErrors?: number;
  readonly operations: BulkOperation[];
}

export interface BulkLimits {
  readonly maxOperations: number;
  readonly maxPayloadSize: number;
}

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Validates a BulkRequest's envelope. A malformed envelope fails the whole request (400); more
 * operations than advertised fail it with 413. @see RFC 7644 §3.7, §3.7.4
 */
export function parseBulkRequest(body: unknown, limits: BulkLimits): BulkRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('invalidSyntax', 'A BulkRequest must be a JSON object');
  }
  const request = body as Record<string, unknown>;
  const schemas = request.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_REQUEST_SCHEMA.toLowerCase())
  ) {
    throw badRequest('invalidSyntax', `A BulkRequest must list "${BULK_REQUEST_SCHEMA}" in schemas`);
  }
  const failOnErrors = request.failOnErrors;
  if (
    failOnErrors !== undefined &&
    (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)
  ) {
    throw badRequest('invalidValue', 'failOnErrors must be a positive integer');
  }
  const operations = request.Operations ?? request.operations;
  if (!Array.isArray(operations))
    throw badRequest('invalidSyntax', 'A BulkRequest needs an "Operations" array');
  if (operations.length > limits.maxOperations) {
    throw new ScimError(
      413,
      undefined,
      `The bulk request has ${operations.length} operations; maxOperations is ${limits.maxOperations}`,
    );
  }
  const parsed = operations.map((operation, index) => parseOperation(operation, index));
  const seen = new Set<string>();
  for (const operation of parsed) {
    if (operation.bulkId === undefined) continue;
    if (seen.has(operation.bulkId)) {
      throw badRequest(
        'invalidValue',
        `Operations[${operation.index}]: bulkId "${operation.bulkId}" is used twice`,
      );
    }
    seen.add(operation.bulkId);
  }
  return { ...(failOnErrors !== undefined ? { failOnErrors } : {}), operations: parsed };
}

function parseOperation(value: unknown, index: number): BulkOperation {
  const where = `Operations[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('invalidSyntax', `${where} must be an object`);
  }
  const operation = value as Record<string, unknown>;
  const method = typeof operation.method === 'string' ? operation.method.toUpperCase() : undefined;
  if (method === undefined || !METHODS.has(method)) {
    throw badRequest('invalidValue', `${where}.method must be one of POST, PUT, PATCH, DELETE`);
  }
  if (typeof operation.path !== 'string' || operation.path === '') {
    throw badRequest('invalidValue', `${where}.path must be a resource path such as "/Users"`);
  }
  for (const key of ['bulkId', 'version'] as const) {
    if (operation[key] !== undefined && typeof operation[key] !== 'string') {
      throw badRequest('invalidValue', `${where}.${key} must be a string`);
    }
  }
  if (method === 'POST' && (typeof operation.bulkId !== 'string' || operation.bulkId === '')) {
    throw badRequest('invalidValue', `${where}: bulkId is required for POST`);
  }
  if (method !== 'DELETE' && operation.data === undefined) {
    throw badRequest('invalidValue', `${where}: data is required for ${method}`);
  }
  return {
    index,
    method: method as BulkOperation['method'],
    path: operation.path,
    ...(typeof operation.bulkId === 'string' ? { bulkId: operation.bulkId } : {}),
    ...(typeof operation.version === 'string' ? { version: operation.version } : {}),
    ...(operation.data !== undefined ? { data: operation.data } : {}),
  };
}
