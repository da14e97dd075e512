/**
 * A target's native API (RAM's OpenAPI endpoint and AccessKey) through the admin API: sealed at rest
 * like the SCIM connection, never shown back (views, lists, answers, logs), changed field by field,
 * removed with null, refused on a profile without a native API, and opened for the engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTargetService } from '../../src/provisioning/targets/target-service.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { captureSecrets } from '../support/log-capture.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();

const SECRET = 'native-access-key-secret-0123456789abcd';
const OTHER_SECRET = 'native-access-key-secret-rotated-98765';

const scimConnection = {
  baseUrl: 'https://scim.aliyun.example',
  authentication: { kind: 'bearer', token: 'scim-bearer-token-for-native-tests' },
};

for (const dialect of dialects) {
  describe(`target native API (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    before(async () => {
      storage = await dialect.open();
      service = await createTestService(storage);
      captureSecrets([SECRET, OTHER_SECRET]);
    });
    after(async () => {
      await service.close();
      await storage.close();
    });
    const api = (method: string, path: string, body?: unknown) =>
      service.request(method, `/api/tenants/acme${path}`, {
        headers: { authorization: `Bearer ${service.adminToken}` },
        ...(body !== undefined ? { body } : {}),
      });
    const createRamTarget = (nativeApi: unknown, profile = 'alibaba-ram') =>
      api('POST', '/targets', { name: 'RAM', profile, connection: scimConnection, nativeApi });
    const openNative = (id: string) =>
      createTargetService(service.storage, service.application.auth.box).openNative(id);

    it('seals the native API at rest and shows it without its secret', async () => {
      const created = await createRamTarget({
        endpoint: '127.0.0.1:43121',
        protocol: 'http',
        accessKeyId: 'LTAI5tNativeTest000001',
        accessKeySecret: SECRET,
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body.nativeApi, {
        api: 'alibaba-ram-openapi',
        endpoint: '127.0.0.1:43121',
        protocol: 'http',
        regionId: 'cn-hangzhou',
        accessKeyId: 'LTAI5tNativeTest000001',
        secretSet: true,
      });
      const id = created.body.id as string;
      for (const answer of [created, await api('GET', `/targets/${id}`), await api('GET', '/targets')])
        assert.ok(!answer.text.includes(SECRET), 'the secret is never shown back');

      const row = await storage.db
        .selectFrom('targets')
        .select('native_sealed')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.match(row.native_sealed ?? '', /^v1\./);
      assert.ok(!row.native_sealed?.includes(SECRET));

      const opened = await openNative(id);
      assert.equal(opened?.api, 'alibaba-ram-openapi');
      assert.equal(opened?.config.accessKeySecret, SECRET);
      assert.equal(opened?.config.endpoint, '127.0.0.1:43121');
      assert.equal(opened?.config.readTimeoutMs, 10_000);
      assert.ok(!service.logs.join('').includes(SECRET), 'the secret is never logged');

      const plain = await api('POST', '/targets', {
        name: 'RAM without native API',
        profile: 'alibaba-ram',
        connection: scimConnection,
      });
      assert.equal(plain.body.nativeApi, null);
      assert.equal(await openNative(plain.body.id), undefined);
      assert.equal(await openNative('tgt_missing'), undefined);
    });

    it('changes the fields given, keeps the secret, needs a new one with a new key, and removes on null', async () => {
      const created = await createRamTarget({
        accessKeyId: 'LTAI5tNativeTest000002',
        accessKeySecret: SECRET,
      });
      const id = created.body.id as string;
      assert.equal(created.body.nativeApi.endpoint, 'ram.aliyuncs.com');
      assert.equal(created.body.nativeApi.protocol, 'https');

      const moved = await api('PATCH', `/targets/${id}`, {
        nativeApi: { endpoint: 'ram.example.test:8443' },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.nativeApi.endpoint, 'ram.example.test:8443');
      assert.equal((await openNative(id))?.config.accessKeySecret, SECRET);

      const renamed = await api('PATCH', `/targets/${id}`, { name: 'RAM (renamed)' });
      assert.equal(renamed.body.nativeApi.accessKeyId, 'LTAI5tNativeTest000002');

      const keyWithoutSecret = await api('PATCH', `/targets/${id}`, {
        nativeApi: { accessKeyId: 'LTAI5tNativeTest000003' },
      });
      assert.equal(keyWithoutSecret.status, 400, keyWithoutSecret.text);
      assert.match(keyWithoutSecret.text, /accessKeySecret/);

      const rotated = await api('PATCH', `/targets/${id}`, {
        nativeApi: { accessKeyId: 'LTAI5tNativeTest000003', accessKeySecret: OTHER_SECRET },
      });
      assert.equal(rotated.status, 200, rotated.text);
      assert.ok(!rotated.text.includes(OTHER_SECRET));
      assert.equal((await openNative(id))?.config.accessKeySecret, OTHER_SECRET);
      assert.equal((await openNative(id))?.config.endpoint, 'ram.example.test:8443');

      const removed = await api('PATCH', `/targets/${id}`, { nativeApi: null });
      assert.equal(removed.status, 200, removed.text);
      assert.equal(removed.body.nativeApi, null);
      assert.equal(await openNative(id), undefined);
      assert.ok(!service.logs.join('').includes(OTHER_SECRET));
    });

    it('refuses a native API the profile has none of, an incomplete one, and a bad endpoint', async () => {
      const scim = await createRamTarget(
        { accessKeyId: 'LTAI5tNativeTest000004', accessKeySecret: SECRET },
        'generic-scim',
      );
      assert.equal(scim.status, 400, scim.text);
      assert.match(scim.text, /no native API/);

      const noSecret = await createRamTarget({ accessKeyId: 'LTAI5tNativeTest000005' });
      assert.equal(noSecret.status, 400, noSecret.text);
      assert.match(noSecret.text, /accessKeySecret/);

      const withScheme = await createRamTarget({
        endpoint: 'https://ram.aliyuncs.com',
        accessKeyId: 'LTAI5tNativeTest000006',
        accessKeySecret: SECRET,
      });
      assert.equal(withScheme.status, 400, withScheme.text);
      assert.match(withScheme.text, /endpoint/);
      assert.ok(!withScheme.text.includes(SECRET));

      const unknownField = await createRamTarget({
        accessKeyId: 'x',
        accessKeySecret: SECRET,
        password: 'p',
      });
      assert.equal(unknownField.status, 400, unknownField.text);

      const ram = await createRamTarget({ accessKeyId: 'LTAI5tNativeTest000007', accessKeySecret: SECRET });
      const toScim = await api('PATCH', `/targets/${ram.body.id}`, { profile: 'generic-scim' });
      assert.equal(toScim.status, 400, toScim.text);
      const dropped = await api('PATCH', `/targets/${ram.body.id}`, {
        profile: 'generic-scim',
        nativeApi: null,
      });
      assert.equal(dropped.status, 200, dropped.text);
      assert.equal(dropped.body.nativeApi, null);
      assert.equal(dropped.body.profile, 'generic-scim');
    });
  });
}
