import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchOptions } from './bench-options.ts';

describe('parseBenchOptions', () => {
  it('has the defaults of the issue', () => {
    assert.deepEqual(parseBenchOptions([]), {
      users: 1_000_000,
      groups: 10_000,
      duration: 10,
      warmup: 3,
      connections: 32,
      transactionRows: 50_000,
      postgres: false,
      keep: false,
      cpuProf: false,
    });
  });

  it('reads numbers with separators and the flags', () => {
    const options = parseBenchOptions([
      '--users',
      '100_000',
      '--groups=1,000',
      '--duration',
      '5',
      '--postgres',
      '--keep',
    ]);
    assert.equal(options?.users, 100_000);
    assert.equal(options?.groups, 1000);
    assert.equal(options?.duration, 5);
    assert.equal(options?.postgres, true);
    assert.equal(options?.keep, true);
  });

  it('returns undefined for --help and names a bad option', () => {
    assert.equal(parseBenchOptions(['--help']), undefined);
    assert.throws(() => parseBenchOptions(['--users', 'many']), /--users must be an integer/);
    assert.throws(() => parseBenchOptions(['--duration', '0']), /--duration must be an integer ≥ 1/);
    assert.throws(() => parseBenchOptions(['--bogus']), /Unknown option/);
  });
});
