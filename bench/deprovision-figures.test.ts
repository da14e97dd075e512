import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goneFigures, parseDeprovisionOptions } from './deprovision-figures.ts';

describe('goneFigures', () => {
  it('takes nearest-rank percentiles of unsorted values: with 50 runs p99 is the largest', () => {
    const values = Array.from({ length: 50 }, (_, index) => 50 - index);
    assert.deepEqual(goneFigures(values), { count: 50, p50: 25, p95: 48, p99: 50, max: 50 });
  });

  it('gives NaN for no values', () => {
    assert.ok(Number.isNaN(goneFigures([]).p99));
  });
});

describe('parseDeprovisionOptions', () => {
  it('defaults to 50 runs of each kind polled every 5 ms, and refuses nonsense', () => {
    assert.deepEqual(parseDeprovisionOptions([]), { runs: 50, pollMs: 5, keep: false });
    assert.equal(parseDeprovisionOptions(['--runs', '3'])?.runs, 3);
    assert.throws(() => parseDeprovisionOptions(['--runs', '0']), /--runs must be an integer ≥ 1/);
    assert.equal(parseDeprovisionOptions(['--help']), undefined);
  });
});
