/**
 * The per-tenant OAuth 2.0 token endpoint (client credentials, RFC 6749 §4.4) as Alibaba IDaaS and
 * Entra ID call it, its errors (§5.2), the JWKS and metadata, key rotation, and the SCIM calls the
 * tokens make possible.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

for (const dialect of dialects) {
  describe(`OAuth token endpoint (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    let tokenUrl: string;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage, {
        env: { LOCKSTEP_TOKEN_RATE_PER_APP: '1000', LOCKSTEP_TOKEN_RATE_PER_IP: '1000' },
      });
      tokenUrl = `/t/${service.tenantId}/oauth2/token`;
    });
    after(async () => {
      await service.close();
      await storage.close();
    });
    const post = (url: string, options: { body?: string; headers?: Record<string, string> } = {}) =>
      service.request('POST', url, {
        anonymous: true,
        ...(options.body !== undefined ? { rawBody: options.body } : {}),
        headers: { ...FORM, ...options.headers },
      });
    const createApp = async (settings: Record<string, unknown> = {}) => {
      const response = await service.request('POST', `/api/tenants/${service.tenantId}/apps`, {
        body: { name: 'client', ...settings },
        headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' },
      });
      assert.equal(response.status, 201, response.text);
      return { id: response.body.app.clientId as string, secret: response.body.secret.value as string };
    };
    const scimWithToken = (token: string, method = 'GET', body?: unknown) =>
      service.request(method, 'Users', {
        headers: { authorization: `Bearer ${token}` },
        ...(body !== undefined ? { body } : {}),
      });

    // REFERENCE.md §4: IDaaS puts grant_type and client_id in the query string and authenticates with Basic.
    it('answers an IDaaS-shaped request (query parameters + HTTP Basic) with a token that works for SCIM', async () => {
      const client = await createApp({ scopes: ['/acs/scim'] });
      const response = await service.request(
        'POST',
        `${tokenUrl}?grant_type=client_credentials&client_id=${client.id}`,
        {
          anonymous: true,
          headers: { authorization: basic(client.id, client.secret) },
        },
      );
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.token_type, 'Bearer');
      assert.equal(response.body.expires_in, 3600);
      assert.equal(response.body.scope, 'scim');
      assert.equal(response.headers['cache-control'], 'no-store');
      const created = await scimWithToken(response.body.access_token, 'POST', {
        schemas: [USER_SCHEMA],
        userName: 'idaas@example.com',
      });
      assert.equal(created.status, 201, created.text);
      assert.equal((await scimWithToken(response.body.access_token)).status, 200);
    });

    it('accepts /acs/scim as the requested scope and echoes it', async () => {
      const client = await createApp();
      const response = await post(tokenUrl, {
        body: `grant_type=client_credentials&scope=${encodeURIComponent('/acs/scim')}`,
        headers: { authorization: basic(client.id, client.secret) },
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.scope, '/acs/scim');
      assert.equal(
        (
          await scimWithToken(response.body.access_token, 'POST', {
            schemas: [USER_SCHEMA],
            userName: 'acs@example.com',
          })
        ).status,
        201,
      );
    });

    it('answers an Entra-shaped request (client_secret_post in the form body)', async () => {
      const client = await createApp({ tokenTtlSeconds: 900 });
      const response = await post(tokenUrl, {
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
          scope: 'scim',
        }).toString(),
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.expires_in, 900);
      assert.equal((await scimWithToken(response.body.access_token)).status, 200);
    });

    it('refuses a wrong secret, an unknown client and a missing authentication with 401 invalid_client', async () => {
      const client = await createApp();
      for (const headers of [
        { authorization: basic(client.id, `${client.secret.slice(0, -2)}xx`) },
        { authorization: basic('lsc_00000000000000000000', client.secret) },
        {},
        { authorization: 'Basic !!!' },
      ] as Record<string, string>[]) {
        const response = await post(tokenUrl, { body: 'grant_type=client_credentials', headers });
        assert.equal(response.status, 401, response.text);
        assert.equal(response.body.error, 'invalid_client');
        assert.match(String(response.headers['www-authenticate']), /^Basic /);
        assert.equal(response.body.access_token, undefined);
      }
    });

    it('refuses a client of another tenant', async () => {
      await service.request('POST', '/api/tenants', {
        body: { id: 'other' },
        headers: { authorization: `Bearer ${service.adminToken}` },
      });
      const response = await post('/t/other/oauth2/token', {
        body: 'grant_type=client_credentials',
        headers: { authorization: basic(service.clientId, service.clientSecret) },
      });
      assert.equal(response.status, 401);
      assert.equal(response.body.error, 'invalid_client');
    });

    it('answers RFC 6749 §5.2 errors for bad grants, scopes and duplicated parameters', async () => {
      const client = await createApp({ scopes: ['scim:read'] });
      const auth = { authorization: basic(client.id, client.secret) };
      const cases: [string, number, string][] = [
        ['', 400, 'invalid_request'],
        ['grant_type=password&username=a&password=b', 400, 'unsupported_grant_type'],
        ['grant_type=client_credentials&scope=scim', 400, 'invalid_scope'],
        ['grant_type=client_credentials&scope=admin', 400, 'invalid_scope'],
        ['grant_type=client_credentials&grant_type=authorization_code', 400, 'invalid_request'],
      ];
      for (const [body, status, error] of cases) {
        const response = await post(tokenUrl, { body, headers: auth });
        assert.equal(response.status, status, `${body}: ${response.text}`);
        assert.equal(response.body.error, error, body);
        assert.equal(typeof response.body.error_description, 'string');
      }
      const both = await post(tokenUrl, {
        body: `grant_type=client_credentials&client_secret=${client.secret}`,
        headers: auth,
      });
      assert.equal(both.body.error, 'invalid_request');
      const read = await post(tokenUrl, {
        body: 'grant_type=client_credentials&scope=scim:read',
        headers: auth,
      });
      assert.equal(read.status, 200, read.text);
    });

    it('issues signed JWTs whose key is in the JWKS, and keeps old tokens valid across a key rotation', async () => {
      const before = await post(tokenUrl, {
        body: 'grant_type=client_credentials',
        headers: { authorization: basic(service.clientId, service.clientSecret) },
      });
      const oldKid = decodeProtectedHeader(before.body.access_token).kid;
      const jwks = await service.request('GET', `/t/${service.tenantId}/oauth2/jwks`, { anonymous: true });
      assert.equal(jwks.status, 200);
      assert.ok(
        jwks.body.keys.some((key: { kid: string; d?: string }) => key.kid === oldKid && key.d === undefined),
      );
      const rotated = await service.request('POST', '/api/signing-keys/rotate', {
        headers: { authorization: `Bearer ${service.adminToken}` },
      });
      assert.equal(rotated.status, 201, rotated.text);
      const after = await post(tokenUrl, {
        body: 'grant_type=client_credentials',
        headers: { authorization: basic(service.clientId, service.clientSecret) },
      });
      assert.equal(decodeProtectedHeader(after.body.access_token).kid, rotated.body.kid);
      assert.notEqual(rotated.body.kid, oldKid);
      assert.equal((await scimWithToken(before.body.access_token)).status, 200);
      assert.equal((await scimWithToken(after.body.access_token)).status, 200);
      const keys = (
        await service.request('GET', `/t/${service.tenantId}/oauth2/jwks`, { anonymous: true })
      ).body.keys.map((key: { kid: string }) => key.kid);
      assert.ok(keys.includes(oldKid) && keys.includes(rotated.body.kid));
      const metadata = await service.request(
        'GET',
        `/t/${service.tenantId}/.well-known/oauth-authorization-server`,
        { anonymous: true },
      );
      assert.match(metadata.body.token_endpoint, /\/t\/acme\/oauth2\/token$/);
      assert.deepEqual(metadata.body.grant_types_supported, ['client_credentials']);
    });

    it('stops tokens at once when their secret is deleted, their app disabled or their tenant disabled', async () => {
      const admin = { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' };
      const tokenOf = async (client: { id: string; secret: string }) =>
        (
          await post(tokenUrl, {
            body: 'grant_type=client_credentials',
            headers: { authorization: basic(client.id, client.secret) },
          })
        ).body.access_token as string;
      const a = await createApp();
      const tokenA = await tokenOf(a);
      const secrets = await service.request('GET', `/api/tenants/acme/apps/${a.id}/secrets`, {
        headers: admin,
      });
      assert.equal((await scimWithToken(tokenA)).status, 200);
      assert.equal(
        (
          await service.request(
            'DELETE',
            `/api/tenants/acme/apps/${a.id}/secrets/${secrets.body.items[0].id}`,
            { headers: admin },
          )
        ).status,
        204,
      );
      assert.equal((await scimWithToken(tokenA)).status, 401);

      const b = await createApp();
      const tokenB = await tokenOf(b);
      assert.equal(
        (
          await service.request('PATCH', `/api/tenants/acme/apps/${b.id}`, {
            headers: admin,
            body: { status: 'disabled' },
          })
        ).status,
        200,
      );
      assert.equal((await scimWithToken(tokenB)).status, 401);
      assert.equal(
        (
          await post(tokenUrl, {
            body: 'grant_type=client_credentials',
            headers: { authorization: basic(b.id, b.secret) },
          })
        ).status,
        401,
      );
      await service.request('PATCH', `/api/tenants/acme/apps/${b.id}`, {
        headers: admin,
        body: { status: 'enabled' },
      });
      assert.equal((await scimWithToken(tokenB)).status, 200);

      assert.equal(
        (
          await service.request('PATCH', '/api/tenants/acme', {
            headers: admin,
            body: { status: 'disabled' },
          })
        ).status,
        200,
      );
      assert.equal((await scimWithToken(tokenB)).status, 401);
      await service.request('PATCH', '/api/tenants/acme', { headers: admin, body: { status: 'active' } });
      assert.equal((await scimWithToken(tokenB)).status, 200);
    });

    it('narrows a token to the scopes its app still has', async () => {
      const admin = { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' };
      const client = await createApp();
      const token = (
        await post(tokenUrl, {
          body: 'grant_type=client_credentials',
          headers: { authorization: basic(client.id, client.secret) },
        })
      ).body.access_token;
      await service.request('PATCH', `/api/tenants/acme/apps/${client.id}`, {
        headers: admin,
        body: { scopes: ['scim:read'] },
      });
      assert.equal((await scimWithToken(token)).status, 200);
      const write = await scimWithToken(token, 'POST', {
        schemas: [USER_SCHEMA],
        userName: 'narrowed@example.com',
      });
      assert.equal(write.status, 403);
      assert.match(String(write.headers['www-authenticate']), /insufficient_scope/);
    });
  });
}

describe('OAuth token endpoint rate limits', () => {
  it('answers 429 with Retry-After once an app exceeds its per-minute budget', async () => {
    const [sqlite] = dialects;
    if (sqlite === undefined) return;
    const storage = await sqlite.open();
    const service = await createTestService(storage, {
      env: { LOCKSTEP_TOKEN_RATE_PER_APP: '3', LOCKSTEP_TOKEN_RATE_PER_IP: '1000' },
    });
    try {
      const statuses: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 4; i++) {
        const response = await service.request('POST', `/t/acme/oauth2/token`, {
          anonymous: true,
          rawBody: 'grant_type=client_credentials',
          headers: { ...FORM, authorization: basic(service.clientId, service.clientSecret) },
        });
        statuses.push(response.status);
        retryAfter = response.headers['retry-after'];
      }
      // The test service's own token request used the first unit of the budget.
      assert.deepEqual(statuses, [200, 200, 429, 429]);
      assert.ok(Number(retryAfter) >= 1);
    } finally {
      await service.close();
      await storage.close();
    }
  });
});
