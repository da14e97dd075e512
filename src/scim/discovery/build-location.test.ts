import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLocation } from './build-location.ts';

describe('buildLocation', () => {
  it('joins base URL and path with exactly one slash', () => {
    assert.equal(buildLocation('https://x.test/scim/v2', '/Schemas'), 'https://x.test/scim/v2/Schemas');
    assert.equal(buildLocation('https://x.test/scim/v2//', '/Schemas'), 'https://x.test/scim/v2/Schemas');
    assert.equal(buildLocation('', '/Schemas'), '/Schemas');
  });
});
