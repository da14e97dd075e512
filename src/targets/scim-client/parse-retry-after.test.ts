import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from './parse-retry-after.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now), 0);
    // The obsolete RFC 850 form still parses.
    assert.equal(parseRetryAfter('Sunday, 01-Jun-25 12:01:00 GMT', now), 60_000);
  });

  it('ignores what is neither', () => {
    for (const value of [undefined, null, '', '-1', '1.5', 'soon', '2025-06-01T12:00:30Z', 'Sun, garbage']) {
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
    }
  });
});
