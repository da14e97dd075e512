import type { AttributeDefinition } from '../schema/attribute-definition.ts';

/**
 * Microsoft Entra ID wraps the value of a single-valued attribute in a one-element array when it
 * PATCHes it, e.g. the manager: `{"op":"Add","path":"manager","value":[{"$ref":"…","value":"…"}]}`.
 * For a single-valued attribute, an array of exactly one element is replaced by that element;
 * anything else is returned unchanged (and an array still fails validation for a single value).
 * @see Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint",
 *   "Example 5. Request from Microsoft Entra ID to an SCIM endpoint to update a user"
 */
export function unwrapEntraSingleValueArray(definition: AttributeDefinition, value: unknown): unknown {
  if (definition.multiValued || !Array.isArray(value) || value.length !== 1) return value;
  return value[0];
}
