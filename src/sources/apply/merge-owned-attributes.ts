import { isDeepStrictEqual } from 'node:util';
import { normalizeResource } from '../../scim/resource/normalize-resource.ts';
import type { ResourceTypeDefinition } from '../../scim/schema/attribute-definition.ts';
import { parseScimPath, setScimPath } from './scim-path.ts';

/**
 * The next document of an object: `current` with every attribute the source supplies set to the
 * source's value, except those released to local control; everything else (local attributes, other
 * e-mail types) is kept. Canonicalised like a PUT, so that an unchanged object compares equal.
 * Throws the ScimError of an invalid value (the caller reports it for that entry).
 */
export function mergeOwnedAttributes(
  resourceType: ResourceTypeDefinition,
  current: Record<string, unknown>,
  supplied: Readonly<Record<string, unknown>>,
  released: readonly string[],
): { doc: Record<string, unknown>; changed: boolean } {
  const next = structuredClone(current);
  const releasedSet = new Set(released);
  for (const [text, value] of Object.entries(supplied)) {
    if (releasedSet.has(text)) continue;
    const path = parseScimPath(text);
    if (path === undefined) throw new Error(`"${text}" is not a SCIM attribute path this source can write`);
    setScimPath(next, path, value);
  }
  const { doc } = normalizeResource(resourceType, next, 'replace');
  return { doc, changed: !isDeepStrictEqual(doc, current) };
}
