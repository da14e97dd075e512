/**
 * RAM's OAuth token endpoint, driven like IDaaS, Okta and Lockstep drive it. Source: Alibaba Cloud,
 * "Provision users to RAM using SCIM" (步骤2: `POST https://oauth.aliyun.com/v1/token?grant_type=
 * client_credentials&client_id=…` with `Authorization: Basic Base64Encode(client_id:client_secret)`,
 * answering `{"scope":"/acs/scim","request_id":"…","access_token":"eyJ***hKg","token_type":"Bearer",
 * "expires_in":"3599"}`).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { basic, CLIENT_ID, CLIENT_SECRET, ERROR_SCHEMA, useEmulatorProcess } from './ram-emulator-process.ts';

describe('Alibaba Cloud RAM emulator: OAuth token endpoint', () => {
  const emulator = useEmulatorProcess();
  beforeEach(async () => {
    assert.equal((await emulator.control('POST', '/reset')).status, 204);
  });

  it('prints the URL and the configured client credentials for demos', () => {
    assert.match(emulator.output(), new RegExp(`Client id: +${CLIENT_ID}`));
    assert.match(emulator.output(), new RegExp(`Client secret: +${CLIENT_SECRET}`));
    assert.match(emulator.output(), /Token endpoint: +http:\/\/127\.0\.0\.1:\d+\/v1\/token/);
  });

  it('answers the documented request with RAM’s shape: expires_in is a string', async () => {
    const answer = await emulator.requestToken();
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body).sort(), [
      'access_token',
      'expires_in',
      'request_id',
      'scope',
      'token_type',
    ]);
    assert.equal(answer.body.scope, '/acs/scim');
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.expires_in, '3599');
    assert.equal(typeof answer.body.expires_in, 'string');
    assert.match(answer.body.access_token, /^eyJ/);
    assert.match(answer.body.request_id, /^[0-9a-f-]{36}$/);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  it('takes the parameters from a form body and the secret as client_secret too', async () => {
    const answer = await emulator.send(`${emulator.url}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.expires_in, '3599');
  });

  it('refuses a wrong secret or an unknown client with 401 invalid_client and WWW-Authenticate', async () => {
    for (const [clientId, secret] of [
      [CLIENT_ID, 'wrong'],
      ['1111111111111111111', CLIENT_SECRET],
    ] as const) {
      const answer = await emulator.requestToken(clientId, secret);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error, 'invalid_client');
      assert.equal(typeof answer.body.error_description, 'string');
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Basic /);
    }
    const anonymous = await emulator.send(`${emulator.url}/v1/token?grant_type=client_credentials`, {
      method: 'POST',
    });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, 'invalid_client');
  });

  it('refuses a missing or other grant type, two client authentications and a mismatched client_id', async () => {
    const post = (
      query: string,
      headers: Record<string, string> = { authorization: basic(CLIENT_ID, CLIENT_SECRET) },
    ) => emulator.send(`${emulator.url}/v1/token${query}`, { method: 'POST', headers });
    const missing = await post('');
    assert.deepEqual([missing.status, missing.body.error], [400, 'invalid_request']);
    const password = await post('?grant_type=password');
    assert.deepEqual([password.status, password.body.error], [400, 'unsupported_grant_type']);
    const twice = await post(`?grant_type=client_credentials&client_secret=${CLIENT_SECRET}`);
    assert.deepEqual([twice.status, twice.body.error], [400, 'invalid_request']);
    const mismatched = await post('?grant_type=client_credentials&client_id=42');
    assert.deepEqual([mismatched.status, mismatched.body.error], [400, 'invalid_request']);
    const badScope = await post('?grant_type=client_credentials&scope=/acs/ccc');
    assert.deepEqual([badScope.status, badScope.body.error], [400, 'invalid_scope']);
  });

  it('honours the token validity: an expired token gets 401 invalid_token, a new one works', async () => {
    const token = await emulator.token();
    assert.equal((await emulator.scim('GET', '/Users', { token })).status, 200);
    await emulator.control('POST', '/clock', { advanceSeconds: 3590 });
    assert.equal((await emulator.scim('GET', '/Users', { token })).status, 200);
    await emulator.control('POST', '/clock', { advanceSeconds: 10 });
    const expired = await emulator.scim('GET', '/Users', { token });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body.schemas, [ERROR_SCHEMA]);
    assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(expired.body.detail, /expired/);
    assert.equal((await emulator.scim('GET', '/Users')).status, 200);
  });

  it('shortened validities are honoured and reported one second short', async () => {
    const app = await emulator.control('POST', '/oauth-apps', { accessTokenValiditySeconds: 900 });
    assert.equal(app.status, 201);
    const answer = await emulator.requestToken(app.body.clientId, app.body.clientSecret);
    assert.equal(answer.body.expires_in, '899');
    await emulator.control('POST', '/clock', { advanceSeconds: 900 });
    assert.equal((await emulator.scim('GET', '/Users', { token: answer.body.access_token })).status, 401);
  });

  it('a token without /acs/scim gets 403 insufficient_scope; revoked tokens get 401', async () => {
    const app = await emulator.control('POST', '/oauth-apps', { scopes: ['openid'] });
    const answer = await emulator.requestToken(app.body.clientId, app.body.clientSecret);
    assert.equal(answer.body.scope, 'openid');
    const refused = await emulator.scim('GET', '/Users', { token: answer.body.access_token });
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    const token = await emulator.token();
    assert.deepEqual((await emulator.control('POST', '/tokens/revoke', {})).body, { revoked: 2 });
    assert.equal((await emulator.scim('GET', '/Users', { token })).status, 401);
  });
});
