import { badRequest, ScimError } from '../errors.ts';
import { parsePatchPath } from '../filter/parse-patch-path.ts';
import { assertImmutableUnchanged } from '../resource/assert-immutable-unchanged.ts';
import { canonicalizeDocument } from '../resource/canonicalize-document.ts';
import { cloneJson, describeJsonType, isJsonObject } from '../resource/json-value.ts';
import type { ScimDocument } from '../resource/scim-document.ts';
import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { isExtensionOf } from '../schema/schema-registry.ts';
import type { PatchOperation } from './patch-operation.ts';
import { removeTargetValue } from './remove-target-value.ts';
import {
  assertWritableTarget,
  isReadOnlyTarget,
  type PatchTarget,
  resolvePatchTarget,
} from './resolve-patch-target.ts';
import { setTargetValue } from './set-target-value.ts';

/**
 * Applies PATCH operations to a stored document and returns the new document. Pure (the input is
 * never mutated) and all-or-nothing (the first failing operation throws, nothing is returned): "the
 * server MUST… apply all operations or none" (RFC 7644 §3.5.2). The result is re-validated with the
 * POST / PUT rules (`canonicalizeDocument`: types, required, at most one primary) and immutable
 * attributes are checked, so a PATCH can never store what a POST would refuse.
 *
 * The function works on whatever attributes the document holds. Callers split Group `members`
 * operations out first (`planMemberPatch`) and `password` ones too: an operation that still sets a
 * password here is refused (400 invalidPath) rather than left in the document in clear text.
 * @see RFC 7644 §3.5.2.1–3
 */
export function applyPatchOperations(
  rt: ResourceTypeDefinition,
  doc: ScimDocument,
  operations: readonly PatchOperation[],
): ScimDocument {
  const working = cloneJson(doc);
  for (const operation of operations) applyOperation(rt, working, operation);
  const { doc: result } = canonicalizeDocument(rt, working, { keepSeparated: true });
  if (result.password !== undefined) {
    // The caller takes password operations out first (it is writeOnly and stored hashed); one
    // that gets here was written in a form the caller did not recognise. Refusing it is safe;
    // storing it would put a cleartext password in the document.
    throw badRequest(
      'invalidPath',
      'Set "password" with the path "password" or the key "password" of a PATCH value',
    );
  }
  assertImmutableUnchanged(rt, doc, result);
  return result;
}

function applyOperation(rt: ResourceTypeDefinition, doc: ScimDocument, operation: PatchOperation): void {
  const { op, path, value } = operation;
  if (path === undefined) {
    if (op === 'remove')
      throw badRequest('noTarget', 'A "remove" operation needs a "path" (RFC 7644 §3.5.2.2)');
    applyPathless(rt, doc, op, value);
    return;
  }
  const target = resolvePatchTarget(rt, path);
  assertWritableTarget(target);
  applyToTarget(rt, doc, target, op, value);
}

/**
 * Without a path, "the target location is assumed to be the resource itself" and `value` holds the
 * attributes to add or replace (§3.5.2.1, §3.5.2.3). Keys may be plain names, dotted sub-attribute
 * paths (`name.givenName`), URN-qualified names (`urn:…:enterprise:2.0:User:employeeNumber`) or an
 * extension URN whose value is an object of that extension's attributes — Entra sends the last three
 * with `aadOptscim062020`. readOnly keys are ignored as in a PUT (RFC 7644 §3.5.1): Okta's group
 * rename sends `{"op":"replace","value":{"id":"…","displayName":"…"}}`.
 */
function applyPathless(
  rt: ResourceTypeDefinition,
  doc: ScimDocument,
  op: 'add' | 'replace',
  value: unknown,
): void {
  if (!isJsonObject(value)) {
    throw badRequest(
      'invalidValue',
      `A "${op}" without "path" needs an object of attributes, got ${describeJsonType(value)}`,
    );
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.toLowerCase() === 'schemas') continue;
    const target = resolveValueKey(rt, key);
    if (isReadOnlyTarget(target)) continue;
    applyToTarget(rt, doc, target, op, item);
  }
}

function resolveValueKey(rt: ResourceTypeDefinition, key: string): PatchTarget {
  const extension = isExtensionOf(rt, key);
  if (extension !== undefined) return { kind: 'extension', schema: extension, label: extension };
  let path: ReturnType<typeof parsePatchPath>;
  try {
    path = parsePatchPath(key);
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    throw badRequest('invalidPath', `"${key}" in a PATCH value names no attribute of resource type ${rt.id}`);
  }
  if (path.filter !== undefined) {
    throw badRequest(
      'invalidPath',
      `"${key}": a value filter is not allowed in an attribute name of a PATCH value`,
    );
  }
  return resolvePatchTarget(rt, path);
}

function applyToTarget(
  rt: ResourceTypeDefinition,
  doc: ScimDocument,
  target: PatchTarget,
  op: PatchOperation['op'],
  value: unknown,
): void {
  if (target.kind === 'extension') {
    if (op === 'remove') {
      delete doc[target.schema];
      return;
    }
    if (value === null) return;
    if (!isJsonObject(value)) {
      throw badRequest(
        'invalidValue',
        `The value for "${target.schema}" must be an object, got ${describeJsonType(value)}`,
      );
    }
    for (const [key, item] of Object.entries(value)) {
      const inner = resolvePatchTarget(rt, { attribute: { uri: target.schema, ...splitSubAttribute(key) } });
      if (isReadOnlyTarget(inner)) continue;
      applyToTarget(rt, doc, inner, op, item);
    }
    return;
  }
  const container = containerFor(rt, doc, target.schema);
  if (op === 'remove') removeTargetValue(container, target, value);
  else setTargetValue(container, target, op, value);
}

/** `manager.value` → name `manager`, sub `value` (extension objects may use dotted keys too). */
function splitSubAttribute(key: string): { name: string; sub?: string } {
  const dot = key.indexOf('.');
  return dot < 0 ? { name: key } : { name: key.slice(0, dot), sub: key.slice(dot + 1) };
}

/** The object that holds the schema's attributes: the document itself, or the extension's object. */
function containerFor(
  rt: ResourceTypeDefinition,
  doc: ScimDocument,
  schema: string,
): Record<string, unknown> {
  if (schema === rt.schema || isExtensionOf(rt, schema) === undefined) return doc;
  const existing = doc[schema];
  if (isJsonObject(existing)) return existing;
  const created: Record<string, unknown> = {};
  doc[schema] = created;
  return created;
}
