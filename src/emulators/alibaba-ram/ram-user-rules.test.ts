import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainInvalidDisplayName, explainInvalidUserName, foldUserName } from './ram-user-rules.ts';

describe('RAM user names', () => {
  it('accepts 1–64 letters, digits, ".", "-" and "_"', () => {
    for (const name of ['a', 'alice', 'j2gg0screatedbyscim_exa', 'Bob.Lee-2_x', 'x'.repeat(64)]) {
      assert.equal(explainInvalidUserName(name), undefined, name);
    }
  });

  it('refuses the empty name, 65 characters, "@" (a logon name, not a user name) and other characters', () => {
    assert.match(explainInvalidUserName('') ?? '', /1 to 64 characters/);
    assert.match(explainInvalidUserName('x'.repeat(65)) ?? '', /1 to 64 characters long \(got 65\)/);
    assert.match(explainInvalidUserName('alice@example.onaliyun.com') ?? '', /without a domain/);
    assert.match(explainInvalidUserName('alice smith') ?? '', /only letters, digits/);
    assert.match(explainInvalidUserName('张三') ?? '', /only letters, digits/);
  });

  it('folds names for comparison: RAM is not case-sensitive', () => {
    assert.equal(foldUserName('Alice.Smith'), foldUserName('alice.smith'));
  });
});

describe('RAM display names', () => {
  it('counts characters, not UTF-16 units, within 1 to the limit', () => {
    assert.equal(explainInvalidDisplayName('张三', 2), undefined);
    assert.equal(explainInvalidDisplayName('😀😀', 2), undefined);
    assert.match(explainInvalidDisplayName('😀😀😀', 2) ?? '', /1 to 2 characters long \(got 3\)/);
    assert.match(explainInvalidDisplayName('', 128) ?? '', /1 to 128/);
  });
});
