import type { AttributePath } from '../filter/filter-ast.ts';
import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { type ResolvedAttribute, resolveAttribute } from '../schema/schema-registry.ts';

/**
 * Microsoft Entra ID's documented manager update targets the enterprise extension attribute without
 * its URN: `{"op":"Add","path":"manager",…}`. RFC 7644 §3.10 lets clients omit only the core
 * schema's URN, so an unqualified name is first resolved in the core schema; only when that fails is
 * it tried, in order, against the resource type's extensions. Returns undefined when no extension
 * defines the name either.
 * @see Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint",
 *   "Example 5. Request from Microsoft Entra ID to an SCIM endpoint to update a user"
 */
export function resolveEntraUnqualifiedExtensionAttribute(
  rt: ResourceTypeDefinition,
  path: AttributePath,
): ResolvedAttribute | undefined {
  if (path.uri !== undefined) return undefined;
  for (const extension of rt.schemaExtensions) {
    const resolved = resolveAttribute(rt, { ...path, uri: extension.schema });
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}
