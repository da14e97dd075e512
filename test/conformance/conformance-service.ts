/**
 * What every conformance suite shares: the dialects to run on, and one in-process server per dialect
 * whose requests look like the client's (JSON bodies, the client's own Content-Type).
 */
import { after, before } from 'node:test';
import type { Storage } from '../../src/storage/open-storage.ts';
import {
  createTestService,
  type RequestOptions,
  type TestResponse,
  type TestService,
} from '../support/test-service.ts';
import { type TestDialect, testDialects } from '../support/test-storage.ts';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The dialects of the test harness; says on stdout (TAP comment) when PostgreSQL is skipped. */
export async function conformanceDialects(): Promise<TestDialect[]> {
  const { dialects, skipped } = await testDialects();
  if (skipped !== undefined) console.log(`# ${skipped}`);
  return dialects;
}

export interface ConformanceClient {
  /** The service, available once the enclosing suite's `before` hook ran. */
  readonly service: TestService;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
}

/**
 * Registers `before` / `after` hooks in the enclosing `describe`: a fresh database of `dialect` and
 * a server with tenant `acme` over it, closed after the suite.
 */
export function useConformanceService(dialect: TestDialect): ConformanceClient {
  let storage: Storage | undefined;
  let service: TestService | undefined;
  before(async () => {
    storage = await dialect.open();
    service = await createTestService(storage);
  });
  after(async () => {
    await service?.close();
    await storage?.close();
  });
  const started = (): TestService => {
    if (service === undefined) throw new Error('the conformance service is used before its suite started');
    return service;
  };
  return {
    get service() {
      return started();
    },
    request: (method, path, options) => started().request(method, path, options),
  };
}

/** `GET <resource>?filter=…` with the filter URL-encoded, as every client sends it. */
export function filterPath(resource: string, filter: string, extra = ''): string {
  return `${resource}?filter=${encodeURIComponent(filter)}${extra}`;
}
