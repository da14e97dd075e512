import { getResourceType } from '../../scim/schema/schema-registry.ts';
import type { ScimResourceTypeName } from '../../targets/profiles/target-profile.ts';
import type { CompiledAttributeMapping } from './compile-attribute-mapping.ts';
import type { TargetValue } from './evaluate-attribute-mapping.ts';

type JsonObject = Record<string, unknown>;

/**
 * Builds the target's SCIM document from mapped values: `schemas` first (the core schema, then
 * each extension that holds a value), core attributes at the top level, extension attributes under
 * their URN, `name.givenName` inside `name`, and a filtered target inside the element its filter
 * describes (`emails[type eq "work"].value` → `emails: [{ type: "work", value }]`; two targets with
 * the same filter share one element). Null values are left out. The mappings' order decides the
 * order of keys and elements, so the same input always gives the same document.
 * @see RFC 7643 §3 (`schemas`), §8.3 (extension attributes under the URN)
 */
export function buildTargetDocument(
  resourceType: ScimResourceTypeName,
  values: readonly { readonly mapping: CompiledAttributeMapping; readonly value: TargetValue }[],
): JsonObject {
  const coreSchema = getResourceType(resourceType).schema;
  const schemas = [coreSchema];
  const document: JsonObject = { schemas };
  for (const { mapping, value } of values) {
    if (value === null) continue;
    const { target } = mapping;
    let container = document;
    if (!target.core) {
      if (!schemas.includes(target.schema)) schemas.push(target.schema);
      container = childObject(document, target.schema);
    }
    const name = target.attribute.name;
    if (mapping.element !== undefined) {
      const elements = childArray(container, name);
      let element = elements.find((candidate) => matchesTemplate(candidate, mapping.element ?? {}));
      if (element === undefined) {
        element = { ...mapping.element };
        elements.push(element);
      }
      element[target.sub?.name ?? 'value'] = value;
    } else if (mapping.multiValued && target.attribute.type === 'complex') {
      const elements = childArray(container, name);
      const sub = target.sub?.name ?? 'value';
      for (const one of Array.isArray(value) ? value : [value]) elements.push({ [sub]: one });
    } else if (target.sub !== undefined) {
      childObject(container, name)[target.sub.name] = value;
    } else {
      container[name] = value;
    }
  }
  return document;
}

function childObject(parent: JsonObject, key: string): JsonObject {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing))
    return existing as JsonObject;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

function childArray(parent: JsonObject, key: string): JsonObject[] {
  const existing = parent[key];
  if (Array.isArray(existing)) return existing as JsonObject[];
  const created: JsonObject[] = [];
  parent[key] = created;
  return created;
}

function matchesTemplate(element: JsonObject, template: Readonly<JsonObject>): boolean {
  return Object.entries(template).every(([key, value]) => element[key] === value);
}
