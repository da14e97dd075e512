import type { FastifyReply } from 'fastify';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export type RamScimType = 'uniqueness' | 'invalidFilter' | 'invalidSyntax' | 'invalidValue' | 'mutability';

/**
 * A refusal as RAM's SCIM endpoint answers it. The RAM guide shows no error body: the emulator
 * answers RFC 7644 §3.12 errors (`status` a string, `scimType` where the RFC defines one), *unverified*.
 * A RAM error code, when there is one (`DeleteConflict.User.AccessKey`), leads the detail so clients
 * can act on it: `"<Code>: <message>"`.
 */
export class RamScimError extends Error {
  readonly status: number;
  readonly scimType: RamScimType | undefined;

  constructor(status: number, detail: string, scimType?: RamScimType) {
    super(detail);
    this.name = 'RamScimError';
    this.status = status;
    this.scimType = scimType;
  }

  toBody(): { schemas: string[]; status: string; scimType?: RamScimType; detail: string } {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType !== undefined ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

export function sendScimError(reply: FastifyReply, error: RamScimError): FastifyReply {
  return reply.code(error.status).type(SCIM_CONTENT_TYPE).send(error.toBody());
}

export function sendScimJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type(SCIM_CONTENT_TYPE).send(body);
}
