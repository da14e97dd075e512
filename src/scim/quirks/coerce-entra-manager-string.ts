import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { findSubAttribute } from '../schema/schema-registry.ts';

/**
 * Microsoft Entra ID sends the enterprise `manager` as the manager's id string rather than the
 * complex value RFC 7643 §4.3 defines: `"manager": "123456"` in a resource, and
 * `{"op":"Add","path":"urn:…:enterprise:2.0:User:manager","value":"<id>"}` in a PATCH. For a
 * single-valued complex attribute that has a `value` sub-attribute, a string becomes
 * `{ value: <string> }`; anything else is returned unchanged.
 * @see Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint",
 *   "Design your user and group schema" (example SCIM schema)
 */
export function coerceEntraManagerString(definition: AttributeDefinition, value: unknown): unknown {
  if (typeof value !== 'string' || definition.type !== 'complex' || definition.multiValued) return value;
  const valueAttribute = findSubAttribute(definition, 'value');
  return valueAttribute === undefined ? value : { [valueAttribute.name]: value };
}
