import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatObjectGuid, parseObjectGuid } from './object-guid.ts';

describe('objectGUID', () => {
  it('renders the first three groups little-endian, the rest in byte order', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    assert.equal(formatObjectGuid(bytes), '33221100-5544-7766-8899-aabbccddeeff');
  });

  it('parses back to the stored bytes, and refuses other lengths', () => {
    const bytes = Buffer.from('6fa1b2c3d4e5f60718293a4b5c6d7e8f', 'hex');
    assert.deepEqual(parseObjectGuid(formatObjectGuid(bytes) ?? ''), bytes);
    assert.equal(formatObjectGuid(Buffer.alloc(15)), undefined);
    assert.equal(parseObjectGuid('not-a-guid'), undefined);
  });
});
