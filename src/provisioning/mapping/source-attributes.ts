import { canonicalDateTime } from '../../scim/filter/compare-values.ts';
import { evaluateElementFilter } from '../../scim/filter/evaluate-filter.ts';
import type { AttributeDefinition } from '../../scim/schema/attribute-definition.ts';
import { findSubAttribute } from '../../scim/schema/schema-registry.ts';
import type { ScimResourceTypeName } from '../../targets/profiles/target-profile.ts';
import type { AttributeCatalogue, AttributeSource, AttributeType, ValueType } from './expression/index.ts';
import { type ResolvedScimPath, resolveScimPath } from './resolve-scim-path.ts';

/**
 * # Source attributes: how a mapping (and a scoping filter) reads a directory object
 *
 * A directory user or group is a SCIM document (RFC 7643 core schema, the enterprise extension
 * under its URN). A mapping names its attributes the way Entra's source attributes are named, and
 * every name is case-insensitive:
 *
 * - any readable SCIM path of the resource type: `id`, `externalId`, `userName`, `displayName`,
 *   `active`, `title`, `name.givenName`, `meta.created`, `emails.value` (every e-mail: multi-valued),
 *   `emails[type eq "work"].value` (one e-mail), `urn:…:enterprise:2.0:User:department`, and
 *   enterprise attributes without their URN (`department`, `employeeNumber`, `manager.value`);
 * - the Entra-style aliases of `USER_SOURCE_ALIASES` (`mail`, `givenName`, `surname`, `employeeId`,
 *   `manager`, `objectId`, …).
 *
 * Types follow RFC 7643: string, reference and binary read as `string`; integer and decimal as
 * `number`; dateTime as `dateTime` (a `Date` when the text is a valid xsd:dateTime). A path through
 * a multi-valued attribute without a filter is multi-valued; a value path (`emails[…].value`) is
 * single-valued and reads the first matching element, a `primary` one first. Not readable: complex
 * attributes without a sub-attribute (`name`, `addresses`), and write-only ones (`password`).
 */

/** An Entra-style name for one or more SCIM paths; the first path that holds a value wins. */
export interface SourceAlias {
  readonly name: string;
  readonly paths: readonly string[];
  readonly description: string;
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const USER_SOURCE_ALIASES: readonly SourceAlias[] = Object.freeze([
  { name: 'objectId', paths: ['id'], description: "The directory's id of the user" },
  { name: 'userPrincipalName', paths: ['userName'], description: 'userName' },
  { name: 'accountEnabled', paths: ['active'], description: 'active' },
  {
    name: 'mail',
    paths: ['emails[primary eq true].value', 'emails[type eq "work"].value'],
    description: 'The primary e-mail, else the work e-mail',
  },
  { name: 'givenName', paths: ['name.givenName'], description: 'name.givenName' },
  { name: 'surname', paths: ['name.familyName'], description: 'name.familyName' },
  { name: 'jobTitle', paths: ['title'], description: 'title' },
  { name: 'mobile', paths: ['phoneNumbers[type eq "mobile"].value'], description: 'The mobile number' },
  { name: 'telephoneNumber', paths: ['phoneNumbers[type eq "work"].value'], description: 'The work number' },
  { name: 'department', paths: [`${ENTERPRISE}:department`], description: 'Enterprise department' },
  { name: 'employeeId', paths: [`${ENTERPRISE}:employeeNumber`], description: 'Enterprise employeeNumber' },
  { name: 'companyName', paths: [`${ENTERPRISE}:organization`], description: 'Enterprise organization' },
  {
    name: 'manager',
    paths: [`${ENTERPRISE}:manager.value`],
    description: "The directory id of the user's manager (enterprise manager.value)",
  },
]);

export const GROUP_SOURCE_ALIASES: readonly SourceAlias[] = Object.freeze([
  { name: 'objectId', paths: ['id'], description: "The directory's id of the group" },
]);

/** A source attribute name, resolved: the paths it reads, in order, and its type. */
export interface SourceAttribute {
  readonly paths: readonly ResolvedScimPath[];
  readonly type: AttributeType;
}

const ALIASES: Readonly<Record<ScimResourceTypeName, ReadonlyMap<string, SourceAlias>>> = {
  User: new Map(USER_SOURCE_ALIASES.map((alias) => [alias.name.toLowerCase(), alias])),
  Group: new Map(GROUP_SOURCE_ALIASES.map((alias) => [alias.name.toLowerCase(), alias])),
};

const RESOLVED = new Map<string, SourceAttribute | null>();
const RESOLVED_LIMIT = 2_000;

/** Resolves a source attribute name (alias or SCIM path); undefined when it names nothing readable. */
export function resolveSourceAttribute(
  resourceType: ScimResourceTypeName,
  name: string,
): SourceAttribute | undefined {
  const key = `${resourceType}\u0000${name.toLowerCase()}`;
  let resolved = RESOLVED.get(key);
  if (resolved === undefined) {
    resolved = resolveUncached(resourceType, name.trim()) ?? null;
    if (RESOLVED.size >= RESOLVED_LIMIT) RESOLVED.clear();
    RESOLVED.set(key, resolved);
  }
  return resolved ?? undefined;
}

function resolveUncached(resourceType: ScimResourceTypeName, name: string): SourceAttribute | undefined {
  const alias = ALIASES[resourceType].get(name.toLowerCase());
  const texts = alias?.paths ?? [name];
  const paths: ResolvedScimPath[] = [];
  let type: AttributeType | undefined;
  for (const text of texts) {
    const resolution = resolveScimPath(resourceType, text);
    if (!resolution.ok) return undefined;
    const pathType = typeOfPath(resolution.path);
    if (pathType === undefined) return undefined;
    type ??= pathType;
    paths.push(resolution.path);
  }
  return type === undefined ? undefined : { paths, type };
}

function typeOfPath(path: ResolvedScimPath): AttributeType | undefined {
  const leaf = readLeaf(path);
  if (leaf === undefined || leaf.type === 'complex') return undefined;
  if (leaf.mutability === 'writeOnly' || leaf.returned === 'never') return undefined;
  return { type: valueTypeOf(leaf), multiValued: path.attribute.multiValued && path.filter === undefined };
}

/** What a path reads: its sub-attribute, a multi-valued complex attribute's `value`, or itself. */
function readLeaf(path: ResolvedScimPath): AttributeDefinition | undefined {
  if (path.sub !== undefined) return path.sub;
  if (path.attribute.type !== 'complex') return path.attribute;
  return path.attribute.multiValued ? findSubAttribute(path.attribute, 'value') : undefined;
}

function valueTypeOf(definition: AttributeDefinition): ValueType {
  switch (definition.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'dateTime':
      return 'dateTime';
    default:
      return 'string';
  }
}

/** The catalogue `checkExpression` type-checks against: closed-world, case-insensitive. */
export function sourceAttributeCatalogue(resourceType: ScimResourceTypeName): AttributeCatalogue {
  return resourceType === 'User' ? USER_ATTRIBUTE_CATALOGUE : GROUP_ATTRIBUTE_CATALOGUE;
}

export const USER_ATTRIBUTE_CATALOGUE: AttributeCatalogue = Object.freeze({
  lookup: (name: string) => resolveSourceAttribute('User', name)?.type,
});

export const GROUP_ATTRIBUTE_CATALOGUE: AttributeCatalogue = Object.freeze({
  lookup: (name: string) => resolveSourceAttribute('Group', name)?.type,
});

/**
 * Reads source attributes of one directory document for `evaluateExpression`. Unknown names read
 * as absent (the checker has already refused them). Keys of the document are matched exactly
 * first, then case-insensitively.
 */
export function createAttributeSource(
  resourceType: ScimResourceTypeName,
  document: Readonly<Record<string, unknown>>,
): AttributeSource {
  return (name) => readSourceAttribute(resourceType, document, name);
}

export function readSourceAttribute(
  resourceType: ScimResourceTypeName,
  document: Readonly<Record<string, unknown>>,
  name: string,
): unknown {
  const attribute = resolveSourceAttribute(resourceType, name);
  if (attribute === undefined) return undefined;
  for (const path of attribute.paths) {
    const value = readPath(document, path);
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) return value;
  }
  return undefined;
}

function readPath(document: Readonly<Record<string, unknown>>, path: ResolvedScimPath): unknown {
  const container = path.core ? document : readKey(document, path.schema);
  const raw = readKey(container, path.attribute.name);
  const leaf = readLeaf(path);
  if (leaf === undefined) return raw;
  const leafName = leaf === path.attribute ? undefined : leaf.name;
  if (path.filter !== undefined) {
    const filter = path.filter;
    const matches = (Array.isArray(raw) ? raw : []).filter(
      (element): element is Record<string, unknown> =>
        isObject(element) && evaluateElementFilter(filter, element, path.attribute),
    );
    const chosen = matches.find((element) => readKey(element, 'primary') === true) ?? matches[0];
    return toLeafValue(leafName === undefined ? chosen : readKey(chosen, leafName), leaf);
  }
  if (path.attribute.multiValued) {
    if (!Array.isArray(raw)) return raw === undefined || raw === null ? undefined : [raw];
    const values = leafName === undefined ? raw : raw.map((element) => readKey(element, leafName));
    return values.map((value) => toLeafValue(value, leaf));
  }
  return toLeafValue(leafName === undefined ? raw : readKey(raw, leafName), leaf);
}

/** A dateTime attribute's text becomes a Date, so comparisons and FormatDateTime see an instant. */
function toLeafValue(value: unknown, leaf: AttributeDefinition): unknown {
  if (leaf.type !== 'dateTime' || typeof value !== 'string') return value;
  const canonical = canonicalDateTime(value);
  return canonical === undefined ? value : new Date(canonical);
}

function readKey(container: unknown, name: string): unknown {
  if (!isObject(container)) return undefined;
  if (Object.hasOwn(container, name)) return container[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(container)) if (key.toLowerCase() === lower) return container[key];
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
