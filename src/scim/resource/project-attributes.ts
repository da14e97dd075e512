import { badRequest, ScimError } from '../errors.ts';
import { parsePatchPath } from '../filter/parse-patch-path.ts';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { isExtensionOf, resolveAttribute, topLevelAttributes } from '../schema/schema-registry.ts';
import { isJsonObject } from './json-value.ts';

export interface AttributeProjectionOptions {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

/** Per schema URN, per attribute name: the whole attribute (`true`) or the named sub-attributes. */
type Selection = Map<string, Map<string, true | Set<string>>>;

export type AttributeProjection = (resource: Record<string, unknown>) => Record<string, unknown>;

/**
 * Applies `attributes` / `excludedAttributes` to one fully rendered resource.
 * @see compileAttributeProjection for the rules; compile once when projecting a whole list.
 */
export function projectAttributes(
  rt: ResourceTypeDefinition,
  resource: Record<string, unknown>,
  options: AttributeProjectionOptions,
): Record<string, unknown> {
  return compileAttributeProjection(rt, options)(resource);
}

/**
 * RFC 7644 §3.4.2.5 / §3.9 with RFC 7643 §2.2 `returned`: `always` attributes (and `schemas`) are
 * always kept; `never` never; `default` unless excluded, or unless `attributes` is given and does not
 * name them; `request` only when `attributes` names them. Names are case-insensitive and may be
 * URN-qualified, name a sub-attribute (`name.givenName`, `urn:…:User:manager.value`) or a whole
 * extension by its URN. Naming a sub-attribute in `attributes` returns only that sub-attribute (and
 * `always` ones) of the parent; excluding one drops only it.
 *
 * Names that match no attribute are ignored: §3.9 does not say what to do with them, and §3.4.2
 * asks service providers to ignore what they do not recognise rather than reject the query; a
 * projection only narrows a response, so ignoring an unknown name cannot leak anything.
 * The two parameters are mutually exclusive (§3.9): giving both is 400 invalidSyntax.
 */
export function compileAttributeProjection(
  rt: ResourceTypeDefinition,
  options: AttributeProjectionOptions,
): AttributeProjection {
  const attributes = options.attributes ?? [];
  const excluded = options.excludedAttributes ?? [];
  if (attributes.length > 0 && excluded.length > 0) {
    throw badRequest(
      'invalidSyntax',
      '"attributes" and "excludedAttributes" are mutually exclusive (RFC 7644 §3.9)',
    );
  }
  const requested = attributes.length > 0;
  const selection = buildSelection(rt, requested ? attributes : excluded);
  const schemas = [rt.schema, ...rt.schemaExtensions.map((extension) => extension.schema)];
  const definitions = new Map(schemas.map((urn) => [urn, topLevelAttributes(rt, urn)] as const));

  const projectSchema = (urn: string, values: Record<string, unknown>): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    const named = selection.get(urn);
    for (const definition of definitions.get(urn) ?? []) {
      const value = values[definition.name];
      if (value === undefined || value === null) continue;
      const projected = projectAttribute(definition, value, named?.get(definition.name), requested);
      if (projected !== undefined) result[definition.name] = projected;
    }
    return result;
  };

  return (resource) => {
    const result: Record<string, unknown> = {};
    if (resource.schemas !== undefined) result.schemas = resource.schemas;
    Object.assign(result, projectSchema(rt.schema, resource));
    for (const urn of schemas.slice(1)) {
      const values = resource[urn];
      if (!isJsonObject(values)) continue;
      const projected = projectSchema(urn, values);
      if (Object.keys(projected).length > 0) result[urn] = projected;
    }
    return result;
  };
}

function projectAttribute(
  definition: AttributeDefinition,
  value: unknown,
  named: true | Set<string> | undefined,
  requested: boolean,
): unknown {
  switch (definition.returned) {
    case 'never':
      return undefined;
    case 'always':
      return projectSubAttributes(definition, value, undefined, requested);
    case 'request':
      if (!requested || named === undefined) return undefined;
      break;
    default:
      if (requested ? named === undefined : named === true) return undefined;
  }
  return projectSubAttributes(definition, value, named === true ? undefined : named, requested);
}

/** Applies `returned` and the named sub-attributes to a complex value or to each of its elements. */
function projectSubAttributes(
  definition: AttributeDefinition,
  value: unknown,
  namedSubs: Set<string> | undefined,
  requested: boolean,
): unknown {
  if (definition.type !== 'complex') return value;
  const projectOne = (element: unknown): unknown => {
    if (!isJsonObject(element)) return element;
    const result: Record<string, unknown> = {};
    for (const sub of definition.subAttributes ?? []) {
      const subValue = element[sub.name];
      if (subValue === undefined || subValue === null || sub.returned === 'never') continue;
      const isNamed = namedSubs?.has(sub.name) ?? false;
      let keep: boolean;
      if (sub.returned === 'always') keep = true;
      else if (requested) keep = namedSubs === undefined || isNamed;
      else keep = !isNamed && sub.returned !== 'request';
      if (keep) result[sub.name] = subValue;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  };
  if (!Array.isArray(value)) return projectOne(value);
  const elements = value.map(projectOne).filter((element) => element !== undefined);
  return elements.length > 0 ? elements : undefined;
}

function buildSelection(rt: ResourceTypeDefinition, names: readonly string[]): Selection {
  const selection: Selection = new Map();
  const select = (urn: string, name: string, sub: string | undefined) => {
    let attributes = selection.get(urn);
    if (attributes === undefined) {
      attributes = new Map();
      selection.set(urn, attributes);
    }
    const current = attributes.get(name);
    if (current === true) return;
    if (sub === undefined) attributes.set(name, true);
    else if (current === undefined) attributes.set(name, new Set([sub]));
    else current.add(sub);
  };
  for (const name of names) {
    const wholeSchema = name.toLowerCase() === rt.schema.toLowerCase() ? rt.schema : isExtensionOf(rt, name);
    if (wholeSchema !== undefined) {
      for (const definition of topLevelAttributes(rt, wholeSchema))
        select(wholeSchema, definition.name, undefined);
      continue;
    }
    const resolved = resolveName(rt, name);
    if (resolved === undefined) continue;
    select(resolved.schema, resolved.definition.name, resolved.subDefinition?.name);
  }
  return selection;
}

function resolveName(rt: ResourceTypeDefinition, name: string) {
  try {
    const path = parsePatchPath(name);
    if (path.filter !== undefined || path.subAttribute !== undefined) return undefined;
    return resolveAttribute(rt, path.attribute);
  } catch (error) {
    if (error instanceof ScimError) return undefined;
    throw error;
  }
}
