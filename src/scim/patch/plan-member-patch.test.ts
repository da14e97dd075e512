import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.ts';
import { PATCH_OP_SCHEMA } from '../schema/schema-urns.ts';
import { applyMemberChanges } from './apply-member-changes.ts';
import { parsePatchRequest } from './parse-patch-request.ts';
import { planMemberPatch } from './plan-member-patch.ts';

const plan = (...Operations: unknown[]) =>
  planMemberPatch(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }));

describe('planMemberPatch', () => {
  it('turns add members into an add of canonical member refs', () => {
    assert.deepEqual(
      plan({
        op: 'add',
        path: 'members',
        value: [
          { value: 'u1', display: 'x' },
          { value: 'g1', type: 'group' },
        ],
      }),
      {
        memberChanges: [{ kind: 'add', members: [{ value: 'u1' }, { value: 'g1', type: 'Group' }] }],
        otherOps: [],
      },
    );
    assert.deepEqual(plan({ op: 'add', path: 'MEMBERS', value: { value: 'u1' } }).memberChanges, [
      { kind: 'add', members: [{ value: 'u1' }] },
    ]);
  });

  it('turns remove members with a value into a removal of those ids', () => {
    assert.deepEqual(
      plan({ op: 'remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }).memberChanges,
      [{ kind: 'remove', values: ['u1', 'u2'] }],
    );
  });

  it('turns members[value eq "id"] (and or-ed ids) into the fast removal; any other filter into removeWhere', () => {
    assert.deepEqual(plan({ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }).memberChanges, [
      { kind: 'remove', values: ['u1', 'u2'] },
    ]);
    assert.deepEqual(plan({ op: 'remove', path: 'members[type eq "Group"]' }).memberChanges, [
      { kind: 'removeWhere', filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'Group' } },
    ]);
  });

  it('turns remove members without value into removeAll, and replace members into replaceAll', () => {
    assert.deepEqual(
      plan({ op: 'remove', path: 'members' }, { op: 'replace', path: 'members', value: [{ value: 'u3' }] })
        .memberChanges,
      [{ kind: 'removeAll' }, { kind: 'replaceAll', members: [{ value: 'u3' }] }],
    );
    assert.deepEqual(plan({ op: 'replace', path: 'members', value: [] }).memberChanges, [
      { kind: 'replaceAll', members: [] },
    ]);
  });

  it('splits members out of a pathless value and keeps the other attributes, in order', () => {
    const result = plan(
      { op: 'replace', path: 'displayName', value: 'A' },
      { op: 'replace', value: { displayName: 'B', members: [{ value: 'u1' }] } },
      { op: 'add', value: { 'urn:ietf:params:scim:schemas:core:2.0:Group:members': [{ value: 'u2' }] } },
    );
    assert.deepEqual(result.memberChanges, [
      { kind: 'replaceAll', members: [{ value: 'u1' }] },
      { kind: 'add', members: [{ value: 'u2' }] },
    ]);
    assert.deepEqual(result.otherOps, [
      { op: 'replace', path: { attribute: { name: 'displayName' } }, value: 'A' },
      { op: 'replace', value: { displayName: 'B' } },
    ]);
  });

  it('refuses changes to a member in place: mutability', () => {
    for (const operation of [
      { op: 'replace', path: 'members[value eq "u1"].type', value: 'Group' },
      { op: 'replace', path: 'members[value eq "u1"]', value: { value: 'u2' } },
      { op: 'remove', path: 'members.display' },
    ]) {
      assert.throws(
        () => plan(operation),
        (error: unknown) => error instanceof ScimError && error.scimType === 'mutability',
      );
    }
  });

  it('validates member values like a POST', () => {
    assert.throws(
      () => plan({ op: 'add', path: 'members', value: [{ display: 'no id' }] }),
      (error: unknown) => error instanceof ScimError && error.scimType === 'invalidValue',
    );
    assert.throws(
      () => plan({ op: 'remove', path: 'members[nickname eq "x"]' }),
      (error: unknown) => error instanceof ScimError && error.scimType === 'invalidFilter',
    );
  });
});

describe('applyMemberChanges', () => {
  it('applies changes in order without duplicating members', () => {
    const members = applyMemberChanges(
      [{ value: 'u1' }, { value: 'g1', type: 'Group' }],
      [
        { kind: 'add', members: [{ value: 'u1' }, { value: 'u2', type: 'User' }] },
        { kind: 'remove', values: ['u1', 'missing'] },
        {
          kind: 'removeWhere',
          filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'Group' },
        },
      ],
    );
    assert.deepEqual(members, [{ value: 'u2', type: 'User' }]);
    assert.deepEqual(applyMemberChanges(members, [{ kind: 'removeAll' }]), []);
    assert.deepEqual(
      applyMemberChanges(members, [{ kind: 'replaceAll', members: [{ value: 'a' }, { value: 'a' }] }]),
      [{ value: 'a' }],
    );
  });
});
