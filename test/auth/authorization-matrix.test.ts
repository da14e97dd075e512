/**
 * Issue 3's authorisation matrix: every route the server registers, walked with every kind of bad
 * credential — none, malformed, expired, badly signed, another tenant's, read-only on a write, a
 * disabled app's, a deleted secret's (and for the admin API: read-only, other-tenant and revoked admin
 * tokens, and SCIM tokens) — answers 401 or 403, reveals nothing and changes nothing. A route that
 * is neither in the matrix nor on the short public list fails the test, so new routes cannot slip by.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, issuerOf } from '../../src/auth/oauth/access-tokens.ts';
import { routesOf } from '../../src/http/route-inventory.ts';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { snapshotStore } from '../scim/store-snapshot.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

/** Routes anyone may call: health, the OpenAPI document and each tenant's OAuth endpoints. */
const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'HEAD /healthz',
  'GET /api/openapi.json',
  'HEAD /api/openapi.json',
  'POST /t/:tenant/oauth2/token',
  'GET /t/:tenant/oauth2/jwks',
  'HEAD /t/:tenant/oauth2/jwks',
  'GET /t/:tenant/.well-known/oauth-authorization-server',
  'HEAD /t/:tenant/.well-known/oauth-authorization-server',
]);
const SECRET_USER = 'matrix-secret-user@example.com';

interface Credential {
  readonly name: string;
  readonly header: string | undefined;
  /** Statuses allowed for a read and for a write. */
  readonly read: number;
  readonly write: number;
}

for (const dialect of dialects) {
  describe(`authorization matrix (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    let userId: string;
    let appId: string;
    let secretId: string;
    const scim: Credential[] = [];
    const admin: Credential[] = [];

    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
      const { auth } = service.application;
      const created = await service.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: SECRET_USER },
      });
      userId = created.body.id;
      const apps = await auth.apps.listApps('acme');
      appId = apps[0]?.id ?? '';
      secretId = apps[0]?.secrets[0]?.id ?? '';

      const tokenFor = async (tenant: string, settings: { scopes?: string[] } = {}) => {
        const { app, secret } = await auth.apps.createApp(tenant, { name: 'm', ...settings });
        const response = await service.request('POST', `/t/${tenant}/oauth2/token`, {
          anonymous: true,
          rawBody: `grant_type=client_credentials&client_id=${app.id}&client_secret=${secret.value}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(response.status, 200, response.text);
        return { app, secret, token: response.body.access_token as string };
      };
      await auth.tenants.createTenant('other');
      const other = await tokenFor('other');
      const reader = await tokenFor('acme', { scopes: ['scim:read'] });
      const disabled = await tokenFor('acme');
      await auth.apps.updateApp('acme', disabled.app.id, { status: 'disabled' });
      const deleted = await tokenFor('acme');
      await auth.apps.deleteSecret('acme', deleted.app.id, deleted.secret.id);
      const { key, kid } = await auth.keys.signingKey();
      const jwt = (claims: Record<string, unknown>, expiresAt: number) =>
        new SignJWT({ client_id: service.clientId, scope: 'scim', sid: secretId, ...claims })
          .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
          .setIssuer(issuerOf('acme'))
          .setAudience(ACCESS_TOKEN_AUDIENCE)
          .setSubject(service.clientId)
          .setIssuedAt(expiresAt - 3600)
          .setExpirationTime(expiresAt)
          .sign(key);
      const expired = await jwt({}, Math.floor(Date.now() / 1000) - 60);
      const valid = await jwt({}, Math.floor(Date.now() / 1000) + 600);
      const [h, p, s] = valid.split('.');
      const badSignature = `${h}.${p}.${(s ?? '').startsWith('A') ? 'B' : 'A'}${(s ?? '').slice(1)}`;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), scope: 'scim', client_id: 'lsc_forged' })).toString('base64url')}.${s}`;

      scim.push(
        { name: 'no token', header: undefined, read: 401, write: 401 },
        { name: 'malformed token', header: 'Bearer not a token', read: 401, write: 401 },
        {
          name: 'garbage bearer',
          header: `Bearer ${randomBytes(30).toString('base64url')}`,
          read: 401,
          write: 401,
        },
        {
          name: 'Basic instead of Bearer',
          header: `Basic ${Buffer.from(`${service.clientId}:${service.clientSecret}`).toString('base64')}`,
          read: 401,
          write: 401,
        },
        { name: 'expired token', header: `Bearer ${expired}`, read: 401, write: 401 },
        { name: 'bad signature', header: `Bearer ${badSignature}`, read: 401, write: 401 },
        { name: 'altered claims', header: `Bearer ${forged}`, read: 401, write: 401 },
        { name: 'token of another tenant', header: `Bearer ${other.token}`, read: 401, write: 401 },
        { name: 'scim:read on a write', header: `Bearer ${reader.token}`, read: 0, write: 403 },
        { name: 'disabled app', header: `Bearer ${disabled.token}`, read: 401, write: 401 },
        { name: 'deleted secret', header: `Bearer ${deleted.token}`, read: 401, write: 401 },
        {
          name: 'secret as bearer when the app does not allow it',
          header: `Bearer ${service.clientSecret}`,
          read: 401,
          write: 401,
        },
        { name: 'admin token', header: `Bearer ${service.adminToken}`, read: 401, write: 401 },
      );

      const readOnly = await auth.adminTokens.createAdminToken({ label: 'ro', scope: 'admin:read' });
      const otherAdmin = await auth.adminTokens.createAdminToken({
        label: 'other',
        scope: 'admin',
        tenantId: 'other',
      });
      const revoked = await auth.adminTokens.createAdminToken({ label: 'revoked', scope: 'admin' });
      await auth.adminTokens.deleteAdminToken(revoked.token.id);
      admin.push(
        { name: 'no token', header: undefined, read: 401, write: 401 },
        { name: 'malformed token', header: 'Bearer lsa_nonsense', read: 401, write: 401 },
        { name: 'revoked admin token', header: `Bearer ${revoked.value}`, read: 401, write: 401 },
        { name: 'SCIM access token', header: `Bearer ${service.token}`, read: 401, write: 401 },
        { name: 'app secret', header: `Bearer ${service.clientSecret}`, read: 401, write: 401 },
        { name: 'admin:read on a write', header: `Bearer ${readOnly.value}`, read: 0, write: 403 },
        { name: "another tenant's admin token", header: `Bearer ${otherAdmin.value}`, read: 403, write: 403 },
      );
    });
    after(async () => {
      await service.close();
      await storage.close();
    });

    const concrete = (url: string) =>
      url
        .replace(':tenant', 'acme')
        .replace(':app', appId)
        .replace(':secret', secretId)
        .replace(':id', url.startsWith('/api') ? 'x' : userId)
        .replace('*', 'anything');
    const bodyFor = (method: string, url: string): unknown => {
      if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return undefined;
      if (url.includes('/scim/v2/Bulk'))
        return {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [
            {
              method: 'POST',
              path: '/Users',
              bulkId: 'b',
              data: { schemas: [USER_SCHEMA], userName: 'bulk-intruder' },
            },
          ],
        };
      if (url.includes('/scim/v2/'))
        return {
          schemas: [USER_SCHEMA],
          userName: 'intruder',
          Operations: [{ op: 'replace', path: 'active', value: false }],
        };
      if (url === '/api/tenants') return { id: 'intruder' };
      if (url.endsWith('/apps')) return { name: 'intruder' };
      if (url === '/api/admin-tokens') return { label: 'intruder', scope: 'admin' };
      return { displayName: 'intruder', name: 'intruder', status: 'disabled' };
    };

    it('knows every route: each is public or in the matrix', () => {
      const routes = routesOf(service.app);
      assert.ok(routes.length > 30, `only ${routes.length} routes seen`);
      for (const route of routes) {
        const key = `${route.method} ${route.url}`;
        const covered =
          PUBLIC_ROUTES.has(key) ||
          route.url.startsWith('/t/:tenant/scim/v2') ||
          route.url.startsWith('/api/');
        assert.ok(covered, `route ${key} is neither public nor covered by the authorization matrix`);
      }
    });

    it('refuses every bad credential on every SCIM and admin route, reading and writing nothing', async () => {
      const routes = routesOf(service.app).filter(
        (route) => !PUBLIC_ROUTES.has(`${route.method} ${route.url}`),
      );
      const before = await snapshotStore(storage);
      let checked = 0;
      for (const route of routes) {
        if (route.method === 'OPTIONS') continue;
        const area = route.url.startsWith('/api/') ? admin : scim;
        const reading = route.method === 'GET' || route.method === 'HEAD' || route.url.endsWith('/.search');
        for (const credential of area) {
          // A tenant-restricted admin token may use the filtered listings: it must see only its tenant.
          const filtered =
            credential.name === "another tenant's admin token" && route.access === 'filtered' && reading;
          const expected = filtered ? 200 : reading ? credential.read : credential.write;
          if (expected === 0) continue;
          const url = concrete(route.url);
          const body = bodyFor(route.method, route.url);
          const response = await service.request(route.method, url, {
            anonymous: credential.header === undefined,
            ...(credential.header !== undefined ? { headers: { authorization: credential.header } } : {}),
            ...(body !== undefined ? { body } : {}),
          });
          const where = `${route.method} ${url} with ${credential.name}`;
          assert.equal(response.status, expected, `${where}: ${response.status} ${response.text}`);
          assert.ok(
            !response.text.includes(SECRET_USER) && !response.text.includes(userId),
            `${where} revealed data`,
          );
          if (filtered) assert.ok(!response.text.includes('"acme"'), `${where} revealed another tenant`);
          if (expected === 401)
            assert.ok(response.headers['www-authenticate'] !== undefined, `${where}: no WWW-Authenticate`);
          if (area === scim && route.method !== 'HEAD') {
            assert.deepEqual(
              response.body?.schemas,
              ['urn:ietf:params:scim:api:messages:2.0:Error'],
              `${where}: not a SCIM error`,
            );
            assert.equal(response.body?.status, String(expected));
          }
          checked++;
        }
      }
      assert.ok(checked > 200, `only ${checked} combinations checked`);
      assert.equal(await snapshotStore(storage), before, 'a refused request changed the store');
    });

    it('still serves the same routes with good credentials (the matrix is not refusing everything)', async () => {
      assert.equal((await service.request('GET', `Users/${userId}`)).status, 200);
      assert.equal(
        (
          await service.request('GET', '/api/tenants', {
            headers: { authorization: `Bearer ${service.adminToken}` },
          })
        ).status,
        200,
      );
    });
  });
}
