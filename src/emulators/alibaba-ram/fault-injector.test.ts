import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFaultInjector } from './fault-injector.ts';

describe('fault injector', () => {
  it('applies faults to their surface, first added first, for as many requests as asked', () => {
    const faults = createFaultInjector();
    faults.add({ status: 503, times: 2 });
    faults.add({ surface: 'token', status: 500 });
    assert.equal(faults.take('scim')?.status, 503);
    assert.equal(faults.take('token')?.status, 500);
    assert.equal(faults.take('scim')?.status, 503);
    assert.equal(faults.take('scim'), undefined);
    assert.equal(faults.take('token')?.status, 500);
    assert.deepEqual(
      faults.list().map(({ surface, hits }) => ({ surface, hits })),
      [{ surface: 'token', hits: 2 }],
    );
    faults.clear();
    assert.equal(faults.take('token'), undefined);
  });

  it('refuses statuses other than 429, 500 and 503', () => {
    assert.throws(() => createFaultInjector().add({ status: 502 as 500 }));
  });
});
