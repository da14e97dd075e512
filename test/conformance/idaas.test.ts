/**
 * Alibaba Cloud IDaaS (EIAM) pushing accounts over SCIM with a bearer token. IDaaS converts every
 * account field value to lower case before it syncs, so its lookups meet users that other clients
 * created in mixed case; userName is unique and matched case-insensitively, externalId is caseExact.
 * Sources: Alibaba Cloud, "Synchronize IDaaS accounts to an application by using SCIM" (Limits:
 * "Account field values are converted to lowercase before sync"); "Use SCIM to synchronize accounts
 * to RAM" (default mapping externalId ← user id, userName ← username, displayName); EIAM
 * SetApplicationProvisioningConfig (authentication `bearer_token`); RAM filters use `eq` and `and`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conformanceDialects,
  ERROR_SCHEMA,
  filterPath,
  USER_SCHEMA,
  useConformanceService,
} from './conformance-service.ts';

/** What IDaaS sends for its user "Bob.Lee": every value lower-cased. */
const IDAAS_CREATE_BODY = {
  schemas: [USER_SCHEMA],
  userName: 'bob.lee@example.com',
  displayName: 'bob lee',
  externalId: 'user_6wdbhmbe6qf3bqw4kkqcbaw6bu',
  emails: [{ value: 'bob.lee@example.com', primary: true, type: 'work' }],
};

for (const dialect of await conformanceDialects()) {
  describe(`Alibaba Cloud IDaaS (${dialect.name})`, () => {
    const client = useConformanceService(dialect);
    let aliceId = '';
    let bobId = '';

    it('the bearer token authenticates; a request without it gets 401 with a SCIM error', async () => {
      const withToken = await client.request('GET', 'Users', {
        headers: { authorization: `Bearer ${client.service.token}` },
      });
      assert.equal(withToken.status, 200);
      const without = await client.request('GET', 'Users', { anonymous: true });
      assert.equal(without.status, 401);
      assert.deepEqual(without.body.schemas, [ERROR_SCHEMA]);
      assert.match(String(without.headers['www-authenticate']), /^Bearer /);
    });

    it('a user created as Alice.Smith@Example.com is found by userName eq "alice.smith@example.com"', async () => {
      const created = await client.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: 'Alice.Smith@Example.com', displayName: 'Alice Smith' },
      });
      assert.equal(created.status, 201, created.text);
      aliceId = created.body.id;
      const response = await client.request(
        'GET',
        filterPath('Users', 'userName eq "alice.smith@example.com"'),
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.totalResults, 1);
      assert.equal(response.body.Resources[0].id, aliceId);
      // Stored as the first client sent it.
      assert.equal(response.body.Resources[0].userName, 'Alice.Smith@Example.com');
    });

    it('IDaaS creating the same account lower-cased gets 409 uniqueness, not a duplicate', async () => {
      const response = await client.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: 'alice.smith@example.com', displayName: 'alice smith' },
      });
      assert.equal(response.status, 409);
      assert.equal(response.body.scimType, 'uniqueness');
    });

    it('IDaaS create body (userName, displayName, externalId, emails) → 201, values kept as sent', async () => {
      const response = await client.request('POST', 'Users', { body: IDAAS_CREATE_BODY });
      assert.equal(response.status, 201, response.text);
      const { id, meta: _meta, ...rest } = response.body;
      assert.deepEqual(rest, IDAAS_CREATE_BODY);
      bobId = id;
    });

    it('IDaaS lookups with eq and and on id, userName and externalId', async () => {
      for (const filter of [
        'externalId eq "user_6wdbhmbe6qf3bqw4kkqcbaw6bu"',
        'userName eq "bob.lee@example.com"',
        `id eq "${bobId}" and userName eq "bob.lee@example.com"`,
        'userName eq "bob.lee@example.com" and externalId eq "user_6wdbhmbe6qf3bqw4kkqcbaw6bu"',
      ]) {
        const response = await client.request('GET', filterPath('Users', filter));
        assert.equal(response.status, 200, `${filter}: ${response.text}`);
        assert.deepEqual(
          response.body.Resources.map((user: { id: string }) => user.id),
          [bobId],
          filter,
        );
      }
      // externalId is caseExact (RFC 7643 §3.1): another case is another value.
      const upper = await client.request(
        'GET',
        filterPath('Users', 'externalId eq "USER_6WDBHMBE6QF3BQW4KKQCBAW6BU"'),
      );
      assert.equal(upper.body.totalResults, 0);
    });

    it('IDaaS updates with PUT (lower-cased displayName) → 200', async () => {
      const response = await client.request('PUT', `Users/${bobId}`, {
        body: { ...IDAAS_CREATE_BODY, displayName: 'bob lee (finance)' },
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.displayName, 'bob lee (finance)');
      assert.equal(response.body.externalId, 'user_6wdbhmbe6qf3bqw4kkqcbaw6bu');
    });

    it('IDaaS deletes the account → 204, then the lookup finds nothing', async () => {
      assert.equal((await client.request('DELETE', `Users/${bobId}`)).status, 204);
      const response = await client.request('GET', filterPath('Users', 'userName eq "bob.lee@example.com"'));
      assert.equal(response.body.totalResults, 0);
    });
  });
}
