import type { HttpAnswer } from './exchange-http.ts';
import { parseRetryAfter } from './parse-retry-after.ts';
import { createScimClientError, errorKindForStatus, type ScimClientError } from './scim-client-error.ts';

export type ScimResponse =
  | { ok: true; status: number; body: unknown; headers: Headers }
  | { ok: false; error: ScimClientError };

const MAX_DETAIL_LENGTH = 500;

/**
 * A SCIM API's answer as a result: 2xx with a JSON body (or none) is a success; a 2xx whose body is
 * not JSON is `bad_response`; anything else an error carrying the SCIM error's `scimType` and
 * `detail` (RFC 7644 §3.12) and, on 429 / 503, Retry-After.
 */
export function readScimAnswer(answer: HttpAnswer, request: string, now: number): ScimResponse {
  const { status, headers } = answer;
  if (status >= 200 && status < 300) {
    if (answer.text.trim() !== '' && answer.json === undefined) {
      return {
        ok: false,
        error: createScimClientError({
          kind: 'bad_response',
          phase: 'scim',
          status,
          request,
          message: `${request}: answered ${status} with a body that is not JSON`,
        }),
      };
    }
    return { ok: true, status, body: answer.json, headers };
  }
  const scim = readScimErrorBody(answer.json);
  const kind = status >= 300 && status < 400 ? 'bad_response' : errorKindForStatus(status);
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfter(headers.get('retry-after'), now) : undefined;
  const location = kind === 'bad_response' ? headers.get('location') : null;
  const words =
    location !== null
      ? `a redirect to ${location.split('?')[0]}: use that URL`
      : [scim.scimType, scim.detail].filter((part) => part !== undefined).join(': ');
  return {
    ok: false,
    error: createScimClientError({
      kind,
      phase: 'scim',
      status,
      scimType: scim.scimType,
      detail: scim.detail,
      retryAfterMs,
      request,
      message: `${request}: answered ${status}${words === '' ? '' : ` (${words})`}`,
    }),
  };
}

/** `scimType` and `detail` of an RFC 7644 §3.12 error body; both undefined for any other body. */
export function readScimErrorBody(body: unknown): {
  scimType: string | undefined;
  detail: string | undefined;
} {
  if (typeof body !== 'object' || body === null) return { scimType: undefined, detail: undefined };
  const { scimType, detail } = body as { scimType?: unknown; detail?: unknown };
  return {
    scimType: typeof scimType === 'string' && scimType !== '' ? scimType : undefined,
    detail: typeof detail === 'string' && detail !== '' ? detail.slice(0, MAX_DETAIL_LENGTH) : undefined,
  };
}
