import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_POLICY, decideRetry, isRetryable, type RetryPolicy } from './retry-policy.ts';
import { createScimClientError, type ScimClientErrorInput } from './scim-client-error.ts';

const error = (input: Partial<ScimClientErrorInput>) =>
  createScimClientError({ kind: 'server_error', phase: 'scim', request: 'GET /x', message: 'x', ...input });
const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe('isRetryable', () => {
  it('retries 429 and refused connections for every method', () => {
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
      assert.equal(isRetryable(error({ kind: 'rate_limited', status: 429 }), method), true);
      assert.equal(isRetryable(error({ kind: 'unreachable', networkCode: 'ECONNREFUSED' }), method), true);
      assert.equal(isRetryable(error({ kind: 'server_error', status: 503 }), method), true);
    }
  });

  it('does not repeat a POST or PATCH that may have taken effect', () => {
    for (const method of ['POST', 'PATCH']) {
      assert.equal(isRetryable(error({ kind: 'timeout' }), method), false);
      assert.equal(isRetryable(error({ kind: 'server_error', status: 500 }), method), false);
      assert.equal(isRetryable(error({ kind: 'unreachable', networkCode: 'ECONNRESET' }), method), false);
    }
    assert.equal(isRetryable(error({ kind: 'timeout' }), 'PUT'), true);
    assert.equal(isRetryable(error({ kind: 'server_error', status: 502 }), 'DELETE'), true);
  });

  it('retries any method when it failed at the token endpoint, before the SCIM request was sent', () => {
    assert.equal(isRetryable(error({ kind: 'timeout', phase: 'token' }), 'POST'), true);
    assert.equal(isRetryable(error({ kind: 'server_error', status: 500, phase: 'token' }), 'POST'), true);
  });

  it('never retries what will answer the same', () => {
    for (const kind of [
      'unauthorized',
      'forbidden',
      'not_found',
      'conflict',
      'client_error',
      'tls',
    ] as const) {
      assert.equal(isRetryable(error({ kind }), 'GET'), false, kind);
    }
    assert.equal(isRetryable(error({ kind: 'server_error', status: 501 }), 'GET'), false);
  });
});

describe('decideRetry', () => {
  const retryable = error({ kind: 'server_error', status: 503 });

  it('backs off exponentially with full jitter under a cap', () => {
    const ceilings = [1, 2, 3, 4].map((attempt) => {
      const decision = decideRetry(policy, { attempt, method: 'GET', error: retryable }, () => 0.999999);
      assert.equal(decision.retry, true);
      return decision.retry ? decision.delayMs : -1;
    });
    assert.deepEqual(ceilings, [99, 199, 399, 799]);
    const capped = decideRetry(
      { ...policy, maxAttempts: 20 },
      { attempt: 10, method: 'GET', error: retryable },
      () => 0.999999,
    );
    assert.deepEqual(capped, { retry: true, delayMs: 999 });
    const smallest = decideRetry(policy, { attempt: 3, method: 'GET', error: retryable }, () => 0);
    assert.deepEqual(smallest, { retry: true, delayMs: 0 });
  });

  it('spreads delays over the whole range', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const delays = Array.from({ length: 500 }, () => {
      const decision = decideRetry(policy, { attempt: 4, method: 'GET', error: retryable }, random);
      return decision.retry ? decision.delayMs : -1;
    });
    assert.ok(
      Math.min(...delays) < 100 && Math.max(...delays) > 700,
      `${Math.min(...delays)}..${Math.max(...delays)}`,
    );
  });

  it('waits at least Retry-After, and leaves a longer one to the caller', () => {
    const throttled = error({ kind: 'rate_limited', status: 429, retryAfterMs: 2000 });
    assert.deepEqual(
      decideRetry(policy, { attempt: 1, method: 'POST', error: throttled }, () => 0.5),
      {
        retry: true,
        delayMs: 2000,
      },
    );
    const long = error({ kind: 'rate_limited', status: 429, retryAfterMs: 60_000 });
    assert.deepEqual(decideRetry(policy, { attempt: 1, method: 'GET', error: long }), {
      retry: false,
      reason: 'retry_after_too_long',
    });
  });

  it('stops after maxAttempts and at once for what is not retryable', () => {
    assert.deepEqual(decideRetry(policy, { attempt: 5, method: 'GET', error: retryable }), {
      retry: false,
      reason: 'attempts_exhausted',
    });
    assert.deepEqual(
      decideRetry(DEFAULT_RETRY_POLICY, { attempt: 1, method: 'GET', error: error({ kind: 'forbidden' }) }),
      {
        retry: false,
        reason: 'not_retryable',
      },
    );
  });
});
