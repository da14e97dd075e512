import { badRequest } from '../errors.ts';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { getResourceType, resolveAttribute } from '../schema/schema-registry.ts';
import { canonicalizeValue } from './canonicalize-value.ts';
import { isJsonObject } from './json-value.ts';
import type { MemberRef } from './scim-document.ts';

let membersDefinition: AttributeDefinition | undefined;

/** The Group `members` attribute definition, looked up once. */
export function getMembersDefinition(): AttributeDefinition {
  membersDefinition ??= resolveAttribute(getResourceType('Group'), { name: 'members' })?.definition;
  if (membersDefinition === undefined) throw new Error('The Group schema has no "members" attribute');
  return membersDefinition;
}

/**
 * Validates Group members as a client sent them (an array, or null for none) and returns them as the
 * members table stores them: `value` required, `type` `User` or `Group` in canonical spelling,
 * `display` (readOnly) and `$ref` (derived from value and type) dropped, duplicates removed (first
 * kept). Throws ScimError 400 like `canonicalizeValue`.
 * @see RFC 7643 §4.2
 */
export function canonicalizeMemberRefs(value: unknown, path = 'members'): MemberRef[] {
  const canonical = canonicalizeValue(getMembersDefinition(), value, path);
  // A member object without an id (`{"display":"Babs"}`) is a client error, not an unassigned value.
  if (Array.isArray(value)) {
    value.forEach((element, index) => {
      if (element !== null && !hasMemberId(element)) {
        throw badRequest('invalidValue', `Sub-attribute "${path}[${index}].value" is required`);
      }
    });
  }
  if (canonical === undefined) return [];
  const members: MemberRef[] = [];
  const seen = new Set<string>();
  for (const element of canonical as Record<string, unknown>[]) {
    const { value: id, type } = element;
    if (typeof id !== 'string' || seen.has(id)) continue;
    seen.add(id);
    members.push(type === 'User' || type === 'Group' ? { value: id, type } : { value: id });
  }
  return members;
}

function hasMemberId(element: unknown): boolean {
  if (!isJsonObject(element)) return true; // canonicalizeValue has refused it already
  const key = Object.keys(element).find((name) => name.toLowerCase() === 'value');
  return key !== undefined && element[key] !== null && element[key] !== '';
}
