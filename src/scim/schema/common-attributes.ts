import type { AttributeDefinition } from './attribute-definition.ts';
import { defineAttribute, defineComplex } from './define-attribute.ts';

/**
 * `id`, `externalId` and `meta`: carried by every resource, defined by no schema, so `/Schemas`
 * does not list them. RFC 7643 §3.1 gives their characteristics in prose; where it is silent
 * (id's uniqueness, meta's returned) this states what the server does.
 * @see RFC 7643 §3.1
 */
export const ID_ATTRIBUTE = defineAttribute(
  'id',
  'string',
  'A unique identifier for a SCIM resource as defined by the service provider.',
  { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' },
);

export const EXTERNAL_ID_ATTRIBUTE = defineAttribute(
  'externalId',
  'string',
  'A String that is an identifier for the resource as defined by the provisioning client.',
  { caseExact: true },
);

/** Every `meta` sub-attribute is assigned by the server and ignored when a client sends it. */
export const META_ATTRIBUTE = defineComplex(
  'meta',
  'A complex attribute containing resource metadata.',
  [
    defineAttribute('resourceType', 'string', 'The name of the resource type of the resource.', {
      caseExact: true,
      mutability: 'readOnly',
    }),
    defineAttribute(
      'created',
      'dateTime',
      'The "DateTime" that the resource was added to the service provider.',
      {
        mutability: 'readOnly',
      },
    ),
    defineAttribute(
      'lastModified',
      'dateTime',
      'The most recent DateTime that the details of this resource were updated at the service provider.',
      { mutability: 'readOnly' },
    ),
    defineAttribute('location', 'reference', 'The URI of the resource being returned.', {
      mutability: 'readOnly',
      referenceTypes: ['uri'],
    }),
    defineAttribute('version', 'string', 'The version of the resource being returned.', {
      caseExact: true,
      mutability: 'readOnly',
    }),
  ],
  { mutability: 'readOnly' },
);

export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = Object.freeze([
  ID_ATTRIBUTE,
  EXTERNAL_ID_ATTRIBUTE,
  META_ATTRIBUTE,
]);

/**
 * `schemas` as a filterable attribute, so `filter=schemas eq "urn:…:enterprise:2.0:User"` (RFC 7644
 * §3.4.2.2's own example) works: the URNs of the core schema and of each extension holding data.
 * Only filters resolve it; bodies carry `schemas` as message structure, not as an attribute.
 * @see RFC 7643 §3
 */
export const SCHEMAS_ATTRIBUTE = defineAttribute(
  'schemas',
  'reference',
  'The schema URIs the resource conforms to.',
  {
    multiValued: true,
    mutability: 'readOnly',
    returned: 'always',
    referenceTypes: ['uri'],
  },
);
