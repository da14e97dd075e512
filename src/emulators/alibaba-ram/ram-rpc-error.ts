import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';

export const RPC_HOST_ID = 'ram.aliyuncs.com';

/**
 * A refusal as RAM's RPC API answers it: the HTTP status and a JSON body
 * `{"RequestId","HostId","Code","Message","Recommend"}` (RAM API reference, error examples). The SDK
 * reads `Code` and `Message` from it and throws `ClientError` (4xx), `ServerError` (5xx) or, for a
 * code containing "Throttling", `ThrottlingError`.
 */
export class RamRpcError extends Error {
  readonly status: number;
  readonly code: string;
  /** More members of the answer's body, e.g. `AccessDeniedDetail` on a `NoPermission`. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'RamRpcError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function sendRpcError(reply: FastifyReply, error: RamRpcError): FastifyReply {
  const requestId = randomUUID().toUpperCase();
  return reply
    .code(error.status)
    .type('application/json;charset=utf-8')
    .send({
      RequestId: requestId,
      HostId: RPC_HOST_ID,
      Code: error.code,
      Message: error.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Ram&requestId=${requestId}`,
      ...error.details,
    });
}

export function sendRpcResult(reply: FastifyReply, body: Record<string, unknown>): FastifyReply {
  return reply
    .code(200)
    .type('application/json;charset=utf-8')
    .send({ RequestId: randomUUID().toUpperCase(), ...body });
}

/** `EntityNotExist.User` (404), the answer for every action naming a user RAM does not have. */
export function userNotFound(userName: string): RamRpcError {
  return new RamRpcError(404, 'EntityNotExist.User', `The user does not exist: ${userName}`);
}

/**
 * `NoPermission` (403) for an action the caller's AccessKey is not allowed, with the
 * `AccessDeniedDetail` Alibaba Cloud's OpenAPIs add to an access-denied answer (the SDK hands it on
 * as `accessDeniedDetail`). The detail's members follow the "How do I troubleshoot an access denied
 * error?" page and DecodeDiagnosticMessage; their exact values in RAM's answers are *unverified*.
 */
export function noPermission(
  action: string,
  caller: { accessKeyId: string; accountId: string },
): RamRpcError {
  const detail = {
    AuthAction: `ram:${action}`,
    AuthPrincipalType: 'SubUser',
    AuthPrincipalOwnerId: caller.accountId,
    AuthPrincipalDisplayName: caller.accessKeyId,
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    NoPermissionType: 'ImplicitDeny',
  };
  return new RamRpcError(
    403,
    'NoPermission',
    'You are not authorized to do this action. You should be authorized by RAM.',
    {
      AccessDeniedDetail: {
        ...detail,
        EncodedDiagnosticMessage: Buffer.from(JSON.stringify(detail)).toString('base64'),
      },
    },
  );
}
