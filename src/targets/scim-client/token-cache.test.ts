import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScimClientError } from './scim-client-error.ts';
import { computeRenewalTime, createTokenCache, type TokenFetch } from './token-cache.ts';

function fakeEndpoint(expiresInSeconds: number | undefined) {
  let issued = 0;
  const fetchToken: TokenFetch = async () => {
    issued++;
    await new Promise((resolve) => setImmediate(resolve));
    return { ok: true, value: { accessToken: `token-${issued}`, expiresInSeconds } };
  };
  return { fetchToken, issued: () => issued };
}

describe('computeRenewalTime', () => {
  it('renews 60 s before expiry, or at 80 % of a short life', () => {
    assert.equal(computeRenewalTime(0, 3_599_000), 3_539_000);
    assert.equal(computeRenewalTime(1000, 300_000), 241_000);
    assert.equal(computeRenewalTime(0, 10_000), 8000);
    assert.equal(computeRenewalTime(5, 0), 5);
  });
});

describe('createTokenCache', () => {
  it('reuses a token until its renewal time, then fetches a new one (RAM: expires_in 3599)', async () => {
    let clock = 1_000_000;
    const endpoint = fakeEndpoint(3599);
    const cache = createTokenCache({ fetchToken: endpoint.fetchToken, now: () => clock });
    assert.deepEqual(await cache.get(), { ok: true, value: 'token-1' });
    assert.equal(cache.renewsAt(), 1_000_000 + 3_539_000);
    clock += 3_538_999;
    assert.deepEqual(await cache.get(), { ok: true, value: 'token-1' });
    clock += 1;
    assert.deepEqual(await cache.get(), { ok: true, value: 'token-2' });
    assert.equal(endpoint.issued(), 2);
  });

  it('assumes five minutes for a token without expires_in', async () => {
    let clock = 0;
    const endpoint = fakeEndpoint(undefined);
    const cache = createTokenCache({ fetchToken: endpoint.fetchToken, now: () => clock });
    await cache.get();
    assert.equal(cache.renewsAt(), 240_000);
    clock = 240_000;
    assert.deepEqual(await cache.get(), { ok: true, value: 'token-2' });
  });

  it('shares one token request among concurrent callers', async () => {
    const endpoint = fakeEndpoint(3600);
    const cache = createTokenCache({ fetchToken: endpoint.fetchToken });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    assert.equal(endpoint.issued(), 1);
    assert.ok(tokens.every((token) => token.ok && token.value === 'token-1'));
  });

  it('drops a refused token but keeps a newer one', async () => {
    const endpoint = fakeEndpoint(3600);
    const cache = createTokenCache({ fetchToken: endpoint.fetchToken });
    await cache.get();
    cache.invalidate('token-1');
    assert.deepEqual(await cache.get(), { ok: true, value: 'token-2' });
    cache.invalidate('token-1');
    assert.deepEqual(await cache.get(), { ok: true, value: 'token-2' });
    assert.equal(endpoint.issued(), 2);
  });

  it('does not cache a failure: the next caller asks again', async () => {
    let calls = 0;
    const failure = createScimClientError({
      kind: 'unreachable',
      phase: 'token',
      request: 'POST x',
      message: 'down',
    });
    const cache = createTokenCache({
      fetchToken: async () => {
        calls++;
        return calls === 1
          ? { ok: false, error: failure }
          : { ok: true, value: { accessToken: 't', expiresInSeconds: 60 } };
      },
    });
    const [first, second] = await Promise.all([cache.get(), cache.get()]);
    assert.equal(first.ok, false);
    assert.equal(second.ok, false);
    assert.deepEqual(await cache.get(), { ok: true, value: 't' });
    assert.equal(calls, 2);
  });
});
