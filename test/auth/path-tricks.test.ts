/**
 * Path tricks cannot reach a route without its checks (issue 3): percent-encoded and double-encoded
 * segments, `..`, trailing slashes, case changes and duplicate slashes. Without credentials nothing
 * but the public routes answers 2xx; with another tenant's credentials nothing of this tenant leaks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { snapshotStore } from '../scim/store-snapshot.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const SECRET_USER = 'path-trick-user@example.com';

/** Ways to spell "acme's Users" or "the admin API" that a naive router or proxy might treat differently. */
const TRICKS = [
  '/t/acme/scim/v2/Users',
  '/t/acme/scim/v2/Users/',
  '/t/acme/scim/v2/Users//',
  '//t//acme//scim//v2//Users',
  '/t/acme/scim/v2/%55sers',
  '/t/acme/scim/v2/%2555sers',
  '/t/%61cme/scim/v2/Users',
  '/t/%2561cme/scim/v2/Users',
  '/t/ACME/scim/v2/Users',
  '/T/acme/SCIM/V2/users',
  '/t/acme/scim/v2/users',
  '/t/acme/scim/v2/USERS',
  '/t/other/scim/v2/../../acme/scim/v2/Users',
  '/t/other/scim/v2/%2e%2e/%2e%2e/acme/scim/v2/Users',
  '/t/other/scim/v2/..%2f..%2facme/scim/v2/Users',
  '/t/acme%2fscim%2fv2/Users',
  '/t/acme/scim/v2/Users%2f..%2f..%2f..%2f..%2fapi%2ftenants',
  '/healthz/../t/acme/scim/v2/Users',
  '/api/openapi.json/../tenants',
  '/api/openapi.json/%2e%2e/tenants',
  '/api//tenants',
  '/api/tenants/',
  '/API/tenants',
  '/api/Tenants',
  '/api/%74enants',
  '/api/%2574enants',
  '/api/tenants/acme/apps/',
  '/api/tenants/%61cme/apps',
  '/api/./tenants',
  '/api/tenants/..%2f..%2ftenants',
  '/t/acme/oauth2/token/../../scim/v2/Users',
  '/t/acme/scim/v2/Users?filter=userName%20pr',
  '/t/acme/scim/v2/Users;jsessionid=1',
  '/t/acme/scim/v2/Users%00',
  '/t/acme/scim/v2/Users%20',
  '/t/acme/scim/v2/Users#fragment',
  '/t/acme/scim/v2/.search',
  '/t/acme/scim/v2/Users/.search',
];

for (const dialect of dialects) {
  describe(`path tricks (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    let otherToken: string;
    let otherAdmin: string;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
      await service.request('POST', 'Users', { body: { schemas: [USER_SCHEMA], userName: SECRET_USER } });
      const { auth } = service.application;
      await auth.tenants.createTenant('other');
      const { app, secret } = await auth.apps.createApp('other', { name: 'other' });
      const issued = await service.request('POST', '/t/other/oauth2/token', {
        anonymous: true,
        rawBody: `grant_type=client_credentials&client_id=${app.id}&client_secret=${secret.value}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      otherToken = issued.body.access_token;
      otherAdmin = (
        await auth.adminTokens.createAdminToken({ label: 'other', scope: 'admin', tenantId: 'other' })
      ).value;
    });
    after(async () => {
      await service.close();
      await storage.close();
    });

    for (const method of ['GET', 'POST', 'DELETE']) {
      it(`${method}: no trick reaches acme's data or the admin API without acme's credentials`, async () => {
        const before = await snapshotStore(storage);
        for (const path of TRICKS) {
          const body =
            method === 'POST' ? { schemas: [USER_SCHEMA], userName: 'intruder', id: 'intruder' } : undefined;
          for (const [who, header] of [
            ['nobody', undefined],
            ['another tenant', `Bearer ${otherToken}`],
            ["another tenant's admin", `Bearer ${otherAdmin}`],
          ] as const) {
            const response = await service.request(method, path, {
              anonymous: header === undefined,
              ...(header !== undefined ? { headers: { authorization: header } } : {}),
              ...(body !== undefined ? { body } : {}),
            });
            const where = `${method} ${path} as ${who}`;
            // Only another tenant's admin may get an answer (its own tenant's listing), never acme's.
            const allowed =
              (response.status >= 400 && response.status < 500) ||
              (who === "another tenant's admin" && response.status === 200);
            assert.ok(allowed, `${where}: ${response.status} ${response.text.slice(0, 200)}`);
            assert.ok(
              !response.text.includes(SECRET_USER) && !response.text.includes('"acme"'),
              `${where} revealed acme`,
            );
          }
        }
        assert.equal(await snapshotStore(storage), before);
      });
    }

    it('the straight paths work with the right credentials (so the refusals above mean something)', async () => {
      const list = await service.request('GET', '/t/acme/scim/v2/Users');
      assert.equal(list.status, 200);
      assert.ok(list.text.includes(SECRET_USER));
      const tenants = await service.request('GET', '/api/tenants', {
        headers: { authorization: `Bearer ${service.adminToken}` },
      });
      assert.equal(tenants.status, 200);
      const encoded = await service.request('GET', '/t/%61cme/scim/v2/Users');
      assert.ok(encoded.status === 200 || encoded.status === 404, String(encoded.status));
    });
  });
}
