import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isRamActionAllowed,
  RAM_FULL_ACCESS_ACTIONS,
  RAM_READ_ONLY_ACTIONS,
  RamActionPatternSchema,
} from './ram-action-permissions.ts';

describe('RAM policy actions for caller AccessKeys', () => {
  it('full access allows every action; "*" too', () => {
    for (const action of ['GetUser', 'DeleteUser', 'UnbindMFADevice']) {
      assert.ok(isRamActionAllowed(RAM_FULL_ACCESS_ACTIONS, action), action);
      assert.ok(isRamActionAllowed(['*'], action), action);
    }
  });

  it('read-only allows Get* and List* only', () => {
    assert.ok(isRamActionAllowed(RAM_READ_ONLY_ACTIONS, 'GetUserMFAInfo'));
    assert.ok(isRamActionAllowed(RAM_READ_ONLY_ACTIONS, 'ListAccessKeys'));
    assert.ok(!isRamActionAllowed(RAM_READ_ONLY_ACTIONS, 'DeleteUser'));
    assert.ok(!isRamActionAllowed(RAM_READ_ONLY_ACTIONS, 'CreateUser'));
  });

  it('matches exact names, wildcards anywhere, and ignores case', () => {
    const patterns = ['ram:DeleteAccessKey', 'ram:*FromUser', 'RAM:deleteuser'];
    assert.ok(isRamActionAllowed(patterns, 'DeleteAccessKey'));
    assert.ok(isRamActionAllowed(patterns, 'DetachPolicyFromUser'));
    assert.ok(isRamActionAllowed(patterns, 'DeleteUser'));
    assert.ok(!isRamActionAllowed(patterns, 'DeleteAccessKeys'));
    assert.ok(!isRamActionAllowed(patterns, 'UnbindMFADevice'));
    assert.ok(!isRamActionAllowed([], 'GetUser'));
  });

  it('refuses patterns that are not RAM actions', () => {
    for (const bad of ['DeleteUser', 'ecs:*', 'ram:', 'ram:Delete User', 'ram:Get?']) {
      assert.ok(!RamActionPatternSchema.safeParse(bad).success, bad);
    }
  });
});
