import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeBackoffMs, decideNextRun } from './next-run.ts';

describe('computeBackoffMs', () => {
  it('doubles the ceiling per attempt, with full jitter, up to five minutes', () => {
    assert.equal(
      computeBackoffMs(1, () => 0.999),
      999,
    );
    assert.equal(
      computeBackoffMs(4, () => 0.5),
      4_000,
    );
    assert.equal(
      computeBackoffMs(30, () => 0.5),
      150_000,
    );
    assert.equal(
      computeBackoffMs(3, () => 0),
      0,
    );
  });
});

describe('decideNextRun', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  it('honours afterMs (Retry-After) and fails when the attempts are spent', () => {
    const next = decideNextRun({ outcome: 'retry', afterMs: 30_000, error: '429' }, 1, 3, now);
    assert.deepEqual(next, { state: 'queued', runAt: new Date('2026-01-01T00:00:30.000Z'), error: '429' });
    assert.deepEqual(decideNextRun({ outcome: 'retry', error: 'x' }, 3, 3, now), {
      state: 'failed',
      error: 'x',
    });
    assert.deepEqual(decideNextRun({ outcome: 'failed', error: 'y' }, 1, 3, now), {
      state: 'failed',
      error: 'y',
    });
    assert.deepEqual(decideNextRun({ outcome: 'done' }, 1, 3, now), { state: 'done' });
  });
});
