import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenGroupMembers } from './flatten-group-members.ts';

const sorted = (members: Set<string> | undefined) => [...(members ?? [])].sort();

describe('flattenGroupMembers', () => {
  it('collects transitive users through nested groups', () => {
    const flat = flattenGroupMembers(
      new Map([
        ['all', ['eng', 'sales', 'u0']],
        ['eng', ['u1', 'u2', 'platform']],
        ['platform', ['u3']],
        ['sales', ['u4', 'u1']],
      ]),
    );
    assert.deepEqual(sorted(flat.get('all')), ['u0', 'u1', 'u2', 'u3', 'u4']);
    assert.deepEqual(sorted(flat.get('eng')), ['u1', 'u2', 'u3']);
    assert.deepEqual(sorted(flat.get('platform')), ['u3']);
  });

  it('terminates on cycles and self-membership', () => {
    const flat = flattenGroupMembers(
      new Map([
        ['a', ['b', 'u1', 'a']],
        ['b', ['c', 'u2']],
        ['c', ['a', 'u3']],
        ['empty', []],
      ]),
    );
    for (const group of ['a', 'b', 'c']) assert.deepEqual(sorted(flat.get(group)), ['u1', 'u2', 'u3']);
    assert.deepEqual(sorted(flat.get('empty')), []);
  });
});
