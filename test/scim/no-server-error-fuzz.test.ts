/**
 * Property: no client input makes the server fail. For random requests under the tenant's base
 * (methods, paths with real and random ids, `.search`, Bulk, filter-ish query strings, SCIM-shaped
 * and broken bodies, random media types and ETags): the status is never 5xx (save the deliberate
 * 501 of `/Me` and the root `/.search`), every error is an
 * RFC 7644 §3.12 error, every failed Bulk operation carries one, and a response that is not 2xx
 * left the store exactly as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { GROUP_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestResponse, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';
import { fuzzRequestArbitrary } from './fuzz-request-arbitrary.ts';
import { describeScimErrorProblem } from './scim-error-assertions.ts';
import type { FuzzRequest, FuzzTargets } from './scim-request-arbitraries.ts';
import { snapshotStore } from './store-snapshot.ts';

const RUNS = Number(process.env.LOCKSTEP_FUZZ_RUNS ?? 1500);
/** Keeps each dialect's run well under 30 s on a slow machine; fewer runs then, never a failure. */
const TIME_LIMIT_MS = 20_000;

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

async function createTargets(service: TestService): Promise<FuzzTargets> {
  const create = async (path: string, body: unknown) => {
    const response = await service.request('POST', path, { body });
    assert.equal(response.status, 201, response.text);
    return response;
  };
  const users = [
    await create('Users', {
      schemas: [USER_SCHEMA],
      userName: 'bjensen',
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    }),
    await create('Users', {
      schemas: [USER_SCHEMA],
      userName: 'jsmith',
      active: true,
      name: { givenName: 'John' },
    }),
  ];
  const inner = await create('Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: 'Inner',
    members: [{ value: users[0]?.body.id }],
  });
  const outer = await create('Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: 'Outer',
    members: [{ value: inner.body.id }],
  });
  const all = [...users, inner, outer];
  return {
    userIds: users.map((response) => response.body.id),
    groupIds: [inner.body.id, outer.body.id],
    etags: all.map((response) => String(response.headers.etag)),
  };
}

/** `/Me` and the root `/.search` answer 501 by design (decision 0006): the one 5xx a client may see. */
const NOT_IMPLEMENTED = /^(?:Me|\.search)(?:[/?]|$)/;

/** Why the response breaks the property, or undefined. */
function describeViolation(request: FuzzRequest, response: TestResponse): string | undefined {
  const deliberate = response.status === 501 && NOT_IMPLEMENTED.test(request.path);
  if (response.status >= 500 && !deliberate)
    return `status ${response.status}: ${response.text.slice(0, 300)}`;
  if (response.status >= 400) {
    const problem = describeScimErrorProblem(response);
    if (problem !== undefined) return `error ${response.status} is not a SCIM error: ${problem}`;
  }
  if (request.path.startsWith('Bulk') && request.method === 'POST' && response.status === 200) {
    for (const operation of response.body.Operations as { status: string; response?: unknown }[]) {
      if (Number(operation.status) >= 500) return `bulk operation status ${operation.status}`;
      if (Number(operation.status) >= 400) {
        const problem = describeScimErrorProblem({
          ...response,
          status: Number(operation.status),
          body: operation.response,
        });
        if (problem !== undefined) return `bulk operation error is not a SCIM error: ${problem}`;
      }
    }
  }
  return undefined;
}

for (const dialect of dialects) {
  describe(`no client input makes the server fail (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    let targets: FuzzTargets;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
      targets = await createTargets(service);
    });
    after(async () => {
      await service.close();
      await storage.close();
    });

    it('answers every random request below 500, errors as SCIM errors, and refusals change nothing', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fuzzRequestArbitrary(targets, service.token), async (request) => {
          runs++;
          const before = await snapshotStore(storage);
          const response = await service.request(request.method, request.path, {
            headers: request.headers,
            ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}),
          });
          const violation = describeViolation(request, response);
          assert.equal(violation, undefined, violation);
          if (response.status < 200 || response.status > 299) {
            assert.equal(
              await snapshotStore(storage),
              before,
              `HTTP ${response.status} changed the store: ${response.text.slice(0, 300)}`,
            );
          }
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
      );
      console.log(`# ${dialect.name}: ${runs} random requests`);
    });
  });
}
