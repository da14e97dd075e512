/**
 * Microsoft Entra ID's documented requests, in its default mode and with `aadOptscim062020`.
 * Sources: Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint in
 * Microsoft Entra ID" and "Known issues and resolutions with SCIM 2.0 protocol compliance of the
 * Microsoft Entra user provisioning service".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateFilter } from '../filter/evaluate-filter.ts';
import type { Filter } from '../filter/filter-ast.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import { resolveFilter } from '../filter/resolve-filter.ts';
import { applyPatchOperations } from '../patch/apply-patch-operations.ts';
import { parsePatchRequest } from '../patch/parse-patch-request.ts';
import { planMemberPatch } from '../patch/plan-member-patch.ts';
import { normalizeResource } from '../resource/normalize-resource.ts';
import type { ScimDocument } from '../resource/scim-document.ts';
import { findSubAttribute, getResourceType, resolveAttribute } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import { coerceEntraManagerString } from './coerce-entra-manager-string.ts';
import { coerceEntraStringBoolean } from './coerce-entra-string-boolean.ts';
import { foldEntraValuePathSubAttribute } from './fold-entra-value-path-sub-attribute.ts';
import { isIgnorableEntraSchemaUrn } from './is-ignorable-entra-schema-urn.ts';
import { normalizeEntraPatchOp } from './normalize-entra-patch-op.ts';
import { resolveEntraUnqualifiedExtensionAttribute } from './resolve-entra-unqualified-extension-attribute.ts';
import { unwrapEntraSingleValueArray } from './unwrap-entra-single-value-array.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');
const MANAGER = resolveAttribute(USER, { uri: ENTERPRISE_USER_SCHEMA, name: 'manager' })!.definition;

/** A user as Entra's create request leaves it (tutorial, "Create User"). */
const CREATED: ScimDocument = normalizeResource(
  USER,
  {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
    active: true,
    emails: [
      { primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' },
    ],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
  },
  'create',
).doc;

const patchUser = (doc: ScimDocument, body: unknown) =>
  applyPatchOperations(USER, doc, parsePatchRequest(body));

describe('Entra ID quirk helpers', () => {
  it('coerceEntraStringBoolean: "True" / "false" in any case become booleans, nothing else changes', () => {
    assert.equal(coerceEntraStringBoolean('False'), false);
    assert.equal(coerceEntraStringBoolean('TRUE'), true);
    assert.equal(coerceEntraStringBoolean('yes'), 'yes');
    assert.equal(coerceEntraStringBoolean(0), 0);
  });

  it('normalizeEntraPatchOp: op names in any case', () => {
    assert.equal(normalizeEntraPatchOp('Add'), 'add');
    assert.equal(normalizeEntraPatchOp('Replace'), 'replace');
    assert.equal(normalizeEntraPatchOp('REMOVE'), 'remove');
    assert.equal(normalizeEntraPatchOp('merge'), undefined);
    assert.equal(normalizeEntraPatchOp(1), undefined);
  });

  it('unwrapEntraSingleValueArray: a one-element array for a single-valued attribute', () => {
    assert.deepEqual(unwrapEntraSingleValueArray(MANAGER, [{ value: 'm1' }]), { value: 'm1' });
    assert.deepEqual(unwrapEntraSingleValueArray(MANAGER, [{ value: 'm1' }, { value: 'm2' }]), [
      { value: 'm1' },
      { value: 'm2' },
    ]);
    const emails = resolveAttribute(USER, { name: 'emails' })!.definition;
    assert.deepEqual(unwrapEntraSingleValueArray(emails, [{ value: 'a' }]), [{ value: 'a' }]);
  });

  it('coerceEntraManagerString: the manager id as a plain string', () => {
    assert.deepEqual(coerceEntraManagerString(MANAGER, '123456'), { value: '123456' });
    assert.deepEqual(coerceEntraManagerString(MANAGER, { value: '1' }), { value: '1' });
    const name = resolveAttribute(USER, { name: 'name' })!.definition;
    assert.equal(coerceEntraManagerString(name, 'Barbara'), 'Barbara');
    assert.equal(findSubAttribute(MANAGER, 'value')?.name, 'value');
  });

  it('foldEntraValuePathSubAttribute: the tutorial\'s emails[type eq "work"].value eq "…" lookup', () => {
    const work = 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com';
    const type: Filter = { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' };
    const value: Filter = { kind: 'compare', path: { name: 'value' }, op: 'eq', value: work };
    assert.deepEqual(foldEntraValuePathSubAttribute({ name: 'emails' }, type, value), {
      kind: 'valuePath',
      path: { name: 'emails' },
      filter: { kind: 'and', left: type, right: value },
    });
    const matches = (text: string) => evaluateFilter(resolveFilter(parseFilter(text), USER), CREATED, USER);
    assert.ok(matches(`emails[type eq "work"].value eq "${work}"`));
    assert.ok(!matches(`emails[type eq "home"].value eq "${work}"`));
    assert.ok(matches('emails[type eq "work"].value pr and userName pr'));
  });

  it("isIgnorableEntraSchemaUrn: the two URNs of Entra's documented requests, any case", () => {
    assert.ok(
      isIgnorableEntraSchemaUrn('http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'),
    );
    assert.ok(isIgnorableEntraSchemaUrn('urn:ietf:params:scim:schemas:extension:enterprise:2.0User'));
    assert.ok(!isIgnorableEntraSchemaUrn('urn:ietf:params:scim:schemas:extension:other:2.0:User'));
  });

  it('resolveEntraUnqualifiedExtensionAttribute: "manager" resolves in the enterprise extension', () => {
    const resolved = resolveEntraUnqualifiedExtensionAttribute(USER, { name: 'Manager', sub: 'value' });
    assert.equal(resolved?.schema, ENTERPRISE_USER_SCHEMA);
    assert.equal(resolved?.subDefinition?.name, 'value');
    assert.equal(resolveEntraUnqualifiedExtensionAttribute(USER, { name: 'shoeSize' }), undefined);
    assert.equal(
      resolveEntraUnqualifiedExtensionAttribute(USER, { uri: USER_SCHEMA, name: 'manager' }),
      undefined,
    );
  });
});

describe('Entra ID create requests', () => {
  it('"Create User": readOnly meta ignored, empty roles dropped', () => {
    assert.deepEqual(CREATED, {
      schemas: [USER_SCHEMA],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [
        { primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' },
      ],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    });
  });

  it('"Example 2. Provision a user": a misspelt extension URN and null placeholders for unknown names', () => {
    const { doc } = normalizeResource(
      USER,
      {
        schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
        active: true,
        addresses: null,
        displayName: 'Joy Young',
        emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
        meta: { resourceType: 'User' },
        name: { familyName: 'Young', givenName: 'Joy' },
        phoneNumbers: null,
        preferredLanguage: null,
        title: null,
        department: null,
        manager: null,
      },
      'create',
    );
    assert.deepEqual(doc, {
      schemas: [USER_SCHEMA],
      externalId: 'jyoung',
      userName: 'jyoung@testuser.com',
      active: true,
      displayName: 'Joy Young',
      emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
      name: { familyName: 'Young', givenName: 'Joy' },
    });
  });

  it('the enterprise manager sent as a plain id string (tutorial, "Design your user and group schema")', () => {
    const { doc } = normalizeResource(
      USER,
      {
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: 'bjensen@testuser.com',
        [ENTERPRISE_USER_SCHEMA]: { manager: '123456' },
      },
      'create',
    );
    assert.deepEqual(doc[ENTERPRISE_USER_SCHEMA], { manager: { value: '123456' } });
  });

  it('"Create Group": the ADSCIM group schema URN is ignored, no members', () => {
    const result = normalizeResource(
      GROUP,
      {
        schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      },
      'create',
    );
    assert.deepEqual(result, {
      doc: {
        schemas: [GROUP_SCHEMA],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
      },
    });
  });
});

describe('Entra ID user PATCH requests', () => {
  it('"Update User [Multi-valued properties]"', () => {
    const result = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    assert.deepEqual(result.emails, [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    assert.deepEqual(result.name, {
      formatted: 'givenName familyName',
      familyName: 'updatedFamilyName',
      givenName: 'givenName',
    });
  });

  it('"Update User [Single-valued properties]"', () => {
    const result = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
      ],
    });
    assert.equal(result.userName, '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
  });

  it('"Requests made to disable users": "False" without the flag, false with it', () => {
    const withoutFlag = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    const withFlag = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    assert.equal(withoutFlag.active, false);
    assert.deepEqual(withoutFlag, withFlag);
  });

  it('"Requests to add a single-value string attribute": Add on a previously empty attribute sets it', () => {
    for (const op of ['Add', 'add']) {
      const result = patchUser(CREATED, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op, path: 'nickName', value: 'Babs' }],
      });
      assert.equal(result.nickName, 'Babs');
    }
  });

  it('Add on a previously empty value-filtered attribute creates the value (emails[type eq "work"].value)', () => {
    const withoutWorkEmail = { schemas: [USER_SCHEMA], userName: 'u' };
    const result = patchUser(withoutWorkEmail, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'u@contoso.com' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
        { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
      ],
    });
    assert.deepEqual(result.emails, [{ type: 'work', value: 'u@contoso.com' }]);
    assert.deepEqual(result.phoneNumbers, [{ type: 'mobile', value: '+1 555 0100' }]);
    assert.deepEqual(result.addresses, [{ type: 'work', postalCode: '98052' }]);
  });

  it('"Requests to replace multiple attributes": path per attribute without the flag, one pathless replace with dotted and URN keys with it', () => {
    const expected = (
      email: string,
      displayName: string,
      givenName: string,
      familyName: string,
      employeeNumber: string,
    ) => ({
      ...CREATED,
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      displayName,
      emails: [{ primary: true, type: 'work', value: email }],
      name: { formatted: 'givenName familyName', givenName, familyName },
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber },
    });
    const withoutFlag = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: `${ENTERPRISE_USER_SCHEMA}:employeeNumber`, value: 'Eqpj' },
      ],
    });
    assert.deepEqual(withoutFlag, {
      ...expected('TestBcwqnm@test.microsoft.com', 'Pvlo', 'Gtfd', 'Pkqf', 'Eqpj'),
      externalId: 'Eqpj',
    });
    const withFlag = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
        {
          op: 'replace',
          value: {
            displayName: 'Bjfe',
            'name.givenName': 'Kkom',
            'name.familyName': 'Unua',
            [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: 'Aklq',
          },
        },
      ],
    });
    assert.deepEqual(withFlag, expected('TestMhvaes@test.microsoft.com', 'Bjfe', 'Kkom', 'Unua', 'Aklq'));
  });

  it('"Example 5": Add manager with an unqualified path and the value wrapped in an array', () => {
    const result = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        {
          op: 'Add',
          path: 'manager',
          value: [
            {
              $ref: 'http://example.com/scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
              value: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
            },
          ],
        },
      ],
    });
    assert.deepEqual(result[ENTERPRISE_USER_SCHEMA], {
      manager: {
        $ref: 'http://example.com/scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        value: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      },
    });
  });

  it('Add manager by its URN path with the manager id as a string', () => {
    const result = patchUser(CREATED, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'Add', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: 'm-42' }],
    });
    assert.deepEqual(result[ENTERPRISE_USER_SCHEMA], { manager: { value: 'm-42' } });
  });
});

describe('Entra ID group PATCH requests', () => {
  const MEMBER = 'f648f8d5ea4e4cd38e9c';

  it('"Update Group [Add Members]" ($ref null)', () => {
    const operations = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: MEMBER }] }],
    });
    assert.deepEqual(planMemberPatch(operations), {
      memberChanges: [{ kind: 'add', members: [{ value: MEMBER }] }],
      otherOps: [],
    });
  });

  it('"Requests made to remove a group member": both forms give the same member change', () => {
    const withoutFlag = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: MEMBER }] }],
    });
    const withFlag = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'remove', path: `members[value eq "${MEMBER}"]` }],
    });
    const expected = { memberChanges: [{ kind: 'remove', values: [MEMBER] }], otherOps: [] };
    assert.deepEqual(planMemberPatch(withoutFlag), expected);
    assert.deepEqual(planMemberPatch(withFlag), expected);
    const group = {
      schemas: [GROUP_SCHEMA],
      displayName: 'G',
      members: [{ value: MEMBER }, { value: 'other' }],
    };
    for (const operations of [withoutFlag, withFlag]) {
      assert.deepEqual(applyPatchOperations(GROUP, group, operations).members, [{ value: 'other' }]);
    }
  });

  it('"Update Group [Non-member attributes]"', () => {
    const operations = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        {
          op: 'Replace',
          path: 'displayName',
          value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
        },
      ],
    });
    const { memberChanges, otherOps } = planMemberPatch(operations);
    assert.deepEqual(memberChanges, []);
    const result = applyPatchOperations(
      GROUP,
      { schemas: [GROUP_SCHEMA], displayName: 'displayName' },
      otherOps,
    );
    assert.equal(result.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
  });
});
