import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScimClient } from '../scim-client/create-scim-client.ts';
import type { ScimResponse } from '../scim-client/read-scim-answer.ts';
import { createScimClientError } from '../scim-client/scim-client-error.ts';
import { createInBulk } from './bulk-create.ts';

const BASE = 'https://target.example.test/scim/v2';
const OPTIONS = {};

/** A client that answers each `POST /Bulk` with `answer(body)` and keeps what was sent. */
function fakeClient(answer: (body: { Operations: { bulkId: string; data: unknown }[] }) => ScimResponse) {
  const sent: { Operations: { bulkId: string; method: string; path: string; data: unknown }[] }[] = [];
  const client: ScimClient = {
    baseUrl: BASE,
    async request(method, path, body) {
      assert.equal(method, 'POST');
      assert.equal(path, '/Bulk');
      sent.push(body as (typeof sent)[number]);
      return answer(body as never);
    },
    authenticate: async () => ({ ok: true }),
  };
  return { client, sent };
}

const created = (body: { Operations: { bulkId: string }[] }): ScimResponse => ({
  ok: true,
  status: 200,
  headers: new Headers(),
  body: {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
    // Any order: results are matched by bulkId.
    Operations: [...body.Operations].reverse().map((operation) => ({
      method: 'POST',
      bulkId: operation.bulkId,
      status: '201',
      location: `${BASE}/Users/id-${operation.bulkId}`,
    })),
  },
});

const documents = (count: number) => Array.from({ length: count }, (_, index) => ({ userName: `u${index}` }));

describe('createInBulk', () => {
  it('sends POST operations in batches of maxOperations and reads each id from its location', async () => {
    const { client, sent } = fakeClient(created);
    const outcome = await createInBulk(
      client,
      { supported: true, maxOperations: 2, maxPayloadSize: 1_000_000 },
      'Users',
      documents(5),
      OPTIONS,
    );
    assert.deepEqual(
      sent.map((body) => body.Operations.length),
      [2, 2, 1],
    );
    assert.equal(sent[0]?.Operations[0]?.method, 'POST');
    assert.equal(sent[0]?.Operations[0]?.path, '/Users');
    assert.equal(outcome.unanswered, undefined);
    assert.deepEqual(
      outcome.results.map((result) => (result.ok ? result.value.id : 'error')),
      ['id-b0', 'id-b1', 'id-b0', 'id-b1', 'id-b0'],
    );
  });

  it('keeps each batch under maxPayloadSize', async () => {
    const { client, sent } = fakeClient(created);
    const big = Array.from({ length: 4 }, (_, index) => ({ userName: `u${index}`, note: 'x'.repeat(400) }));
    await createInBulk(
      client,
      { supported: true, maxOperations: 100, maxPayloadSize: 1_300 },
      'Users',
      big,
      OPTIONS,
    );
    assert.deepEqual(
      sent.map((body) => body.Operations.length),
      [2, 2],
    );
  });

  it('gives each refused operation the target error, with its status and scimType', async () => {
    const { client } = fakeClient((body) => ({
      ok: true,
      status: 200,
      headers: new Headers(),
      body: {
        Operations: body.Operations.map((operation, index) =>
          index === 1
            ? {
                method: 'POST',
                bulkId: operation.bulkId,
                status: '409',
                response: { scimType: 'uniqueness', detail: 'userName taken', status: '409' },
              }
            : {
                method: 'POST',
                bulkId: operation.bulkId,
                status: { code: 201 },
                location: `${BASE}/Users/a%2Fb`,
              },
        ),
      },
    }));
    const outcome = await createInBulk(
      client,
      { supported: true, maxOperations: 10, maxPayloadSize: 1_000_000 },
      'Users',
      documents(2),
      OPTIONS,
    );
    const [first, second] = outcome.results;
    assert.ok(first?.ok);
    assert.equal(first.value.id, 'a/b', 'the last segment of the location, decoded');
    assert.ok(second !== undefined && !second.ok);
    assert.equal(second.error.kind, 'conflict');
    assert.equal(second.error.status, 409);
    assert.equal(second.error.scimType, 'uniqueness');
  });

  it('stops at the first batch without an answer and says why', async () => {
    let calls = 0;
    const reset = createScimClientError({
      kind: 'unreachable',
      phase: 'scim',
      request: 'POST /Bulk',
      message: 'reset',
    });
    const { client } = fakeClient((body) => (++calls === 2 ? { ok: false, error: reset } : created(body)));
    const outcome = await createInBulk(
      client,
      { supported: true, maxOperations: 2, maxPayloadSize: 1_000_000 },
      'Users',
      documents(5),
      OPTIONS,
    );
    assert.equal(calls, 2);
    assert.equal(outcome.results.length, 2);
    assert.equal(outcome.unanswered, reset);
  });

  it('calls a BulkResponse without Operations a bad response, and a result without location one too', async () => {
    const { client } = fakeClient(() => ({ ok: true, status: 200, headers: new Headers(), body: {} }));
    const outcome = await createInBulk(
      client,
      { supported: true, maxOperations: 10, maxPayloadSize: 1_000_000 },
      'Users',
      documents(1),
      OPTIONS,
    );
    assert.equal(outcome.unanswered?.kind, 'bad_response');
    const missing = fakeClient((body) => ({
      ok: true,
      status: 200,
      headers: new Headers(),
      body: { Operations: body.Operations.map((operation) => ({ bulkId: operation.bulkId, status: '201' })) },
    }));
    const without = await createInBulk(
      missing.client,
      { supported: true, maxOperations: 10, maxPayloadSize: 1_000_000 },
      'Users',
      documents(1),
      OPTIONS,
    );
    assert.equal(without.results[0]?.ok, false);
  });
});
