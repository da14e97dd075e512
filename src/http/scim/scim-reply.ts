import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ScimContext, ScimResult } from '../../scim/endpoints/scim-result.ts';
import { ScimError } from '../../scim/errors.ts';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Sends a transport-neutral SCIM result with its ETag and Location headers. */
export function sendScimResult(reply: FastifyReply, result: ScimResult): FastifyReply {
  reply.code(result.status);
  if (result.etag !== undefined) reply.header('etag', result.etag);
  if (result.location !== undefined && result.status === 201) reply.header('location', result.location);
  if (result.body === undefined) return reply.send();
  return reply.type(SCIM_CONTENT_TYPE).send(JSON.stringify(result.body));
}

export function sendScimError(reply: FastifyReply, error: ScimError): FastifyReply {
  return reply.code(error.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(error.toBody()));
}

/** The tenant's SCIM base URL as clients reach it: the configured public URL, else the request's own origin. */
export function scimContextOf(
  request: FastifyRequest,
  tenantId: string,
  publicUrl: string | undefined,
): ScimContext {
  const origin = publicUrl ?? `${request.protocol}://${request.host}`;
  return { tenantId, baseUrl: `${origin}/t/${tenantId}/scim/v2` };
}

/** A single-valued header (the last one wins if a client repeats it). */
export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) return value.at(-1);
  return value;
}

export function requireTenantParameter(request: FastifyRequest): string {
  const tenant = (request.params as { tenant?: unknown }).tenant;
  if (typeof tenant !== 'string') throw new ScimError(404, undefined, 'Unknown tenant');
  return tenant;
}
