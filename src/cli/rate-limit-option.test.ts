import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { describeRateLimit, parseRateLimit } from './rate-limit-option.ts';

describe('--rate-limit', () => {
  it('takes requests per second, a burst after a colon, or off', () => {
    assert.deepEqual(parseRateLimit('20'), { requestsPerSecond: 20 });
    assert.deepEqual(parseRateLimit('20/s'), { requestsPerSecond: 20 });
    assert.deepEqual(parseRateLimit('0.5'), { requestsPerSecond: 0.5 });
    assert.deepEqual(parseRateLimit('20:40'), { requestsPerSecond: 20, burst: 40 });
    assert.equal(parseRateLimit('off'), null);
  });

  it('refuses what is no rate', () => {
    for (const raw of ['', '0', '-5', 'fast', '20:0', '20:1.5', '1e9'])
      assert.throws(() => parseRateLimit(raw), InvalidArgumentError, raw);
  });

  it('reads back in words', () => {
    assert.equal(describeRateLimit(null), 'none');
    assert.equal(
      describeRateLimit({ requestsPerSecond: 20, burst: 40 }),
      '20 requests/s, bursts of 40 (all processes together on PostgreSQL)',
    );
  });
});
