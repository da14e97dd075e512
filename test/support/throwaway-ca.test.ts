import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derInteger } from './throwaway-ca.ts';

describe('the throwaway CA DER encoder', () => {
  it('writes integers in minimal form, as OpenSSL requires of a certificate serial', () => {
    const hex = (value: number[]) => derInteger(Buffer.from(value)).toString('hex');
    assert.equal(hex([0x00, 0x12, 0x34]), '02021234', 'a leading zero byte is padding');
    assert.equal(hex([0x00, 0x00, 0x81]), '02020081', 'one zero stays where the top bit is set');
    assert.equal(hex([0x81]), '02020081');
    assert.equal(hex([0x00]), '020100');
    assert.equal(hex([0x02]), '020102');
  });
});
