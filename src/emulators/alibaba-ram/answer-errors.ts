import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { CONTROL_PREFIX, sendControlError } from './control-routes.ts';
import type { Fault, FaultSurface } from './fault-injector.ts';
import { RamRpcError, sendRpcError } from './ram-rpc-error.ts';
import { RamScimError, sendScimError } from './scim-error-reply.ts';
import { sendOauthError, TOKEN_PATH } from './token-route.ts';

const INTERNAL_ERROR = 'InternalError: The request processing has failed due to some unknown error.';

/** Which face of RAM a request is for; undefined for the control API, which never misbehaves. */
export function surfaceOf(request: FastifyRequest): FaultSurface | undefined {
  const path = request.url.split('?')[0] ?? '';
  if (path.startsWith(CONTROL_PREFIX)) return undefined;
  if (path === '/') return 'rpc';
  return path === TOKEN_PATH || path === `${TOKEN_PATH}/` ? 'token' : 'scim';
}

/**
 * An injected failure, worded like Alibaba Cloud's common errors (Throttling, InternalError,
 * ServiceUnavailable); the bodies are the surface's usual error shape.
 */
export function sendFault(reply: FastifyReply, surface: FaultSurface, fault: Fault): FastifyReply {
  const status = fault.status ?? 500;
  const retryAfter = fault.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined && status !== 500) reply.header('retry-after', String(retryAfter));
  const message =
    status === 429
      ? 'Throttling: Request was denied due to request throttling.'
      : status === 503
        ? 'ServiceUnavailable: The request has failed due to a temporary failure of the server.'
        : INTERNAL_ERROR;
  if (surface === 'rpc') {
    // Throttling.User is RAM's flow-control code; the SDK turns any "Throttling" code into ThrottlingError.
    const [code, text] =
      status === 429
        ? ['Throttling.User', 'Request was denied due to user flow control.']
        : status === 503
          ? ['ServiceUnavailable', 'The request has failed due to a temporary failure of the server.']
          : ['InternalError', 'The request processing has failed due to some unknown error.'];
    return sendRpcError(reply, new RamRpcError(status, code, text));
  }
  if (surface === 'token') {
    return sendOauthError(
      reply,
      status,
      status === 500 ? 'server_error' : 'temporarily_unavailable',
      message,
    );
  }
  return sendScimError(reply, new RamScimError(status, message));
}

/**
 * Every failure in the surface's own shape: SCIM errors under RAM's SCIM API, RFC 6749 errors at the
 * token endpoint, `{error, message}` on the control API (where a bad seed is 400). Nothing unexpected
 * leaks details: it is a 500 worded like Alibaba Cloud's InternalError.
 */
export function answerError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const surface = surfaceOf(request);
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (surface === undefined) {
    if (error instanceof ZodError)
      return sendControlError(
        reply,
        400,
        'invalid_request',
        error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
      );
    if (error instanceof RangeError) return sendControlError(reply, 400, 'invalid_request', error.message);
    return sendControlError(reply, status >= 400 ? status : 500, 'error', error.message);
  }
  if (surface === 'rpc') {
    if (error instanceof RamRpcError) return sendRpcError(reply, error);
    return sendRpcError(
      reply,
      new RamRpcError(500, 'InternalError', 'The request processing has failed due to some unknown error.'),
    );
  }
  if (surface === 'token') {
    if (status >= 400 && status < 500) return sendOauthError(reply, 400, 'invalid_request', error.message);
    return sendOauthError(reply, 500, 'server_error', INTERNAL_ERROR);
  }
  if (error instanceof RamScimError) return sendScimError(reply, error);
  if ('code' in error && error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendScimError(
      reply,
      new RamScimError(415, 'Send the body as application/json or application/scim+json'),
    );
  }
  if (status >= 400 && status < 500) {
    return sendScimError(
      reply,
      new RamScimError(status, error.message, status === 400 ? 'invalidSyntax' : undefined),
    );
  }
  return sendScimError(reply, new RamScimError(500, INTERNAL_ERROR));
}
