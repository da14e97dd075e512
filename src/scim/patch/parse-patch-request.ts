import { badRequest } from '../errors.ts';
import { parsePatchPath } from '../filter/parse-patch-path.ts';
import { normalizeEntraPatchOp } from '../quirks/normalize-entra-patch-op.ts';
import { describeJsonType, isJsonObject } from '../resource/json-value.ts';
import { PATCH_OP_SCHEMA } from '../schema/schema-urns.ts';
import type { PatchOperation } from './patch-operation.ts';

/**
 * Validates a PATCH body and returns its operations in order. Message attribute names (`schemas`,
 * `Operations`, `op`, `path`, `value`) are matched case-insensitively like every SCIM attribute name
 * (RFC 7643 §2.1); op names too (Entra sends `Add`, `Replace`, `Remove`). Errors are ScimError 400:
 * invalidSyntax for the message structure, invalidPath for a path, noTarget for a `remove` without
 * path (RFC 7644 §3.5.2.2), invalidValue for an `add` / `replace` without value.
 * @see RFC 7644 §3.5.2
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) {
    throw badRequest('invalidSyntax', `A PATCH body must be a JSON object, got ${describeJsonType(body)}`);
  }
  const schemas = readMember(body, 'schemas');
  const urn = PATCH_OP_SCHEMA.toLowerCase();
  if (
    !Array.isArray(schemas) ||
    !schemas.some((item) => typeof item === 'string' && item.toLowerCase() === urn)
  ) {
    throw badRequest('invalidSyntax', `A PATCH body must have "schemas" containing ${PATCH_OP_SCHEMA}`);
  }
  const operations = readMember(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw badRequest(
      'invalidSyntax',
      'A PATCH body must have "Operations", an array of one or more operations',
    );
  }
  return operations.map(parseOperation);
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(raw))
    throw badRequest('invalidSyntax', `${where} must be an object, got ${describeJsonType(raw)}`);
  const opValue = readMember(raw, 'op');
  const op = normalizeEntraPatchOp(opValue);
  if (op === undefined) {
    const shown = typeof opValue === 'string' ? `"${opValue}"` : describeJsonType(opValue);
    throw badRequest('invalidSyntax', `${where}.op must be "add", "replace" or "remove", got ${shown}`);
  }
  const pathValue = readMember(raw, 'path');
  if (pathValue !== undefined && pathValue !== null && typeof pathValue !== 'string') {
    throw badRequest('invalidPath', `${where}.path must be a string, got ${describeJsonType(pathValue)}`);
  }
  const path = typeof pathValue === 'string' ? parsePatchPath(pathValue) : undefined;
  const value = readMember(raw, 'value');
  if (op === 'remove' && path === undefined) {
    throw badRequest('noTarget', `${where}: a "remove" operation needs a "path" (RFC 7644 §3.5.2.2)`);
  }
  if (op !== 'remove' && value === undefined) {
    throw badRequest(
      'invalidValue',
      `${where}: ${op === 'add' ? 'an' : 'a'} "${op}" operation needs a "value"`,
    );
  }
  const operation: { op: PatchOperation['op']; path?: PatchOperation['path']; value?: unknown } = { op };
  if (path !== undefined) operation.path = path;
  if (value !== undefined) operation.value = value;
  return operation;
}

/** The value of `name` in a message object, matched case-insensitively. */
function readMember(object: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const folded = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === folded);
  return key === undefined ? undefined : object[key];
}
