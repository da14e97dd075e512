import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePaging } from './parse-paging.ts';
import { RamScimError } from './scim-error-reply.ts';

const LIMITS = { defaultPageSize: 30, maxPageSize: 100 };

describe('parsePaging', () => {
  it('defaults to the first 30, clamps to 1…, 0…100', () => {
    assert.deepEqual(parsePaging({}, LIMITS), { startIndex: 1, count: 30 });
    assert.deepEqual(parsePaging({ startIndex: '0', count: '-5' }, LIMITS), { startIndex: 1, count: 0 });
    assert.deepEqual(parsePaging({ startIndex: '101', count: '1000' }, LIMITS), {
      startIndex: 101,
      count: 100,
    });
  });

  it('refuses what is not an integer with 400 invalidValue', () => {
    for (const query of [{ count: '1.5' }, { startIndex: 'one' }, { count: ['1', '2'] }]) {
      assert.throws(
        () => parsePaging(query, LIMITS),
        (error) => error instanceof RamScimError && error.status === 400 && error.scimType === 'invalidValue',
      );
    }
  });
});
