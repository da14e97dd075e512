import type { SchemaDefinition } from './attribute-definition.ts';
import { defineAttribute, defineComplex } from './define-attribute.ts';
import { GROUP_SCHEMA } from './schema-urns.ts';

/**
 * The core Group schema as RFC 7643 §8.7.1 publishes it, with the deliberate changes marked
 * `DEVIATION` below: `displayName` is required and server-unique, `members` carries `display`.
 * @see RFC 7643 §4.2, §8.7.1
 */
export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = Object.freeze({
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: Object.freeze([
    // DEVIATION: §8.7.1 has required false and uniqueness none. Required follows §4.2's prose
    // ("REQUIRED", which the §8.7.1 description repeats); uniqueness server states what this
    // server enforces, compared case-insensitively (caseExact false).
    defineAttribute('displayName', 'string', 'A human-readable name for the Group. REQUIRED.', {
      required: true,
      uniqueness: 'server',
    }),
    defineComplex(
      'members',
      'A list of members of the Group.',
      [
        defineAttribute('value', 'string', 'Identifier of the member of this Group.', {
          mutability: 'immutable',
        }),
        defineAttribute(
          '$ref',
          'reference',
          'The URI corresponding to a SCIM resource that is a member of this Group.',
          { mutability: 'immutable', referenceTypes: ['User', 'Group'] },
        ),
        // DEVIATION: not in §8.7.1; the server fills in each member's display name. RFC 7644
        // §3.5.2's own PATCH examples, and Okta, send it: being readOnly, it is ignored on input.
        defineAttribute(
          'display',
          'string',
          'A human-readable name for the member, primarily used for display purposes.',
          {
            mutability: 'readOnly',
          },
        ),
        defineAttribute(
          'type',
          'string',
          "A label indicating the type of resource, e.g., 'User' or 'Group'.",
          {
            mutability: 'immutable',
            canonicalValues: ['User', 'Group'],
          },
        ),
      ],
      { multiValued: true },
    ),
  ]),
});
