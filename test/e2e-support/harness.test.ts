/**
 * Smoke test of the end-to-end harness the provisioning engine's tests run on: two Lockstep
 * processes, the RAM emulator, and the fault proxy in its own process between a client and a target.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findSecrets } from '../support/log-capture.ts';
import { type FaultProxyProcess, startFaultProxyProcess } from './fault-proxy-process.ts';
import { type LockstepProcess, startLockstepProcess } from './lockstep-process.ts';
import { type RamEmulator, startRamEmulator } from './ram-emulator.ts';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** What the engine will do, by hand: POST until a non-retryable answer, honouring Retry-After. */
async function postWithRetries(
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; attempts: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    await response.body?.cancel();
    if (![429, 500, 502, 503].includes(response.status) || attempt === 5)
      return { status: response.status, attempts: attempt };
    const wait = Number(response.headers.get('retry-after') ?? '0');
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 2) * 1000));
  }
}

describe('end-to-end harness', () => {
  let hub: LockstepProcess;
  let target: LockstepProcess;
  let ram: RamEmulator;
  let proxy: FaultProxyProcess;

  before(async () => {
    [hub, target, ram] = await Promise.all([
      startLockstepProcess(),
      startLockstepProcess(),
      startRamEmulator(),
    ]);
    proxy = await startFaultProxyProcess({ target: target.url });
  });
  after(async () => {
    await Promise.all([proxy?.stop(), hub?.stop(), target?.stop(), ram?.stop()]);
  });

  it('creates a user on the second Lockstep through the proxy: a 503, a retry, exactly one user', async () => {
    const acme = await target.createTenantWithApp('acme');
    const token = await target.tokenFor(acme.clientId, acme.clientSecret, 'acme');
    await proxy.setPlan({
      rules: [
        {
          method: 'POST',
          path: '^/t/acme/scim/v2/Users$',
          nth: 1,
          fault: { kind: 'status', status: 503, retryAfter: 1 },
        },
      ],
    });
    const started = Date.now();
    const result = await postWithRetries(`${proxy.url}/t/acme/scim/v2/Users`, token, {
      schemas: [USER_SCHEMA],
      userName: 'ann@example.com',
    });
    assert.deepEqual(result, { status: 201, attempts: 2 });
    assert.ok(Date.now() - started >= 900, 'the client waited for Retry-After');
    assert.deepEqual(
      (await proxy.journal()).map((entry) => [entry.method, entry.path, entry.outcome, entry.forwarded]),
      [
        ['POST', '/t/acme/scim/v2/Users', 503, false],
        ['POST', '/t/acme/scim/v2/Users', 201, true],
      ],
    );
    const found = await target.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ann@example.com"')}`,
      undefined,
      acme,
    );
    assert.equal(found.status, 200);
    assert.equal(found.body.totalResults, 1);
    // The tenant's app sees only its tenant: the default tenant stays empty.
    assert.equal((await target.scim('GET', '/Users')).body.totalResults, 0);
  });

  it('reaches the RAM emulator with its own token and control API', async () => {
    const created = await ram.scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'bob',
      displayName: 'Bob',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const state = await ram.control('GET', '/state');
    assert.equal(state.status, 200);
    assert.deepEqual(
      state.body.users.map((user: { userName: string }) => user.userName),
      ['bob'],
    );
  });

  it('serves the same data after a SIGKILL and a restart, on the same URL, with the first admin token', async () => {
    const before = hub.pid;
    assert.equal((await hub.adminApi('POST', '/tenants', { id: 'kept' })).status, 201);
    const user = await hub.scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'carol' });
    assert.equal(user.status, 201);
    await hub.kill('SIGKILL');
    assert.equal(hub.running(), false);
    await assert.rejects(fetch(`${hub.url}/api/tenants`));
    await hub.restart();
    assert.equal(hub.running(), true);
    assert.notEqual(hub.pid, before);
    const tenants = await hub.adminApi('GET', '/tenants');
    assert.equal(tenants.status, 200);
    assert.deepEqual(tenants.body.items.map((tenant: { id: string }) => tenant.id).sort(), [
      'default',
      'kept',
    ]);
    const again = await hub.scim('GET', `/Users/${user.body.id}`);
    assert.equal(again.status, 200);
    assert.equal(again.body.userName, 'carol');
    // A token issued before the crash is still cached by the helper and still valid after it.
    assert.equal((await hub.scim('GET', '/Users')).body.totalResults, 1);
    assert.match(hub.output(), /Tenant "kept": SCIM base URL/);
    const logs = hub.logs();
    assert.ok(logs.length > 0, 'the server wrote JSON log lines');
    assert.deepEqual(findSecrets(JSON.stringify(logs)), []);
  });
});
