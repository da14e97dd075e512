import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAdAccountDisabled } from './account-disabled.ts';

describe('isAdAccountDisabled', () => {
  it('reads the ACCOUNTDISABLE bit (0x2) of userAccountControl', () => {
    assert.equal(isAdAccountDisabled('512'), false); // NORMAL_ACCOUNT
    assert.equal(isAdAccountDisabled('514'), true); // NORMAL_ACCOUNT | ACCOUNTDISABLE
    assert.equal(isAdAccountDisabled('66048'), false); // + DONT_EXPIRE_PASSWORD
    assert.equal(isAdAccountDisabled(66050), true);
    assert.equal(isAdAccountDisabled('-2147483646'), true); // signed 32-bit with the high bit set
  });

  it('does not guess when the value is missing or not a number', () => {
    assert.equal(isAdAccountDisabled(undefined), undefined);
    assert.equal(isAdAccountDisabled('TRUE'), undefined);
    assert.equal(isAdAccountDisabled(''), undefined);
  });
});
