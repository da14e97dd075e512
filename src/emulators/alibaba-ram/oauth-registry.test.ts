import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEmulatorClock } from './emulator-clock.ts';
import { createOauthRegistry, SCIM_SCOPE } from './oauth-registry.ts';

describe('OAuth registry', () => {
  it('authenticates clients by id and secret', () => {
    const registry = createOauthRegistry(createEmulatorClock(), [
      { clientId: 'cid', clientSecret: '123456' },
    ]);
    assert.ok(registry.authenticateClient('cid', '123456').ok);
    assert.deepEqual(registry.authenticateClient('cid', '12345'), { ok: false, reason: 'wrongSecret' });
    assert.deepEqual(registry.authenticateClient('other', '123456'), { ok: false, reason: 'unknownClient' });
  });

  it('issues JWT-shaped tokens for /acs/scim that expire after the app’s validity', () => {
    const clock = createEmulatorClock(() => Date.UTC(2026, 0, 1));
    const registry = createOauthRegistry(clock, [{ clientId: 'cid', accessTokenValiditySeconds: 60 }]);
    const [app] = registry.listApps();
    assert.ok(app);
    const token = registry.issueToken(app);
    assert.match(token.accessToken, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(token.scope, SCIM_SCOPE);
    clock.advance(59_999);
    assert.ok(registry.verifyToken(token.accessToken).ok);
    clock.advance(1);
    assert.deepEqual(registry.verifyToken(token.accessToken), { ok: false, reason: 'expired' });
    assert.deepEqual(registry.verifyToken('eyJnope'), { ok: false, reason: 'unknown' });
  });

  it('revokes live tokens and restores the initial apps on reset', () => {
    const registry = createOauthRegistry(createEmulatorClock(), [{ clientId: 'cid' }]);
    const extra = registry.addApp({ clientId: 'extra', scopes: ['openid'] });
    assert.match(registry.listApps()[0]?.clientSecret ?? '', /^[A-Za-z0-9]{64}$/);
    const token = registry.issueToken(extra);
    assert.equal(registry.revokeTokens('cid'), 0);
    assert.equal(registry.revokeTokens(), 1);
    assert.deepEqual(registry.verifyToken(token.accessToken), { ok: false, reason: 'unknown' });
    registry.reset();
    assert.deepEqual(
      registry.listApps().map((app) => app.clientId),
      ['cid'],
    );
  });

  it('generates 19-digit client ids and refuses a non-positive validity', () => {
    const registry = createOauthRegistry(createEmulatorClock(), [{}]);
    assert.match(registry.listApps()[0]?.clientId ?? '', /^\d{19}$/);
    assert.throws(() => registry.addApp({ accessTokenValiditySeconds: 0 }), /positive/);
  });
});
