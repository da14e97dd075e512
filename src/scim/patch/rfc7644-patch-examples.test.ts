/**
 * Every worked example of RFC 7644 §3.5.2.1–3, applied to a document (`applyPatchOperations`) and,
 * for Group members, planned as member-table changes (`planMemberPatch` + `applyMemberChanges`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberRef, ScimDocument } from '../resource/scim-document.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import { applyMemberChanges } from './apply-member-changes.ts';
import { applyPatchOperations } from './apply-patch-operations.ts';
import { parsePatchRequest } from './parse-patch-request.ts';
import { planMemberPatch } from './plan-member-patch.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');

const BABS = '2819c223-7f76-453a-919d-413861904646';
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210';
const OTHER = '902c246b-6245-4190-8e05-00816be7344a';

const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });
const babsMember = { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS };
const jamesMember = { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES };

const group = (...ids: string[]): ScimDocument => ({
  schemas: [GROUP_SCHEMA],
  displayName: 'Tour Guides',
  ...(ids.length > 0 ? { members: ids.map((value) => ({ value })) } : {}),
});

/** Applies a Group PATCH both ways and checks they agree on the resulting member ids. */
function patchGroupMembers(initial: readonly string[], request: unknown): string[] {
  const operations = parsePatchRequest(request);
  const viaDocument = applyPatchOperations(GROUP, group(...initial), operations);
  const plan = planMemberPatch(operations);
  assert.deepEqual(plan.otherOps, []);
  const members: MemberRef[] = initial.map((value) => ({ value }));
  const viaTable = applyMemberChanges(members, plan.memberChanges).map((member) => member.value);
  const documentIds = ((viaDocument.members ?? []) as MemberRef[]).map((member) => member.value);
  assert.deepEqual(documentIds, viaTable);
  assert.equal(viaDocument.displayName, 'Tour Guides');
  return viaTable;
}

const BJENSEN: ScimDocument = {
  schemas: [USER_SCHEMA],
  userName: 'bjensen',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [
    {
      type: 'work',
      streetAddress: '100 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      primary: true,
    },
    { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA' },
  ],
};

describe('RFC 7644 §3.5.2.1 Add Operation examples', () => {
  it('adds a member to a group, and changes nothing when it is already a member', () => {
    const request = body({ op: 'add', path: 'members', value: [babsMember] });
    assert.deepEqual(patchGroupMembers([OTHER], request), [OTHER, BABS]);
    assert.deepEqual(patchGroupMembers([OTHER, BABS], request), [OTHER, BABS]);
    assert.deepEqual(planMemberPatch(parsePatchRequest(request)).memberChanges, [
      { kind: 'add', members: [{ value: BABS }] },
    ]);
  });

  it('adds an email and a nickname without a path ("nickname" matches nickName)', () => {
    const request = body({
      op: 'add',
      value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' },
    });
    const start = {
      schemas: [USER_SCHEMA],
      userName: 'bjensen',
      emails: [{ value: 'bjensen@example.com', type: 'work' }],
    };
    const result = applyPatchOperations(USER, start, parsePatchRequest(request));
    assert.deepEqual(result, {
      schemas: [USER_SCHEMA],
      userName: 'bjensen',
      emails: [
        { value: 'bjensen@example.com', type: 'work' },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      nickName: 'Babs',
    });
    // "If the resource already had an existing "nickname", the value is replaced".
    const again = applyPatchOperations(USER, { ...start, nickName: 'Barbie' }, parsePatchRequest(request));
    assert.equal(again.nickName, 'Babs');
  });
});

describe('RFC 7644 §3.5.2.2 Remove Operation examples', () => {
  it('removes a single member', () => {
    const request = body({ op: 'remove', path: `members[value eq "${BABS}"]` });
    assert.deepEqual(patchGroupMembers([BABS, OTHER], request), [OTHER]);
    assert.deepEqual(planMemberPatch(parsePatchRequest(request)).memberChanges, [
      { kind: 'remove', values: [BABS] },
    ]);
  });

  it('removes all members', () => {
    const request = body({ op: 'remove', path: 'members' });
    assert.deepEqual(patchGroupMembers([BABS, OTHER], request), []);
    const result = applyPatchOperations(GROUP, group(BABS, OTHER), parsePatchRequest(request));
    assert.deepEqual(result, group());
    assert.deepEqual(planMemberPatch(parsePatchRequest(request)).memberChanges, [{ kind: 'removeAll' }]);
  });

  it('removes the emails a filter selects', () => {
    const request = body({ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' });
    const result = applyPatchOperations(USER, BJENSEN, parsePatchRequest(request));
    assert.deepEqual(result.emails, [{ value: 'babs@jensen.org', type: 'home' }]);
  });

  it('removes one member and adds another in one request ("value eq\\"…\\"" without a space)', () => {
    const request = body(
      { op: 'remove', path: `members[value eq"${BABS}"]` },
      { op: 'add', path: 'members', value: [jamesMember] },
    );
    assert.deepEqual(patchGroupMembers([BABS, OTHER], request), [OTHER, JAMES]);
  });

  it('replaces all members with a remove followed by an add', () => {
    const request = body(
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [babsMember, jamesMember] },
    );
    assert.deepEqual(patchGroupMembers([OTHER], request), [BABS, JAMES]);
  });
});

describe('RFC 7644 §3.5.2.3 Replace Operation examples', () => {
  it('replaces all members', () => {
    const request = body({ op: 'replace', path: 'members', value: [babsMember, jamesMember] });
    assert.deepEqual(patchGroupMembers([OTHER], request), [BABS, JAMES]);
    assert.deepEqual(planMemberPatch(parsePatchRequest(request)).memberChanges, [
      { kind: 'replaceAll', members: [{ value: BABS }, { value: JAMES }] },
    ]);
  });

  it('replaces the work address', () => {
    const workAddress = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    };
    const request = body({ op: 'replace', path: 'addresses[type eq "work"]', value: workAddress });
    const result = applyPatchOperations(USER, BJENSEN, parsePatchRequest(request));
    assert.deepEqual(result.addresses, [workAddress, (BJENSEN.addresses as unknown[])[1]]);
  });

  it('replaces the street address of the work address', () => {
    const request = body({
      op: 'replace',
      path: 'addresses[type eq "work"].streetAddress',
      value: '1010 Broadway Ave',
    });
    const result = applyPatchOperations(USER, BJENSEN, parsePatchRequest(request));
    assert.deepEqual(result.addresses, [
      {
        type: 'work',
        streetAddress: '1010 Broadway Ave',
        locality: 'Hollywood',
        region: 'CA',
        primary: true,
      },
      (BJENSEN.addresses as unknown[])[1],
    ]);
  });

  it('replaces all emails and the nickname without a path', () => {
    const emails = [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ];
    const request = body({ op: 'replace', value: { emails, nickname: 'Babs' } });
    const start = { ...BJENSEN, emails: [{ value: 'old@example.com', type: 'other' }], nickName: 'Barbie' };
    const result = applyPatchOperations(USER, start, parsePatchRequest(request));
    assert.deepEqual(result.emails, emails);
    assert.equal(result.nickName, 'Babs');
  });
});
