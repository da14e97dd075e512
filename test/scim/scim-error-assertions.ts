import assert from 'node:assert/strict';
import { ERROR_SCHEMA, type ScimType } from '../../src/scim/errors.ts';
import type { TestResponse } from '../support/test-service.ts';

const SCIM_TYPES: readonly string[] = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
];

/** `application/scim+json`, the media type of every SCIM response body. @see RFC 7644 §3.1 */
export function isScimContentType(response: TestResponse): boolean {
  return /^application\/scim\+json(?:;|$)/.test(String(response.headers['content-type'] ?? ''));
}

/**
 * Why `response` is not an RFC 7644 §3.12 error, or undefined when it is one: SCIM media type,
 * `schemas` exactly the Error URN, `status` the HTTP status as a string, a non-empty `detail`, and
 * `scimType` absent or one of the RFC's keywords, with a status that uses them: 400 (Table 9), 409
 * (§3.3 pairs it with `uniqueness`; Bulk's unresolvable bulkId uses `invalidValue`), 403 for `sensitive`.
 */
export function describeScimErrorProblem(response: TestResponse): string | undefined {
  if (!isScimContentType(response)) return `content type is ${String(response.headers['content-type'])}`;
  const body = response.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null)
    return `body is not a JSON object: ${response.text.slice(0, 200)}`;
  if (JSON.stringify(body.schemas) !== JSON.stringify([ERROR_SCHEMA]))
    return `schemas is ${JSON.stringify(body.schemas)}`;
  if (body.status !== String(response.status))
    return `status member ${JSON.stringify(body.status)} for HTTP ${response.status}`;
  if (typeof body.detail !== 'string' || body.detail.trim() === '') return 'detail is missing';
  if (body.scimType !== undefined) {
    if (typeof body.scimType !== 'string' || !SCIM_TYPES.includes(body.scimType))
      return `unknown scimType ${String(body.scimType)}`;
    const allowed =
      response.status === 400 ||
      response.status === 409 ||
      (response.status === 403 && body.scimType === 'sensitive');
    if (!allowed) {
      return `scimType ${body.scimType} with status ${response.status}`;
    }
  }
  const extra = Object.keys(body).filter((key) => !['schemas', 'status', 'scimType', 'detail'].includes(key));
  if (extra.length > 0) return `unexpected members ${extra.join(', ')}`;
  return undefined;
}

export interface ExpectedScimError {
  readonly status: number;
  /** The keyword the RFC defines for this error; omitted where it defines none (then it must be absent). */
  readonly scimType?: ScimType;
  /** What the detail must say: it names the problem. */
  readonly detail: RegExp;
}

/** Asserts that `response` is exactly the expected SCIM error. */
export function assertScimError(response: TestResponse, expected: ExpectedScimError): void {
  assert.equal(response.status, expected.status, `status ${response.status}: ${response.text.slice(0, 300)}`);
  const problem = describeScimErrorProblem(response);
  assert.equal(problem, undefined, `not an RFC 7644 §3.12 error: ${problem}`);
  assert.equal(response.body.scimType, expected.scimType, `scimType: ${response.text.slice(0, 300)}`);
  assert.match(response.body.detail, expected.detail);
}
