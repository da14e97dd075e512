/**
 * Okta's documented requests. Source: Okta developer documentation, "SCIM 2.0 Protocol Reference"
 * (packages/@okta/vuepress-site/docs/reference/scim/scim-20).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatchOperations } from '../patch/apply-patch-operations.ts';
import { parsePatchRequest } from '../patch/parse-patch-request.ts';
import { planMemberPatch } from '../patch/plan-member-patch.ts';
import { normalizeResource } from '../resource/normalize-resource.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');

describe('Okta user requests', () => {
  const created = normalizeResource(
    USER,
    {
      schemas: [USER_SCHEMA],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    },
    'create',
  );

  it('"Create the User": password split out, empty readOnly groups ignored', () => {
    assert.equal(created.password, '1mz050nq');
    assert.deepEqual(created.doc, {
      schemas: [USER_SCHEMA],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
    });
  });

  it('"Update a specific User (PUT)": id, meta and groups sent back are ignored', () => {
    const { doc, password } = normalizeResource(
      USER,
      {
        schemas: [USER_SCHEMA],
        id: '23a35c27-23d3-4c03-b4c5-6443c09e7173',
        userName: 'test.user@okta.local',
        name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
        emails: [
          { primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' },
        ],
        active: true,
        groups: [],
        meta: { resourceType: 'User' },
      },
      'replace',
    );
    assert.equal(password, undefined);
    assert.deepEqual(doc, {
      schemas: [USER_SCHEMA],
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
      emails: [
        { primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' },
      ],
      active: true,
    });
  });

  it('"Update a specific User (PATCH)": deactivation is a pathless replace of active', () => {
    const result = applyPatchOperations(
      USER,
      created.doc,
      parsePatchRequest({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', value: { active: false } }],
      }),
    );
    assert.deepEqual(result, { ...created.doc, active: false });
  });
});

describe('Okta group requests', () => {
  const GROUP_ID = 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b';

  it('"Create Groups": an empty members list', () => {
    assert.deepEqual(
      normalizeResource(
        GROUP,
        { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [] },
        'create',
      ),
      { doc: { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2' }, members: [] },
    );
  });

  it('"Update a specific Group name": a pathless replace that echoes the readOnly id', () => {
    const operations = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', value: { id: GROUP_ID, displayName: 'Test SCIMv20' } }],
    });
    const { memberChanges, otherOps } = planMemberPatch(operations);
    assert.deepEqual(memberChanges, []);
    const result = applyPatchOperations(
      GROUP,
      { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2' },
      otherOps,
    );
    assert.deepEqual(result, { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv20' });
  });

  it('"Update specific Group membership": remove by filter, add with display', () => {
    const operations = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'remove', path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' },
        {
          op: 'add',
          path: 'members',
          value: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }],
        },
      ],
    });
    assert.deepEqual(planMemberPatch(operations), {
      memberChanges: [
        { kind: 'remove', values: ['89bb1940-b905-4575-9e7f-6f887cfb368e'] },
        { kind: 'add', members: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173' }] },
      ],
      otherOps: [],
    });
  });

  it('"Update specific Group membership": a full push with replace', () => {
    const operations = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        {
          op: 'replace',
          path: 'members',
          value: [
            { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' },
            { value: '89bb1940-b905-4575-9e7f-6f887cfb368e', display: 'test.user@okta.local' },
          ],
        },
      ],
    });
    assert.deepEqual(planMemberPatch(operations).memberChanges, [
      {
        kind: 'replaceAll',
        members: [
          { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173' },
          { value: '89bb1940-b905-4575-9e7f-6f887cfb368e' },
        ],
      },
    ]);
  });
});
