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

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'RamRpcError';
    this.status = status;
    this.code = code;
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
