import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextScheduledRun } from './source-schedule.ts';

describe('source schedules (cron, UTC)', () => {
  it('gives the next occurrence after a time', () => {
    const next = nextScheduledRun('*/15 * * * *', new Date('2026-11-24T01:07:30Z'));
    assert.deepEqual(next, { ok: true, at: new Date('2026-11-24T01:15:00Z') });
    const nightly = nextScheduledRun('30 2 * * *', new Date('2026-11-24T03:00:00Z'));
    assert.deepEqual(nightly, { ok: true, at: new Date('2026-11-25T02:30:00Z') });
  });

  it('refuses what is not a five-field cron expression, saying why', () => {
    for (const bad of ['every five minutes', '* * * *', '61 * * * *', '* * * * * *']) {
      const result = nextScheduledRun(bad, new Date());
      assert.equal(result.ok, false, bad);
      if (!result.ok) assert.match(result.message, new RegExp(bad.replaceAll('*', '\\*')));
    }
  });
});
