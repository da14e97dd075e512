import { ScimError } from '../../scim/errors.ts';
import type { Filter } from '../../scim/filter/filter-ast.ts';
import { parsePatchPath } from '../../scim/filter/parse-patch-path.ts';
import { printFilter } from '../../scim/filter/print-filter.ts';
import { resolvePatchTarget } from '../../scim/patch/resolve-patch-target.ts';
import type { AttributeDefinition } from '../../scim/schema/attribute-definition.ts';
import { getResourceType } from '../../scim/schema/schema-registry.ts';
import type { ScimResourceTypeName } from '../../targets/profiles/target-profile.ts';

/**
 * A SCIM attribute path (the PATCH path grammar of RFC 7644 §3.5.2: `userName`, `name.givenName`,
 * `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`) resolved against a
 * resource type, with canonical names.
 */
export interface ResolvedScimPath {
  /** Canonical URN of the schema that defines the attribute. */
  readonly schema: string;
  /** Whether the attribute sits at the top level of the document (core schema or common attribute). */
  readonly core: boolean;
  readonly attribute: AttributeDefinition;
  /** `givenName` in `name.givenName`, `value` in `emails[type eq "work"].value`. */
  readonly sub?: AttributeDefinition;
  /** The resolved element filter of a value path. */
  readonly filter?: Filter;
  /**
   * The canonical spelling: schema spelling of names, the URN only for extension attributes, the
   * filter as `printFilter` prints it. Two paths designate the same place when these are equal.
   */
  readonly canonical: string;
}

export type ScimPathResolution =
  | { readonly ok: true; readonly path: ResolvedScimPath }
  | { readonly ok: false; readonly message: string };

const CACHE_LIMIT = 2_000;
const CACHE = new Map<string, ScimPathResolution>();

/**
 * Resolves `text` case-insensitively (RFC 7643 §2.1) with the SCIM layer's own parser and schema
 * registry, so mappings and requests agree on what a path means. Never throws; results are cached
 * (a mapping names the same few paths for every user).
 */
export function resolveScimPath(resourceType: ScimResourceTypeName, text: string): ScimPathResolution {
  const key = `${resourceType}\u0000${text}`;
  const cached = CACHE.get(key);
  if (cached !== undefined) return cached;
  const resolution = resolveUncached(resourceType, text);
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(key, resolution);
  return resolution;
}

function resolveUncached(resourceType: ScimResourceTypeName, text: string): ScimPathResolution {
  const rt = getResourceType(resourceType);
  try {
    const target = resolvePatchTarget(rt, parsePatchPath(text));
    if (target.kind === 'extension') {
      return { ok: false, message: `"${text}" names a whole schema extension, not an attribute` };
    }
    const core = target.schema.toLowerCase() === rt.schema.toLowerCase();
    const base =
      target.filter === undefined
        ? target.definition.name
        : `${target.definition.name}[${printFilter(target.filter)}]`;
    const local = target.sub === undefined ? base : `${base}.${target.sub.name}`;
    const path: ResolvedScimPath = {
      schema: target.schema,
      core,
      attribute: target.definition,
      ...(target.sub === undefined ? {} : { sub: target.sub }),
      ...(target.filter === undefined ? {} : { filter: target.filter }),
      canonical: core ? local : `${target.schema}:${local}`,
    };
    return { ok: true, path };
  } catch (error) {
    if (error instanceof ScimError)
      return { ok: false, message: error.message.replace(/^PATCH path/, 'path') };
    throw error;
  }
}

/** The definition that types the path's values: the sub-attribute, else the attribute itself. */
export function leafDefinition(path: ResolvedScimPath): AttributeDefinition {
  return path.sub ?? path.attribute;
}
