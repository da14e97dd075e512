import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentiles } from './push-latency.ts';
import { ENGINE_CONCURRENCY, ENGINE_PAGE_CONCURRENCY, parsePushOptions } from './push-options.ts';

describe('parsePushOptions', () => {
  it('defaults to 100,000 users at the engine concurrency with a 30 s latency phase', () => {
    const options = parsePushOptions([]);
    assert.equal(options?.users, 100_000);
    assert.equal(options?.concurrency, ENGINE_CONCURRENCY);
    assert.equal(options?.pageConcurrency, ENGINE_PAGE_CONCURRENCY);
    assert.equal(options?.latencySeconds, 30);
    assert.equal(options?.changesPerSecond, 100);
    assert.equal(options?.rounds, 3);
    assert.equal(options?.pin, true);
  });

  it('turns pinning off with --no-pin', () => {
    assert.equal(parsePushOptions(['--no-pin'])?.pin, false);
    assert.equal(parsePushOptions(['--rounds', '1'])?.rounds, 1);
    assert.throws(() => parsePushOptions(['--rounds', '0']), /--rounds/);
  });

  it('reads sizes with separators and refuses nonsense', () => {
    assert.equal(parsePushOptions(['--users', '20_000'])?.users, 20_000);
    assert.equal(parsePushOptions(['--latency-seconds', '0'])?.latencySeconds, 0);
    assert.equal(parsePushOptions(['--page-concurrency', '4'])?.pageConcurrency, 4);
    assert.throws(() => parsePushOptions(['--page-concurrency', '0']), /--page-concurrency/);
    assert.throws(() => parsePushOptions(['--users', '0']), /--users must be an integer ≥ 1/);
    assert.throws(() => parsePushOptions(['--rate', 'fast']), /--rate/);
    assert.equal(parsePushOptions(['--help']), undefined);
  });
});

describe('percentiles', () => {
  it('takes the nearest-rank p50 and p99 of unsorted values', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    assert.deepEqual(percentiles(values), { count: 100, p50: 51, p99: 100, max: 100 });
  });

  it('gives NaN for no values', () => {
    assert.ok(Number.isNaN(percentiles([]).p99));
  });
});
