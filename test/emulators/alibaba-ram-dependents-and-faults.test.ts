/**
 * What makes RAM hard to deprovision, and what makes it flaky: a SCIM DELETE refused while the user
 * has dependents (RAM SCIM guide: "如果RAM用户有关联的AccessKey、RAM Policy等，考虑到安全因素，不支持通过
 * SCIM API直接删除RAM用户"; IDaaS troubleshooting: MFA device, AccessKeys, groups), users that existed
 * before provisioning, and injected latency, throttling and outages — all seeded through the
 * emulator's control API, as tests that run it as a separate process must.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ERROR_SCHEMA, filterPath, useEmulatorProcess, userBody } from './ram-emulator-process.ts';

describe('Alibaba Cloud RAM emulator: dependents, pre-existing users, faults', () => {
  const emulator = useEmulatorProcess();
  beforeEach(async () => {
    await emulator.control('POST', '/reset');
  });

  const createUser = async (userName: string, externalId?: string) => {
    const answer = await emulator.scim('POST', '/Users', { body: userBody(userName, userName, externalId) });
    assert.equal(answer.status, 201);
    return answer.body.id as string;
  };

  it('refuses DELETE with 409 and the RAM code while any dependent remains; 204 once all are cleared', async () => {
    const id = await createUser('busy.user');
    const seeded = await emulator.control('POST', `/users/${id}/dependents`, {
      accessKeys: 1,
      policies: ['AliyunOSSReadOnlyAccess', { policyName: 'team-policy', policyType: 'Custom' }],
      groups: ['developers'],
      loginProfile: { passwordResetRequired: true },
      mfaDevice: true,
    });
    assert.equal(seeded.status, 200);
    assert.equal(seeded.body.dependents.policies.length, 2);
    assert.match(seeded.body.principalName, /^busy\.user@\d{16}\.onaliyun\.com$/);
    const refusals: unknown[] = [];
    for (const kind of ['accessKeys', 'policies', 'groups', 'loginProfile', 'mfaDevice']) {
      const refused = await emulator.scim('DELETE', `/Users/${id}`);
      refusals.push({
        status: refused.status,
        scimType: refused.body.scimType,
        code: refused.body.detail.split(':')[0],
      });
      assert.deepEqual(refused.body.schemas, [ERROR_SCHEMA]);
      assert.equal(refused.body.status, '409');
      assert.equal((await emulator.control('DELETE', `/users/${id}/dependents?kinds=${kind}`)).status, 200);
    }
    assert.deepEqual(refusals, [
      { status: 409, scimType: undefined, code: 'DeleteConflict.User.AccessKey' },
      { status: 409, scimType: undefined, code: 'DeleteConflict.User.Policy' },
      { status: 409, scimType: undefined, code: 'DeleteConflict.User.Group' },
      { status: 409, scimType: undefined, code: 'DeleteConflict.User.LoginProfile' },
      { status: 409, scimType: undefined, code: 'DeleteConflict.User.MFADevice' },
    ]);
    assert.equal((await emulator.scim('DELETE', `/Users/${id}`)).status, 204);
    assert.equal((await emulator.control('GET', `/users/${id}`)).status, 404);
  });

  it('the exact answer to a DELETE refused for an AccessKey', async () => {
    const id = await createUser('has.key');
    await emulator.control('POST', `/users/${id}/dependents`, { accessKeys: 1 });
    const refused = await emulator.scim('DELETE', `/Users/${id}`);
    assert.equal(refused.status, 409);
    assert.match(refused.headers.get('content-type') ?? '', /^application\/scim\+json/);
    assert.deepEqual(refused.body, {
      schemas: [ERROR_SCHEMA],
      status: '409',
      detail:
        'DeleteConflict.User.AccessKey: The user has 1 AccessKey(s); delete them before deleting the user.',
    });
    // The user is untouched and still listed.
    assert.equal((await emulator.scim('GET', filterPath('userName eq "has.key"'))).body.totalResults, 1);
  });

  it('lists users that existed before provisioning (no externalId) but refuses to change or delete them', async () => {
    const seeded = await emulator.control('POST', '/users', {
      userName: 'Legacy.Admin',
      displayName: 'Legacy Admin',
    });
    assert.equal(seeded.status, 201);
    assert.equal(seeded.body.source, 'console');
    const found = await emulator.scim('GET', filterPath('userName eq "legacy.admin"'));
    assert.equal(found.body.totalResults, 1);
    assert.equal('externalId' in found.body.Resources[0], false);
    const put = await emulator.scim('PUT', `/Users/${seeded.body.id}`, {
      body: userBody('Legacy.Admin', 'Taken Over', 'ext-1'),
    });
    assert.equal(put.status, 403);
    assert.equal((await emulator.scim('DELETE', `/Users/${seeded.body.id}`)).status, 403);
    const create = await emulator.scim('POST', '/Users', { body: userBody('legacy.admin', 'Legacy Admin') });
    assert.equal(create.status, 409);
    assert.equal(create.body.scimType, 'uniqueness');
  });

  it('refuses bad seeds with 400 and unknown users with 404', async () => {
    assert.equal((await emulator.control('POST', '/users', { userName: 'a@b.com' })).status, 400);
    assert.equal((await emulator.control('POST', '/users', { userName: 'x', colour: 'red' })).status, 400);
    const id = await createUser('two.keys');
    assert.equal((await emulator.control('POST', `/users/${id}/dependents`, { accessKeys: 2 })).status, 200);
    const third = await emulator.control('POST', `/users/${id}/dependents`, { accessKeys: 1 });
    assert.equal(third.status, 400);
    assert.match(third.body.message, /at most 2 AccessKeys/);
    assert.equal((await emulator.control('POST', '/users/123/dependents', { groups: ['g'] })).status, 404);
    assert.equal((await emulator.control('DELETE', `/users/${id}/dependents?kinds=keys`)).status, 400);
  });

  it('dumps state and journals requests (without credentials); reset forgets everything', async () => {
    await createUser('journaled', 'ext-j');
    const state = await emulator.control('GET', '/state');
    assert.equal(state.body.users.length, 1);
    assert.equal(state.body.users[0].userName, 'journaled');
    assert.deepEqual(state.body.users[0].dependents, {
      accessKeys: [],
      policies: [],
      groups: [],
      loginProfile: null,
      mfaDevice: null,
    });
    assert.equal('clientSecret' in state.body.apps[0], false);
    const journal = await emulator.control('GET', '/requests');
    assert.deepEqual(
      journal.body.map(
        (entry: { method: string; url: string; status: number }) =>
          `${entry.method} ${entry.url.split('?')[0]} ${entry.status}`,
      ),
      ['POST /v1/token 200', 'POST /Users 201'],
    );
    assert.equal(journal.body[0].body, undefined);
    assert.equal(journal.body[1].body.externalId, 'ext-j');
    assert.doesNotMatch(JSON.stringify(journal.body), /Bearer|Basic|emulator-test-secret/);
    await emulator.control('POST', '/reset');
    const after = await emulator.control('GET', '/state');
    assert.deepEqual([after.body.users, after.body.issuedTokens], [[], 0]);
    assert.deepEqual((await emulator.control('GET', '/requests')).body, []);
  });

  it('throttles with 429 and Retry-After, then recovers', async () => {
    const token = await emulator.token();
    const fault = await emulator.control('POST', '/faults', { status: 429, retryAfterSeconds: 7, times: 2 });
    assert.equal(fault.status, 201);
    for (let attempt = 0; attempt < 2; attempt++) {
      const throttled = await emulator.scim('GET', '/Users', { token });
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      assert.deepEqual(throttled.body.schemas, [ERROR_SCHEMA]);
      assert.match(throttled.body.detail, /^Throttling/);
    }
    assert.equal((await emulator.scim('GET', '/Users', { token })).status, 200);
    assert.deepEqual((await emulator.control('GET', '/faults')).body, []);
  });

  it('fails with 500 or 503 until the faults are cleared, and can fail the token endpoint alone', async () => {
    const token = await emulator.token();
    await emulator.control('POST', '/faults', { status: 503, retryAfterSeconds: 30, times: 1 });
    await emulator.control('POST', '/faults', { status: 500 });
    const unavailable = await emulator.scim('GET', '/Users', { token });
    assert.deepEqual([unavailable.status, unavailable.headers.get('retry-after')], [503, '30']);
    const broken = await emulator.scim('POST', '/Users', { token, body: userBody('never', 'Never') });
    assert.equal(broken.status, 500);
    assert.match(broken.body.detail, /^InternalError/);
    assert.equal((await emulator.control('DELETE', '/faults')).status, 204);
    assert.equal(
      (await emulator.scim('GET', filterPath('userName eq "never"'), { token })).body.totalResults,
      0,
    );
    await emulator.control('POST', '/faults', { surface: 'token', status: 503, times: 1 });
    const tokenOutage = await emulator.requestToken();
    assert.equal(tokenOutage.status, 503);
    assert.equal(tokenOutage.body.error, 'temporarily_unavailable');
    assert.equal((await emulator.scim('GET', '/Users', { token })).status, 200);
  });

  it('delays answers by the injected latency', async () => {
    const token = await emulator.token();
    await emulator.control('POST', '/faults', { latencyMs: 300, times: 1 });
    const started = performance.now();
    const answer = await emulator.scim('GET', '/Users', { token });
    assert.equal(answer.status, 200);
    assert.ok(performance.now() - started >= 290, 'the answer came too soon');
    const bad = await emulator.control('POST', '/faults', { status: 502 });
    assert.equal(bad.status, 400);
  });
});
