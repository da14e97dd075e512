import { badRequest } from '../errors.ts';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { isExtensionOf, resolveAttribute, topLevelAttributes } from '../schema/schema-registry.ts';
import { USER_SCHEMA } from '../schema/schema-urns.ts';
import { canonicalizeMemberRefs } from './canonicalize-member-refs.ts';
import { canonicalizeValue } from './canonicalize-value.ts';
import { describeJsonType, isJsonObject } from './json-value.ts';
import type { MemberRef, NormalizedResource, ScimDocument } from './scim-document.ts';

export interface CanonicalizeDocumentOptions {
  /**
   * false for POST / PUT bodies: `password` and Group `members` are split out of the document.
   * true when re-validating a PATCH result: they stay in the document (as a string and as
   * `{ value, type }` objects) so that the caller sees every change the operations made.
   */
  readonly keepSeparated: boolean;
}

/**
 * The attribute rules shared by POST, PUT and PATCH: names resolved case-insensitively to their
 * schema spelling, unknown attributes refused (400 invalidSyntax), readOnly attributes ignored
 * (RFC 7644 §3.5.1), values validated and canonicalised (`canonicalizeValue`), unassigned values
 * dropped (RFC 7643 §2.5), required attributes enforced (400 invalidValue), `schemas` rebuilt as the
 * core URN plus each extension that has data. The input `schemas` key is not read here.
 */
export function canonicalizeDocument(
  rt: ResourceTypeDefinition,
  body: Record<string, unknown>,
  options: CanonicalizeDocumentOptions,
): NormalizedResource {
  const containers = new Map<string, Record<string, unknown>>([[rt.schema, {}]]);
  const seen = new Set<string>();
  let password: string | undefined;
  let members: MemberRef[] | undefined;

  const put = (schema: string, definition: AttributeDefinition, raw: unknown, path: string): void => {
    markSeen(seen, `${schema}:${definition.name}`, path);
    if (definition.mutability === 'readOnly') return;
    if (isGroupMembers(rt, definition, schema)) {
      members = canonicalizeMemberRefs(raw, definition.name);
      return;
    }
    const value = canonicalizeValue(definition, raw, path);
    if (value === undefined) return;
    if (schema === USER_SCHEMA && definition.name === 'password' && !options.keepSeparated) {
      password = value as string;
      return;
    }
    let container = containers.get(schema);
    if (container === undefined) {
      container = {};
      containers.set(schema, container);
    }
    container[definition.name] = value;
  };

  for (const [key, raw] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const extension = isExtensionOf(rt, key);
    if (extension !== undefined) {
      markSeen(seen, extension, extension);
      if (raw === null || raw === undefined) continue;
      if (!isJsonObject(raw)) {
        throw badRequest(
          'invalidSyntax',
          `The value of "${extension}" must be an object, got ${describeJsonType(raw)}`,
        );
      }
      for (const [name, value] of Object.entries(raw)) {
        if (value === null || value === undefined) continue;
        const definition = resolveAttribute(rt, { uri: extension, name })?.definition;
        if (definition === undefined)
          throw badRequest('invalidSyntax', `Unknown attribute "${name}" in schema ${extension}`);
        put(extension, definition, value, `${extension}:${definition.name}`);
      }
      continue;
    }
    // resolveAttribute also accepts URN-qualified keys (`urn:…:enterprise:2.0:User:department`).
    const resolved = resolveAttribute(rt, { name: key });
    // A null is "unassigned" whatever the name: Entra's documented create request sends
    // `"department": null, "manager": null` at the top level, where no such core attribute exists.
    // Group `members: null` still says "no members".
    if ((raw === null || raw === undefined) && !isGroupMembers(rt, resolved?.definition, resolved?.schema))
      continue;
    if (resolved === undefined || resolved.subDefinition !== undefined) {
      throw badRequest('invalidSyntax', `Unknown attribute "${key}" for resource type ${rt.id}`);
    }
    const path =
      resolved.schema === rt.schema
        ? resolved.definition.name
        : `${resolved.schema}:${resolved.definition.name}`;
    put(resolved.schema, resolved.definition, raw, path);
  }

  const core = containers.get(rt.schema) ?? {};
  containers.delete(rt.schema);
  if (options.keepSeparated && members !== undefined && members.length > 0) core.members = members;
  assertRequiredPresent(rt, core, containers, password, members);

  const extensions = rt.schemaExtensions
    .map(({ schema }) => schema)
    .filter((schema) => Object.keys(containers.get(schema) ?? {}).length > 0);
  const doc: ScimDocument = { schemas: [rt.schema, ...extensions], ...core };
  for (const schema of extensions) doc[schema] = containers.get(schema);
  const result: { doc: ScimDocument; password?: string; members?: MemberRef[] } = { doc };
  if (password !== undefined) result.password = password;
  if (members !== undefined && !options.keepSeparated) result.members = members;
  return result;
}

function isGroupMembers(
  rt: ResourceTypeDefinition,
  definition: AttributeDefinition | undefined,
  schema: string | undefined,
): boolean {
  return rt.id === 'Group' && schema === rt.schema && definition?.name === 'members';
}

function markSeen(seen: Set<string>, key: string, name: string): void {
  if (seen.has(key)) throw badRequest('invalidSyntax', `Attribute "${name}" is given more than once`);
  seen.add(key);
}

function assertRequiredPresent(
  rt: ResourceTypeDefinition,
  core: Record<string, unknown>,
  extensions: ReadonlyMap<string, Record<string, unknown>>,
  password: string | undefined,
  members: MemberRef[] | undefined,
): void {
  const missing = (definition: AttributeDefinition, values: Record<string, unknown>): boolean =>
    definition.required && definition.mutability !== 'readOnly' && values[definition.name] === undefined;
  const separated: Record<string, unknown> = { password, members: members?.length ? members : undefined };
  for (const definition of topLevelAttributes(rt, rt.schema)) {
    if (missing(definition, core) && separated[definition.name] === undefined) {
      throw badRequest('invalidValue', `Attribute "${definition.name}" is required`);
    }
  }
  for (const extension of rt.schemaExtensions) {
    const values = extensions.get(extension.schema);
    if (values === undefined) {
      if (extension.required)
        throw badRequest('invalidValue', `Schema extension ${extension.schema} is required`);
      continue;
    }
    for (const definition of topLevelAttributes(rt, extension.schema)) {
      if (missing(definition, values)) {
        throw badRequest('invalidValue', `Attribute "${extension.schema}:${definition.name}" is required`);
      }
    }
  }
}
