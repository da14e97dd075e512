import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ScimError } from '../../scim/errors.ts';
import { sendScimError } from './scim-reply.ts';

/**
 * Every failure under the SCIM prefix leaves as an RFC 7644 §3.12 error. Client mistakes detected by
 * the framework (unparsable JSON, oversized body, wrong media type) keep their 4xx status; anything
 * unexpected is logged with its request id and answered 500 without internals.
 */
export function handleScimError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof ScimError) return sendScimError(reply, error);
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  const code = 'code' in error ? String(error.code) : '';
  if (status === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit;
    const detail = request.routeOptions.url?.endsWith('/Bulk')
      ? `The size of the bulk operation exceeds the maxPayloadSize (${limit})`
      : `The request body is larger than this server accepts (${limit} bytes)`;
    return sendScimError(reply, new ScimError(413, undefined, detail));
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendScimError(
      reply,
      new ScimError(415, undefined, 'Send the body as application/scim+json (or application/json)'),
    );
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return sendScimError(reply, new ScimError(400, 'invalidSyntax', 'The request body is empty'));
  }
  if (status >= 400 && status < 500) {
    const detail = status === 400 ? `The request is malformed: ${error.message}` : error.message;
    return sendScimError(reply, new ScimError(status, status === 400 ? 'invalidSyntax' : undefined, detail));
  }
  request.log.error({ err: error }, 'Unhandled error in SCIM request');
  return sendScimError(reply, new ScimError(500, undefined, `Internal server error (request ${request.id})`));
}

const SCIM_URL = /^\/t\/[^/?]+\/scim\/v2(?:[/?]|$)/;

/**
 * Errors Fastify meets before routing (a path that is not valid percent-encoding: 400; a path
 * segment over the router's length limit: 414). Under the SCIM prefix they too answer as RFC 7644
 * §3.12 errors; elsewhere as the server's plain JSON errors.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
  const detail =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The request path is not valid: it has a malformed percent-encoding'
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'The request path has a segment that is too long'
        : error.message;
  if (SCIM_URL.test(request.url)) return sendScimError(reply, new ScimError(status, undefined, detail));
  return reply.code(status).send({ error: 'bad_request', message: detail });
}
