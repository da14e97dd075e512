import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRamEmulator } from './create-ram-emulator.ts';

const APP = { clientId: 'cid', clientSecret: '123456' };

async function bearer(emulator: ReturnType<typeof createRamEmulator>): Promise<string> {
  const [app] = emulator.state.oauth.listApps();
  assert.ok(app);
  return emulator.state.oauth.issueToken(app).accessToken;
}

describe('createRamEmulator (in process)', () => {
  it('serves users seeded through the state API and refuses to delete one with dependents', async () => {
    const emulator = createRamEmulator({ apps: [APP], publicUrl: 'https://scim.aliyun.com' });
    const user = emulator.state.directory.seedUser({
      userName: 'seeded',
      externalId: 'ext-1',
      source: 'scim',
      dependents: { policies: ['AliyunECSFullAccess'] },
    });
    const headers = { authorization: `Bearer ${await bearer(emulator)}` };
    const fetched = await emulator.app.inject({ method: 'GET', url: `/Users/${user.id}`, headers });
    assert.equal(fetched.statusCode, 200);
    assert.equal(fetched.json().meta.location, `https://scim.aliyun.com/Users/${user.id}`);
    const refused = await emulator.app.inject({ method: 'DELETE', url: `/Users/${user.id}`, headers });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().detail, /^DeleteConflict\.User\.Policy: /);
    emulator.state.directory.clearDependents(user.id);
    assert.equal(
      (await emulator.app.inject({ method: 'DELETE', url: `/Users/${user.id}`, headers })).statusCode,
      204,
    );
    assert.deepEqual(emulator.state.snapshot().users, []);
    await emulator.close();
  });

  it('can ignore attributes RAM lacks, keep the control API off, and run on an injected clock', async () => {
    const emulator = createRamEmulator({
      apps: [APP],
      unknownAttributes: 'ignore',
      controlApi: false,
      wallClock: () => Date.UTC(2020, 1, 14, 3, 58, 59),
    });
    const headers = {
      authorization: `Bearer ${await bearer(emulator)}`,
      'content-type': 'application/scim+json',
    };
    const created = await emulator.app.inject({
      method: 'POST',
      url: '/Users',
      headers,
      payload: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'j2gg0s',
        displayName: 'j2gg0s',
        emails: [{ value: 'j2gg0s@example.com' }],
      },
    });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().meta.created, '2020-02-14T03:58:59Z');
    assert.equal('emails' in created.json(), false);
    assert.equal((await emulator.app.inject({ method: 'GET', url: '/_emulator/state' })).statusCode, 404);
    await emulator.close();
  });

  it('listens on a free port and answers its URL', async () => {
    const emulator = createRamEmulator({ apps: [APP] });
    const { url } = await emulator.start();
    const response = await fetch(`${url}/v1/token?grant_type=client_credentials&client_id=cid`, {
      method: 'POST',
      headers: { authorization: 'Basic Y2lkOjEyMzQ1Ng==' },
    });
    assert.equal(response.status, 200);
    await emulator.close();
  });
});
