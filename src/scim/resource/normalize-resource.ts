import { badRequest } from '../errors.ts';
import { isIgnorableEntraSchemaUrn } from '../quirks/is-ignorable-entra-schema-urn.ts';
import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { isExtensionOf } from '../schema/schema-registry.ts';
import { canonicalizeDocument } from './canonicalize-document.ts';
import { describeJsonType, isJsonObject } from './json-value.ts';
import type { NormalizedResource } from './scim-document.ts';

export { assertImmutableUnchanged } from './assert-immutable-unchanged.ts';

export type NormalizeMode = 'create' | 'replace';

/**
 * Validates and canonicalises a POST (`create`) or PUT (`replace`) body into the stored document
 * layout (see `ScimDocument`), with the password and, for Groups, the members split out. The two
 * modes apply the same rules; immutability against the stored resource is the caller's check
 * (`assertImmutableUnchanged`), since only the caller has the stored resource.
 *
 * Lenient where clients commonly err and nothing is lost: extension URNs with data are added to
 * `schemas` when missing; readOnly attributes (`id`, `meta`, `groups`, `members.display`, …) are
 * ignored (RFC 7644 §3.3, §3.5.1). Strict elsewhere: every failure is a ScimError 400 that names
 * the attribute.
 * @see RFC 7644 §3.3 and §3.5.1
 */
export function normalizeResource(
  rt: ResourceTypeDefinition,
  body: unknown,
  mode: NormalizeMode,
): NormalizedResource {
  const request = mode === 'create' ? 'POST' : 'PUT';
  if (!isJsonObject(body)) {
    throw badRequest(
      'invalidSyntax',
      `A ${request} body must be a JSON object, got ${describeJsonType(body)}`,
    );
  }
  assertSchemasAttribute(rt, body, request);
  return canonicalizeDocument(rt, body, { keepSeparated: false });
}

/**
 * `schemas` must be an array of URNs that contains the core schema URN; every other URN must be an
 * extension of the resource type. URNs are compared case-insensitively (RFC 7643 §2.1).
 * @see RFC 7643 §3
 */
function assertSchemasAttribute(
  rt: ResourceTypeDefinition,
  body: Record<string, unknown>,
  request: string,
): void {
  const key = Object.keys(body).find((name) => name.toLowerCase() === 'schemas');
  const schemas = key === undefined ? undefined : body[key];
  if (!Array.isArray(schemas) || !schemas.every((urn) => typeof urn === 'string')) {
    throw badRequest(
      'invalidSyntax',
      `A ${request} body must have "schemas", an array of schema URNs including ${rt.schema}`,
    );
  }
  const core = rt.schema.toLowerCase();
  let hasCore = false;
  for (const urn of schemas as string[]) {
    if (urn.toLowerCase() === core) hasCore = true;
    else if (isExtensionOf(rt, urn) === undefined && !isIgnorableEntraSchemaUrn(urn)) {
      throw badRequest('invalidValue', `Schema ${urn} is not a schema of resource type ${rt.id}`);
    }
  }
  if (!hasCore)
    throw badRequest('invalidValue', `"schemas" must include ${rt.schema} for resource type ${rt.id}`);
}
