import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError, type ScimType } from '../errors.ts';
import type { ScimDocument } from '../resource/scim-document.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import { applyPatchOperations } from './apply-patch-operations.ts';
import { parsePatchRequest } from './parse-patch-request.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');

function assertScimError(fn: () => unknown, scimType: ScimType, detail?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType, error.message);
    if (detail !== undefined) assert.match(error.message, detail);
    return true;
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const DOC: ScimDocument = deepFreeze({
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', manager: { value: 'm1' } },
});

const patch = (doc: ScimDocument, ...Operations: unknown[]) =>
  applyPatchOperations(USER, doc, parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }));

describe('applyPatchOperations', () => {
  it('never mutates its input (the input here is deeply frozen)', () => {
    const result = patch(
      DOC,
      { op: 'replace', path: 'name.givenName', value: 'Babs' },
      { op: 'add', path: 'emails', value: { value: 'x@y.z', type: 'other' } },
      { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:manager` },
    );
    assert.deepEqual(result.name, { givenName: 'Babs', familyName: 'Jensen' });
    assert.equal((DOC.name as { givenName: string }).givenName, 'Barbara');
  });

  it('is all-or-nothing: one failing operation fails the request', () => {
    assertScimError(
      () =>
        patch(
          DOC,
          { op: 'replace', path: 'displayName', value: 'Babs' },
          { op: 'replace', path: 'active', value: 'maybe' },
        ),
      'invalidValue',
      /"active": expected a boolean/,
    );
  });

  describe('add (RFC 7644 §3.5.2.1)', () => {
    it('sets an attribute that had no value, and replaces a single value that had one', () => {
      assert.equal(patch(DOC, { op: 'add', path: 'nickName', value: 'Babs' }).nickName, 'Babs');
      assert.equal(patch(DOC, { op: 'add', path: 'userName', value: 'babs' }).userName, 'babs');
    });

    it('merges sub-attributes into a complex attribute', () => {
      const result = patch(DOC, { op: 'add', path: 'name', value: { middleName: 'Jane' } });
      assert.deepEqual(result.name, { givenName: 'Barbara', familyName: 'Jensen', middleName: 'Jane' });
    });

    it('appends to a multi-valued attribute, accepting one value or an array, skipping identical values', () => {
      const result = patch(
        DOC,
        { op: 'add', path: 'phoneNumbers', value: { value: '555', type: 'work' } },
        { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] },
      );
      assert.deepEqual(result.phoneNumbers, [{ value: '555', type: 'work' }]);
      assert.deepEqual(result.emails, DOC.emails);
    });

    it('adding a primary value makes the others non-primary (RFC 7644 §3.5.2)', () => {
      const result = patch(DOC, {
        op: 'add',
        path: 'emails',
        value: [{ value: 'new@x', type: 'other', primary: true }],
      });
      assert.deepEqual(result.emails, [
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@jensen.org', type: 'home' },
        { value: 'new@x', type: 'other', primary: true },
      ]);
    });

    it('sets a sub-attribute of the values a filter selects, or creates the value the filter describes', () => {
      const existing = patch(DOC, { op: 'add', path: 'emails[type eq "home"].display', value: 'Home' });
      assert.deepEqual((existing.emails as unknown[])[1], {
        value: 'babs@jensen.org',
        type: 'home',
        display: 'Home',
      });
      const created = patch(DOC, {
        op: 'add',
        path: 'phoneNumbers[type eq "mobile"].value',
        value: '555-4444',
      });
      assert.deepEqual(created.phoneNumbers, [{ type: 'mobile', value: '555-4444' }]);
    });

    it('cannot create a value from a filter that does not describe one: noTarget', () => {
      assertScimError(
        () => patch(DOC, { op: 'add', path: 'phoneNumbers[type ne "work"].value', value: '1' }),
        'noTarget',
      );
    });

    it('adds extension attributes by URN path, by extension URN, and without a path', () => {
      const byPath = patch(DOC, { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Tours' });
      const byUrn = patch(DOC, { op: 'add', path: ENTERPRISE_USER_SCHEMA, value: { department: 'Tours' } });
      const pathless = patch(DOC, {
        op: 'add',
        value: { [ENTERPRISE_USER_SCHEMA]: { department: 'Tours' } },
      });
      for (const result of [byPath, byUrn, pathless]) {
        assert.deepEqual(result[ENTERPRISE_USER_SCHEMA], {
          employeeNumber: '701984',
          manager: { value: 'm1' },
          department: 'Tours',
        });
      }
    });

    it('adds the extension URN to schemas when an extension gets its first value', () => {
      const plain = { schemas: [USER_SCHEMA], userName: 'a' };
      const result = patch(plain, { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:costCenter`, value: '4130' });
      assert.deepEqual(result, {
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: 'a',
        [ENTERPRISE_USER_SCHEMA]: { costCenter: '4130' },
      });
    });
  });

  describe('replace (RFC 7644 §3.5.2.3)', () => {
    it('treats an attribute without a value as an add', () => {
      assert.equal(patch(DOC, { op: 'replace', path: 'title', value: 'Guide' }).title, 'Guide');
    });

    it('merges a complex value: sub-attributes not given are left unchanged', () => {
      const result = patch(DOC, { op: 'replace', path: 'name', value: { givenName: 'Babs' } });
      assert.deepEqual(result.name, { givenName: 'Babs', familyName: 'Jensen' });
    });

    it('replaces every value of a multi-valued attribute without filter', () => {
      const result = patch(DOC, { op: 'replace', path: 'emails', value: [{ value: 'only@x' }] });
      assert.deepEqual(result.emails, [{ value: 'only@x' }]);
    });

    it('fails with noTarget when the filter selects no value', () => {
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'emails[type eq "other"].value', value: 'x@y' }),
        'noTarget',
        /matches no value of "emails"/,
      );
    });

    it('setting primary on one value unsets it on the others', () => {
      const result = patch(DOC, { op: 'replace', path: 'emails[type eq "home"].primary', value: true });
      assert.deepEqual(result.emails, [
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@jensen.org', type: 'home', primary: true },
      ]);
    });

    it('unassigns with a null or empty value', () => {
      const result = patch(
        DOC,
        { op: 'replace', path: 'name.givenName', value: null },
        { op: 'replace', path: 'emails', value: [] },
      );
      assert.deepEqual(result.name, { familyName: 'Jensen' });
      assert.equal(result.emails, undefined);
    });

    it('ignores readOnly attributes inside a pathless value, as a PUT does', () => {
      const result = patch(DOC, {
        op: 'replace',
        value: { id: 'x', meta: { version: 'W/"1"' }, displayName: 'Babs' },
      });
      assert.equal(result.displayName, 'Babs');
      assert.equal(result.id, undefined);
    });
  });

  describe('remove (RFC 7644 §3.5.2.2)', () => {
    it('removes single values, sub-attributes and whole extensions', () => {
      const result = patch(
        DOC,
        { op: 'remove', path: 'name.givenName' },
        { op: 'remove', path: ENTERPRISE_USER_SCHEMA.toLowerCase() },
      );
      assert.deepEqual(result, {
        schemas: [USER_SCHEMA],
        userName: 'bjensen',
        name: { familyName: 'Jensen' },
        emails: DOC.emails,
      });
    });

    it('removes a sub-attribute of the values a filter selects', () => {
      const result = patch(DOC, { op: 'remove', path: 'emails[type eq "work"].primary' });
      assert.deepEqual(result.emails, [
        { value: 'bjensen@example.com', type: 'work' },
        { value: 'babs@jensen.org', type: 'home' },
      ]);
    });

    it('removes nothing, without error, when the filter selects nothing', () => {
      assert.deepEqual(patch(DOC, { op: 'remove', path: 'emails[type eq "other"]' }), DOC);
    });

    it('removes the values given in "value" from a multi-valued attribute', () => {
      const result = patch(DOC, { op: 'remove', path: 'emails', value: [{ value: 'BABS@jensen.org' }] });
      assert.deepEqual(result.emails, [{ value: 'bjensen@example.com', type: 'work', primary: true }]);
    });

    it('refuses to remove a required attribute: mutability', () => {
      assertScimError(
        () => patch(DOC, { op: 'remove', path: 'userName' }),
        'mutability',
        /"userName" is required/,
      );
      const group = { schemas: [GROUP_SCHEMA], displayName: 'G' };
      assertScimError(
        () =>
          applyPatchOperations(
            GROUP,
            group,
            parsePatchRequest({
              schemas: [PATCH_OP_SCHEMA],
              Operations: [{ op: 'remove', path: 'displayName' }],
            }),
          ),
        'mutability',
      );
    });
  });

  describe('refuses', () => {
    it('readOnly targets: mutability', () => {
      for (const path of [
        'id',
        'meta',
        'meta.created',
        'groups',
        `${ENTERPRISE_USER_SCHEMA}:manager.displayName`,
      ]) {
        assertScimError(() => patch(DOC, { op: 'replace', path, value: 'x' }), 'mutability', /readOnly/);
        assertScimError(() => patch(DOC, { op: 'remove', path }), 'mutability', /readOnly/);
      }
    });

    it('unknown attributes and misplaced filters: invalidPath', () => {
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'fooBar', value: 1 }),
        'invalidPath',
        /names no attribute/,
      );
      assertScimError(() => patch(DOC, { op: 'replace', value: { fooBar: 1 } }), 'invalidPath');
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'name[givenName eq "x"]', value: {} }),
        'invalidPath',
      );
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'emails[type eq "work"].nope', value: 1 }),
        'invalidPath',
      );
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'emails.value', value: 'x' }),
        'invalidPath',
        /with a filter/,
      );
      assertScimError(
        () => patch(DOC, { op: 'replace', value: { 'emails[type eq "work"].value': 'x' } }),
        'invalidPath',
      );
    });

    it('an element filter on an unknown sub-attribute: invalidFilter', () => {
      assertScimError(() => patch(DOC, { op: 'remove', path: 'emails[color eq "red"]' }), 'invalidFilter');
    });

    it('results a POST would refuse: invalidValue', () => {
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'userName', value: '' }),
        'invalidValue',
        /required/,
      );
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'emails', value: { value: 5 } }),
        'invalidValue',
      );
      assertScimError(
        () =>
          patch(DOC, {
            op: 'replace',
            path: 'emails',
            value: [
              { value: 'a', primary: true },
              { value: 'b', primary: true },
            ],
          }),
        'invalidValue',
        /primary/,
      );
      assertScimError(() => patch(DOC, { op: 'replace', value: 'Babs' }), 'invalidValue', /needs an object/);
    });

    it('a change to an immutable sub-attribute of an existing value: mutability', () => {
      const group = { schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: 'u1', type: 'User' }] };
      const run = (operation: unknown) =>
        applyPatchOperations(
          GROUP,
          group,
          parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [operation] }),
        );
      assertScimError(
        () => run({ op: 'replace', path: 'members[value eq "u1"].type', value: 'Group' }),
        'mutability',
      );
      assertScimError(() => run({ op: 'remove', path: 'members[value eq "u1"].type' }), 'mutability');
      assert.deepEqual(run({ op: 'replace', path: 'members[value eq "u1"].type', value: 'user' }), group);
    });

    it('a password operation that the caller did not take out', () => {
      assertScimError(
        () => patch(DOC, { op: 'replace', path: 'password', value: 'secret' }),
        'invalidPath',
        /password/,
      );
    });
  });
});
