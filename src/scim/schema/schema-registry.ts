/**
 * Lookup of schemas, resource types and attribute definitions, case-insensitively
 * (RFC 7643 §2.1: attribute names and schema URNs are case-insensitive).
 *
 * CONTRACT (implemented by the schema work; other modules code against these signatures):
 *
 * - `getResourceType('User' | 'Group')`
 * - `listResourceTypes()`
 * - `findSchema(urn)`: case-insensitive; undefined when unknown.
 * - `listSchemas()`: User, Group, EnterpriseUser (what `/Schemas` serves).
 * - `topLevelAttributes(resourceType, schemaUrn)`: the attributes a resource may carry under that schema,
 *   including, for the core schema, the common attributes `id`, `externalId`, `meta` (RFC 7643 §3.1)
 *   which `/Schemas` does not list.
 * - `resolveAttribute(resourceType, path)`: canonical spelling and definitions for a path as written,
 *   or undefined when no such attribute exists. Unqualified names resolve against the core schema
 *   (and the common attributes); URN-qualified names against the named schema, which must be the
 *   core schema or one of the resource type's extensions.
 *
 * Every lookup is a map hit on precomputed tables: resolution runs for each attribute of each
 * request. Maps hold both the canonical and the lower-case spelling, so a client that writes names
 * as the schema does never pays for lower-casing.
 */
import type { AttributePath } from '../filter/filter-ast.ts';
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaDefinition,
} from './attribute-definition.ts';
import { COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE } from './common-attributes.ts';
import { ENTERPRISE_USER_SCHEMA_DEFINITION } from './enterprise-user-schema.ts';
import { GROUP_SCHEMA_DEFINITION } from './group-schema.ts';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from './resource-types.ts';
import { USER_SCHEMA_DEFINITION } from './user-schema.ts';

export interface ResolvedAttribute {
  /** Canonical URN that defines the attribute; the core schema's for `id`, `externalId`, `meta`. */
  readonly schema: string;
  /** The top-level attribute. */
  readonly definition: AttributeDefinition;
  /** Present when the path names a sub-attribute. */
  readonly subDefinition?: AttributeDefinition;
  /** Canonical spelling; `uri` always set. */
  readonly path: AttributePath;
}

const SCHEMAS: readonly SchemaDefinition[] = Object.freeze([
  USER_SCHEMA_DEFINITION,
  GROUP_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
]);
const RESOURCE_TYPES: readonly ResourceTypeDefinition[] = Object.freeze([
  USER_RESOURCE_TYPE,
  GROUP_RESOURCE_TYPE,
]);
const NO_ATTRIBUTES: readonly AttributeDefinition[] = Object.freeze([]);

/** A map keyed by both the canonical and the lower-case spelling of each key. */
type CaseInsensitiveMap<V> = ReadonlyMap<string, V>;

function caseInsensitiveMap<V>(entries: Iterable<readonly [string, V]>): CaseInsensitiveMap<V> {
  const map = new Map<string, V>();
  for (const [key, value] of entries) {
    map.set(key, value);
    map.set(key.toLowerCase(), value);
  }
  return map;
}

function lookup<V>(map: CaseInsensitiveMap<V>, key: string): V | undefined {
  return map.get(key) ?? map.get(key.toLowerCase());
}

const SCHEMAS_BY_URN = caseInsensitiveMap(SCHEMAS.map((schema) => [schema.id, schema] as const));

const SUB_ATTRIBUTE_MAPS = new WeakMap<AttributeDefinition, CaseInsensitiveMap<AttributeDefinition>>();

function subAttributeMap(parent: AttributeDefinition): CaseInsensitiveMap<AttributeDefinition> {
  let map = SUB_ATTRIBUTE_MAPS.get(parent);
  if (map === undefined) {
    map = caseInsensitiveMap((parent.subAttributes ?? []).map((sub) => [sub.name, sub] as const));
    SUB_ATTRIBUTE_MAPS.set(parent, map);
  }
  return map;
}

/** One top-level attribute, resolved, with its sub-attributes resolved too. */
interface AttributeEntry {
  readonly resolved: ResolvedAttribute;
  readonly subs: CaseInsensitiveMap<ResolvedAttribute>;
}

interface ResourceTypeIndex {
  readonly unqualified: CaseInsensitiveMap<AttributeEntry>;
  readonly bySchema: CaseInsensitiveMap<CaseInsensitiveMap<AttributeEntry>>;
  readonly topLevel: CaseInsensitiveMap<readonly AttributeDefinition[]>;
  readonly extensions: CaseInsensitiveMap<string>;
  readonly schemas: ResolvedAttribute;
}

function resolveEntry(schema: string, definition: AttributeDefinition): AttributeEntry {
  const resolved: ResolvedAttribute = Object.freeze({
    schema,
    definition,
    path: Object.freeze({ uri: schema, name: definition.name }),
  });
  const subs = (definition.subAttributes ?? []).map((subDefinition) => {
    const path = Object.freeze({ uri: schema, name: definition.name, sub: subDefinition.name });
    return [subDefinition.name, Object.freeze({ schema, definition, subDefinition, path })] as const;
  });
  return { resolved, subs: caseInsensitiveMap(subs) };
}

function indexAttributes(schema: string, attributes: readonly AttributeDefinition[]) {
  return caseInsensitiveMap(
    attributes.map((attribute) => [attribute.name, resolveEntry(schema, attribute)] as const),
  );
}

function buildIndex(rt: ResourceTypeDefinition): ResourceTypeIndex {
  const core = findSchema(rt.schema);
  const coreAttributes = Object.freeze([...COMMON_ATTRIBUTES, ...(core?.attributes ?? [])]);
  const unqualified = indexAttributes(rt.schema, coreAttributes);
  const bySchema: [string, CaseInsensitiveMap<AttributeEntry>][] = [[rt.schema, unqualified]];
  const topLevel: [string, readonly AttributeDefinition[]][] = [[rt.schema, coreAttributes]];
  const extensions: [string, string][] = [];
  for (const { schema: urn } of rt.schemaExtensions) {
    const attributes = findSchema(urn)?.attributes ?? NO_ATTRIBUTES;
    bySchema.push([urn, indexAttributes(urn, attributes)]);
    topLevel.push([urn, attributes]);
    extensions.push([urn, urn]);
  }
  return {
    unqualified,
    bySchema: caseInsensitiveMap(bySchema),
    topLevel: caseInsensitiveMap(topLevel),
    extensions: caseInsensitiveMap(extensions),
    schemas: resolveEntry(rt.schema, SCHEMAS_ATTRIBUTE).resolved,
  };
}

const INDEXES = new WeakMap<ResourceTypeDefinition, ResourceTypeIndex>();

function indexOf(rt: ResourceTypeDefinition): ResourceTypeIndex {
  let index = INDEXES.get(rt);
  if (index === undefined) {
    index = buildIndex(rt);
    INDEXES.set(rt, index);
  }
  return index;
}

export function getResourceType(id: 'User' | 'Group'): ResourceTypeDefinition {
  return id === 'User' ? USER_RESOURCE_TYPE : GROUP_RESOURCE_TYPE;
}

export function listResourceTypes(): readonly ResourceTypeDefinition[] {
  return RESOURCE_TYPES;
}

export function findSchema(urn: string): SchemaDefinition | undefined {
  return lookup(SCHEMAS_BY_URN, urn);
}

export function listSchemas(): readonly SchemaDefinition[] {
  return SCHEMAS;
}

/** Empty when `schemaUrn` is neither the core schema nor an extension of `rt`. */
export function topLevelAttributes(
  rt: ResourceTypeDefinition,
  schemaUrn: string,
): readonly AttributeDefinition[] {
  return lookup(indexOf(rt).topLevel, schemaUrn) ?? NO_ATTRIBUTES;
}

/**
 * Also accepts a `name` that still carries its URN prefix (`urn:…:2.0:User:userName`), as keys of
 * a resource body or a PATCH value arrive; an attribute name never contains `:`. A `name` holding
 * a dot (`name.givenName`) does not resolve: the caller must split it into `name` and `sub`.
 * @see RFC 7644 §3.10
 */
export function resolveAttribute(
  rt: ResourceTypeDefinition,
  path: AttributePath,
): ResolvedAttribute | undefined {
  let { uri, name } = path;
  if (uri === undefined) {
    const colon = name.lastIndexOf(':');
    if (colon >= 0) {
      uri = name.slice(0, colon);
      name = name.slice(colon + 1);
    }
  }
  const index = indexOf(rt);
  if (
    name.toLowerCase() === 'schemas' &&
    path.sub === undefined &&
    (uri === undefined || uri.toLowerCase() === rt.schema.toLowerCase())
  ) {
    return index.schemas;
  }
  const attributes = uri === undefined ? index.unqualified : lookup(index.bySchema, uri);
  if (attributes === undefined) return undefined;
  const entry = lookup(attributes, name);
  if (entry === undefined) return undefined;
  return path.sub === undefined ? entry.resolved : lookup(entry.subs, path.sub);
}

/** Case-insensitive; undefined for an unknown name or a parent that is not complex. */
export function findSubAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return lookup(subAttributeMap(parent), name);
}

/** The canonical URN when `schemaUrn` names one of `rt`'s extensions (not its core schema). */
export function isExtensionOf(rt: ResourceTypeDefinition, schemaUrn: string): string | undefined {
  return lookup(indexOf(rt).extensions, schemaUrn);
}
