import type { AttributeDefinition, SchemaDefinition } from '../schema/attribute-definition.ts';
import { SCHEMA_SCHEMA } from '../schema/schema-urns.ts';
import { buildLocation } from './build-location.ts';

export interface SchemaResource {
  readonly schemas: readonly [typeof SCHEMA_SCHEMA];
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
  readonly meta: { readonly resourceType: 'Schema'; readonly location: string };
}

const SERIALIZED = new WeakMap<SchemaDefinition, readonly AttributeDefinition[]>();

/**
 * A `/Schemas` entry: the schema's own attributes (not the common ones, RFC 7643 §3.1), every
 * characteristic present in the RFC's order, canonicalValues and referenceTypes only where defined.
 * @see RFC 7643 §7, RFC 7644 §4
 */
export function buildSchemaResource(schema: SchemaDefinition, baseUrl: string): SchemaResource {
  let attributes = SERIALIZED.get(schema);
  if (attributes === undefined) {
    attributes = Object.freeze(schema.attributes.map(serializeAttribute));
    SERIALIZED.set(schema, attributes);
  }
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes,
    meta: { resourceType: 'Schema', location: buildLocation(baseUrl, `/Schemas/${schema.id}`) },
  };
}

/** A fresh, frozen copy with a fixed key order, whatever extra fields a definition object carries. */
function serializeAttribute(a: AttributeDefinition): AttributeDefinition {
  return Object.freeze({
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    ...(a.canonicalValues === undefined ? {} : { canonicalValues: Object.freeze([...a.canonicalValues]) }),
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
    ...(a.referenceTypes === undefined ? {} : { referenceTypes: Object.freeze([...a.referenceTypes]) }),
    ...(a.subAttributes === undefined
      ? {}
      : { subAttributes: Object.freeze(a.subAttributes.map(serializeAttribute)) }),
  });
}
