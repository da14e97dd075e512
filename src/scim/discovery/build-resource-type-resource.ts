import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { RESOURCE_TYPE_SCHEMA } from '../schema/schema-urns.ts';
import { buildLocation } from './build-location.ts';

export interface ResourceTypeResource {
  readonly schemas: readonly [typeof RESOURCE_TYPE_SCHEMA];
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  /** Always present, empty for a type without extensions (RFC 7643 §8.7.2 marks it required). */
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
  readonly meta: { readonly resourceType: 'ResourceType'; readonly location: string };
}

/**
 * A `/ResourceTypes` entry.
 * @see RFC 7643 §6, RFC 7644 §4
 */
export function buildResourceTypeResource(rt: ResourceTypeDefinition, baseUrl: string): ResourceTypeResource {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema,
    schemaExtensions: rt.schemaExtensions.map(({ schema, required }) => ({ schema, required })),
    meta: { resourceType: 'ResourceType', location: buildLocation(baseUrl, `/ResourceTypes/${rt.id}`) },
  };
}
