import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AuditQueryError } from '../../auth/audit/audit-repository.ts';
import { AuthError } from '../../auth/auth-error.ts';
import { ProvisioningError } from '../../provisioning/provisioning-error.ts';

const STATUS_OF: Readonly<Record<AuthError['code'], [number, string]>> = {
  invalid: [400, 'invalid_request'],
  not_found: [404, 'not_found'],
  exists: [409, 'conflict'],
  conflict: [409, 'conflict'],
  limit: [409, 'limit'],
};

export function sendAdminError(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error, message, ...extra });
}

/**
 * Every admin API failure as `{ error, message, fields? }`: validation problems name each field,
 * service errors keep their meaning (404, 409), and anything unexpected is a logged 500 without
 * internals.
 */
export function handleAdminError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = error.validation.map((issue) => ({
      path: [
        error.validationContext,
        ...String(issue.instancePath)
          .split('/')
          .filter((part) => part !== ''),
      ].join('.'),
      message: issue.message ?? 'invalid',
    }));
    return sendAdminError(
      reply,
      400,
      'invalid_request',
      `Invalid ${error.validationContext ?? 'request'}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
      { fields },
    );
  }
  if (error instanceof ProvisioningError) {
    const [status, code] =
      error.code === 'invalid'
        ? [400, 'invalid_request']
        : error.code === 'not_found'
          ? [404, 'not_found']
          : [409, 'conflict'];
    const problems = Array.isArray(error.details?.problems)
      ? (error.details.problems as { path: string; message: string; position?: number }[])
      : undefined;
    const fields =
      problems?.map((problem) => ({
        path: `body.config.${problem.path}`,
        message: problem.message,
        ...(problem.position !== undefined ? { position: problem.position } : {}),
      })) ??
      (typeof error.details?.field === 'string'
        ? [{ path: `body.${error.details.field}`, message: error.message }]
        : undefined);
    return sendAdminError(reply, status, code, error.message, fields !== undefined ? { fields } : {});
  }
  if (error instanceof AuthError) {
    const [status, code] = STATUS_OF[error.code];
    const field =
      typeof error.details?.field === 'string'
        ? [{ path: `body.${error.details.field}`, message: error.message }]
        : undefined;
    return sendAdminError(reply, status, code, error.message, {
      ...(field !== undefined ? { fields: field } : {}),
      ...(Array.isArray(error.details?.references) ? { references: error.details.references } : {}),
    });
  }
  if (error instanceof AuditQueryError) return sendAdminError(reply, 400, 'invalid_request', error.message);
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    const message =
      status === 415
        ? 'Send the body as application/json'
        : status === 413
          ? 'The request body is too large'
          : error.message;
    return sendAdminError(
      reply,
      status,
      status === 415 || status === 413 || status === 400 ? 'invalid_request' : 'error',
      message,
    );
  }
  request.log.error({ err: error }, 'Unhandled error in admin request');
  return sendAdminError(reply, 500, 'server_error', `Internal server error (request ${request.id})`);
}
