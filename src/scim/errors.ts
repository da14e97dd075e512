/**
 * The one error type of the SCIM boundary. It renders exactly as RFC 7644 §3.12 asks:
 * `status` is a string, `scimType` only where the RFC defines one for the status.
 * @see RFC 7644 §3.12
 */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;

  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      detail: this.message,
    };
    if (this.scimType !== undefined) body.scimType = this.scimType;
    return body;
  }
}

/** 400 with a scimType: the common case for anything a client sent wrong. */
export function badRequest(scimType: ScimType, detail: string): ScimError {
  return new ScimError(400, scimType, detail);
}

export function notFound(detail: string): ScimError {
  return new ScimError(404, undefined, detail);
}
