import type { ScimType } from '../../../src/scim/errors.ts';
import type { RequestOptions, TestResponse } from '../../support/test-service.ts';
import type { ExpectedScimError } from '../scim-error-assertions.ts';

/** What the bad-input cases refer to, created through the API before they run. */
export interface Fixture {
  /** `bjensen@example.com`, with a primary work e-mail and an enterprise employeeNumber. */
  readonly userId: string;
  readonly userEtag: string;
  /** `ÄNNE@example.com`: a userName whose case folding is not ASCII. */
  readonly otherUserId: string;
  /** `Admins`, with bjensen as member. */
  readonly groupId: string;
  readonly groupEtag: string;
  /** `Staff`, no members. */
  readonly otherGroupId: string;
  /** A valid token of another tenant. */
  readonly foreignToken: string;
  /** A user of that other tenant. */
  readonly foreignUserId: string;
}

export interface CaseRequest {
  readonly method: string;
  readonly path: string;
  readonly options?: RequestOptions;
}

export interface BadInputCase {
  readonly name: string;
  /** Send to the tenant with small limits (bodies 2 KiB; Bulk 4 KiB and 2 operations). */
  readonly limited?: boolean;
  request(fixture: Fixture): CaseRequest;
  readonly expected: ExpectedScimError;
  /** Further checks on the response (headers). */
  check?(response: TestResponse): void;
}

/** A request with a JSON body sent as `application/scim+json`. */
export function json(
  method: string,
  path: string,
  body: unknown,
  headers?: Record<string, string>,
): CaseRequest {
  return { method, path, options: { body, ...(headers !== undefined ? { headers } : {}) } };
}

/** A request whose body is sent exactly as written; `contentType` null sends none. */
export function raw(
  method: string,
  path: string,
  text: string,
  contentType: string | null = 'application/scim+json',
): CaseRequest {
  return {
    method,
    path,
    options: { rawBody: text, headers: contentType === null ? {} : { 'content-type': contentType } },
  };
}

export function get(path: string, headers?: Record<string, string>): CaseRequest {
  return { method: 'GET', path, options: headers !== undefined ? { headers } : {} };
}

/** `Users?filter=…` with the filter percent-encoded. */
export function filterQuery(endpoint: 'Users' | 'Groups', filter: string, extra = ''): string {
  return `${endpoint}?filter=${encodeURIComponent(filter)}${extra}`;
}

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export function patch(path: string, operations: unknown[], headers?: Record<string, string>): CaseRequest {
  return json('PATCH', path, { schemas: [PATCH_OP], Operations: operations }, headers);
}

/** One case: `name`, the request, and the exact error expected. */
export function refuse(
  name: string,
  request: BadInputCase['request'],
  status: number,
  scimType: ScimType | undefined,
  detail: RegExp,
  more: Pick<BadInputCase, 'limited' | 'check'> = {},
): BadInputCase {
  return {
    name,
    request,
    expected: { status, ...(scimType !== undefined ? { scimType } : {}), detail },
    ...more,
  };
}
