/**
 * The admin REST API (/api): tenants, apps, secrets, admin tokens, validation with field-level errors,
 * tenant isolation, read-only tokens, the OpenAPI document, and the audit trail of admin actions and
 * SCIM writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

for (const dialect of dialects) {
  describe(`admin API (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
    });
    after(async () => {
      await service.close();
      await storage.close();
    });
    const api = (method: string, path: string, body?: unknown, token = service.adminToken) =>
      service.request(method, `/api${path}`, {
        headers: { authorization: `Bearer ${token}` },
        ...(body !== undefined ? { body } : {}),
      });

    it('creates, lists, renames, disables and deletes tenants', async () => {
      const created = await api('POST', '/tenants', { id: 'globex', displayName: 'Globex' });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.status, 'active');
      assert.match(created.body.scimBaseUrl, /\/t\/globex\/scim\/v2$/);
      assert.match(created.body.tokenEndpoint, /\/t\/globex\/oauth2\/token$/);
      assert.equal((await api('POST', '/tenants', { id: 'globex' })).status, 409);
      const listed = await api('GET', '/tenants');
      assert.deepEqual(listed.body.items.map((t: { id: string }) => t.id).sort(), ['acme', 'globex']);
      const renamed = await api('PATCH', '/tenants/globex', { displayName: 'Globex Corp' });
      assert.equal(renamed.body.displayName, 'Globex Corp');
      assert.equal((await api('PATCH', '/tenants/globex', { status: 'disabled' })).body.status, 'disabled');
      assert.equal((await api('DELETE', '/tenants/globex')).status, 204);
      assert.equal((await api('GET', '/tenants/globex')).status, 404);
      assert.equal((await api('DELETE', '/tenants/globex')).status, 404);
    });

    it('deletes a tenant with its directory and apps, leaving other tenants untouched', async () => {
      await api('POST', '/tenants', { id: 'doomed' });
      const made = await api('POST', '/tenants/doomed/apps', { name: 'x' });
      assert.equal(made.status, 201);
      assert.equal((await api('DELETE', '/tenants/doomed')).status, 204);
      const apps = await storage.db
        .selectFrom('apps')
        .select('tenant_id')
        .where('tenant_id', '=', 'doomed')
        .execute();
      assert.equal(apps.length, 0);
      assert.equal((await service.request('GET', 'Users')).status, 200);
    });

    it('explains every invalid field', async () => {
      const response = await api('POST', '/tenants', { id: 'Bad Id!', displayName: '', extra: 1 });
      assert.equal(response.status, 400, response.text);
      assert.equal(response.body.error, 'invalid_request');
      const paths = response.body.fields.map((field: { path: string }) => field.path);
      assert.ok(paths.includes('body.id'), JSON.stringify(paths));
      const app = await api('POST', '/tenants/acme/apps', {
        name: 'x',
        scopes: ['root'],
        tokenTtlSeconds: 60,
      });
      assert.equal(app.status, 400);
      const appPaths = app.body.fields.map((field: { path: string }) => field.path);
      assert.ok(
        appPaths.some((p: string) => p.startsWith('body.scopes')),
        JSON.stringify(appPaths),
      );
      assert.ok(appPaths.includes('body.tokenTtlSeconds'), JSON.stringify(appPaths));
      const notJson = await service.request('POST', '/api/tenants', {
        rawBody: '{',
        headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' },
      });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.error, 'invalid_request');
    });

    it('shows a secret once, lists secrets without values, allows two for rotation', async () => {
      const created = await api('POST', '/tenants/acme/apps', {
        name: 'rotating',
        scopes: ['scim', '/acs/scim'],
        tokenTtlSeconds: 1800,
      });
      assert.equal(created.status, 201, created.text);
      const { app, secret } = created.body;
      assert.deepEqual(app.scopes, ['scim']);
      assert.match(secret.value, /^lss_[0-9a-f]{16}_[\w-]{43}$/);
      const shown = await api('GET', `/tenants/acme/apps/${app.id}`);
      assert.ok(!shown.text.includes(secret.value));
      assert.equal(shown.body.secrets.length, 1);
      const second = await api('POST', `/tenants/acme/apps/${app.id}/secrets`);
      assert.equal(second.status, 201);
      const third = await api('POST', `/tenants/acme/apps/${app.id}/secrets`);
      assert.equal(third.status, 409);
      assert.equal(third.body.error, 'limit');
      const listed = await api('GET', `/tenants/acme/apps/${app.id}/secrets`);
      assert.equal(listed.body.items.length, 2);
      assert.ok(!listed.text.includes(second.body.value));
      // Both secrets work until the old one is deleted.
      for (const value of [secret.value, second.body.value]) {
        const token = await service.request('POST', '/t/acme/oauth2/token', {
          anonymous: true,
          rawBody: `grant_type=client_credentials&client_id=${app.id}&client_secret=${value}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(token.status, 200);
      }
      assert.equal((await api('DELETE', `/tenants/acme/apps/${app.id}/secrets/${secret.id}`)).status, 204);
      const old = await service.request('POST', '/t/acme/oauth2/token', {
        anonymous: true,
        rawBody: `grant_type=client_credentials&client_id=${app.id}&client_secret=${secret.value}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(old.status, 401);
      assert.equal((await api('DELETE', `/tenants/acme/apps/${app.id}`)).status, 204);
      assert.equal((await api('GET', `/tenants/acme/apps/${app.id}`)).status, 404);
    });

    it('accepts an app secret as a static bearer token only when the app allows it', async () => {
      const created = await api('POST', '/tenants/acme/apps', { name: 'entra', secretAsBearer: true });
      const bearer = { headers: { authorization: `Bearer ${created.body.secret.value}` } };
      assert.equal((await service.request('GET', 'Users', bearer)).status, 200);
      await api('PATCH', `/tenants/acme/apps/${created.body.app.id}`, { secretAsBearer: false });
      assert.equal((await service.request('GET', 'Users', bearer)).status, 401);
    });

    it('keeps tenant-restricted and read-only admin tokens in their lane', async () => {
      await api('POST', '/tenants', { id: 'initech' });
      const restricted = await api('POST', '/admin-tokens', {
        label: 'initech admin',
        scope: 'admin',
        tenantId: 'initech',
      });
      assert.equal(restricted.status, 201, restricted.text);
      const token = restricted.body.value;
      assert.deepEqual(
        (await api('GET', '/tenants', undefined, token)).body.items.map((t: { id: string }) => t.id),
        ['initech'],
      );
      assert.equal((await api('GET', '/tenants/acme/apps', undefined, token)).status, 403);
      assert.equal((await api('POST', '/tenants/initech/apps', { name: 'ok' }, token)).status, 201);
      assert.equal((await api('POST', '/tenants', { id: 'sneaky' }, token)).status, 403);
      const readOnly = (await api('POST', '/admin-tokens', { label: 'auditor', scope: 'admin:read' })).body
        .value;
      assert.equal((await api('GET', '/tenants/acme/apps', undefined, readOnly)).status, 200);
      assert.equal((await api('POST', '/tenants/acme/apps', { name: 'no' }, readOnly)).status, 403);
      const tokens = await api('GET', '/admin-tokens');
      assert.ok(!tokens.text.includes(token) && !tokens.text.includes(readOnly));
      const id = restricted.body.token.id;
      assert.equal((await api('DELETE', `/admin-tokens/${id}`)).status, 204);
      assert.equal((await api('GET', '/tenants', undefined, token)).status, 401);
    });

    it('records admin actions and SCIM writes in the audit log, queryable and exportable', async () => {
      const created = await api('POST', '/tenants/acme/apps', { name: 'audited' });
      const appId = created.body.app.id;
      const user = await service.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: 'audit@example.com' },
      });
      await service.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: 'audit@example.com' },
      });
      await service.application.auditLog.flush();
      const appEvents = await api('GET', `/audit?object=${appId}`);
      assert.equal(appEvents.status, 200, appEvents.text);
      const createdEvent = appEvents.body.items.find(
        (event: { action: string }) => event.action === 'app.create',
      );
      assert.ok(createdEvent, appEvents.text);
      assert.equal(createdEvent.tenantId, 'acme');
      assert.equal(createdEvent.actor.type, 'admin');
      assert.equal(createdEvent.outcome, 'success');
      assert.equal(typeof createdEvent.requestId, 'string');
      assert.equal(typeof createdEvent.sourceIp, 'string');
      const scimEvents = await api('GET', `/audit?actor=${service.clientId}&action=scim.user.create`);
      const outcomes = scimEvents.body.items.map(
        (event: { outcome: string; status: number }) => `${event.outcome}:${event.status}`,
      );
      assert.deepEqual(outcomes, ['failure:409', 'success:201']);
      assert.equal(scimEvents.body.items[1].object.id, user.body.id);
      const exported = await service.request('GET', '/api/audit/export?tenant=acme', {
        headers: { authorization: `Bearer ${service.adminToken}` },
      });
      assert.equal(exported.status, 200);
      assert.match(String(exported.headers['content-type']), /ndjson/);
      const lines = exported.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.ok(lines.length >= 3);
      assert.ok(!exported.text.includes(created.body.secret.value), 'the audit log holds a secret');
      assert.ok(!exported.text.includes(service.token), 'the audit log holds a token');
      const bad = await api('GET', '/audit?from=yesterday');
      assert.equal(bad.status, 400);
      assert.ok(
        bad.body.fields.some((field: { path: string }) => field.path === 'querystring.from'),
        bad.text,
      );
    });

    it('serves an OpenAPI document that describes every admin route', async () => {
      const response = await service.request('GET', '/api/openapi.json', { anonymous: true });
      assert.equal(response.status, 200);
      assert.equal(response.body.openapi, '3.1.0');
      const paths = Object.keys(response.body.paths);
      for (const path of [
        '/api/tenants',
        '/api/tenants/{tenant}',
        '/api/tenants/{tenant}/apps/{app}/secrets',
        '/api/admin-tokens',
        '/api/audit',
        '/api/audit/export',
        '/api/signing-keys/rotate',
      ])
        assert.ok(paths.includes(path), `${path} missing from ${paths.join(', ')}`);
      assert.ok(
        !paths.some((path) => path.includes('scim')),
        'SCIM routes belong to SCIM discovery, not the admin document',
      );
    });
  });
}
