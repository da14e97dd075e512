import type { ResourceTypeDefinition } from '../schema/attribute-definition.ts';

/** The tenant and URL a SCIM request runs in. */
export interface ScimContext {
  readonly tenantId: string;
  /** The tenant's SCIM base URL without a trailing slash, e.g. `https://host/t/acme/scim/v2`. */
  readonly baseUrl: string;
}

/** A transport-neutral SCIM response: the HTTP routes and `/Bulk` both send these. */
export interface ScimResult {
  readonly status: number;
  readonly body?: unknown;
  readonly etag?: string;
  readonly location?: string;
}

/** Whether a projection lets a top-level attribute through; used to skip loading derived values. */
export function projectionWants(
  resourceType: ResourceTypeDefinition,
  projection: { attributes?: readonly string[]; excludedAttributes?: readonly string[] },
  attribute: string,
): boolean {
  const prefix = `${resourceType.schema.toLowerCase()}:`;
  const topLevel = (entry: string) => {
    const lower = entry.toLowerCase();
    const unqualified = lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
    return { name: unqualified.split('.')[0], whole: !unqualified.includes('.') };
  };
  const wanted = attribute.toLowerCase();
  if (projection.attributes !== undefined && projection.attributes.length > 0) {
    return projection.attributes.some((entry) => topLevel(entry).name === wanted);
  }
  return !(projection.excludedAttributes ?? []).some((entry) => {
    const { name, whole } = topLevel(entry);
    return name === wanted && whole;
  });
}
