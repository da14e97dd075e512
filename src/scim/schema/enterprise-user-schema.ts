import type { SchemaDefinition } from './attribute-definition.ts';
import { defineAttribute, defineComplex } from './define-attribute.ts';
import { ENTERPRISE_USER_SCHEMA } from './schema-urns.ts';

/**
 * The Enterprise User extension exactly as RFC 7643 §8.7.1 publishes it.
 * @see RFC 7643 §4.3, §8.7.1
 */
export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = Object.freeze({
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: Object.freeze([
    defineAttribute(
      'employeeNumber',
      'string',
      'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
    ),
    defineAttribute('costCenter', 'string', 'Identifies the name of a cost center.'),
    defineAttribute('organization', 'string', 'Identifies the name of an organization.'),
    defineAttribute('division', 'string', 'Identifies the name of a division.'),
    defineAttribute('department', 'string', 'Identifies the name of a department.'),
    defineComplex(
      'manager',
      "The User's manager.  A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.",
      [
        // "REQUIRED." in the description but required false in §8.7.1: a manager may be sent
        // without `value` (e.g. to clear it), so the flag stays false.
        defineAttribute(
          'value',
          'string',
          "The id of the SCIM resource representing the User's manager.  REQUIRED.",
        ),
        defineAttribute(
          '$ref',
          'reference',
          "The URI of the SCIM resource representing the User's manager.  REQUIRED.",
          { referenceTypes: ['User'] },
        ),
        defineAttribute(
          'displayName',
          'string',
          "The displayName of the User's manager. OPTIONAL and READ-ONLY.",
          {
            mutability: 'readOnly',
          },
        ),
      ],
    ),
  ]),
});
