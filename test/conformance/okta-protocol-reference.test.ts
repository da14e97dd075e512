/**
 * The requests of Okta's "SCIM 2.0 Protocol Reference", in the order a provisioning integration sends
 * them: lookup, create, import paging, profile update by PUT after a GET, (de)activation by pathless
 * PATCH, and Group Push (create, rename, membership, full push, unlink with delete).
 * Source: developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20 (okta-developer-docs,
 * docs/reference/scim/scim-20/index.md). Ids of the document are replaced by the ones the server made.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conformanceDialects,
  ERROR_SCHEMA,
  filterPath,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
  useConformanceService,
} from './conformance-service.ts';

const OKTA_HEADERS = { 'user-agent': 'Okta SCIM Client 1.0.0' };

const CREATE_USER_BODY = {
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
};

for (const dialect of await conformanceDialects()) {
  describe(`Okta SCIM 2.0 Protocol Reference (${dialect.name})`, () => {
    const client = useConformanceService(dialect);
    const send = (method: string, path: string, body?: unknown) =>
      client.request(method, path, { headers: OKTA_HEADERS, ...(body !== undefined ? { body } : {}) });
    let userId = '';
    let otherUserId = '';
    let groupId = '';
    const memberIds = async () => {
      const response = await send('GET', `Groups/${groupId}`);
      assert.equal(response.status, 200);
      return ((response.body.members ?? []) as { value: string }[]).map((member) => member.value).sort();
    };

    it('"Determine if the User already exists": an empty ListResponse', async () => {
      const response = await send(
        'GET',
        'Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
      );
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: 0,
        itemsPerPage: 0,
        startIndex: 1,
        Resources: [],
      });
    });

    it('"Create the User": 201 with the created user, the password never returned', async () => {
      const response = await send('POST', 'Users', CREATE_USER_BODY);
      assert.equal(response.status, 201, response.text);
      const { password: _password, groups: _groups, ...expected } = CREATE_USER_BODY;
      const { id, meta, ...rest } = response.body;
      assert.deepEqual(rest, expected);
      assert.equal(meta.resourceType, 'User');
      userId = id;
      const other = await send('POST', 'Users', {
        ...CREATE_USER_BODY,
        userName: 'other.user@okta.local',
        externalId: '00ujl29u0le5T6Aj10h8',
      });
      assert.equal(other.status, 201, other.text);
      otherUserId = other.body.id;
    });

    it('"Create the User" again: 409 with an error schema', async () => {
      const response = await send('POST', 'Users', CREATE_USER_BODY);
      assert.equal(response.status, 409);
      assert.deepEqual(response.body.schemas, [ERROR_SCHEMA]);
      assert.equal(response.body.status, '409');
    });

    it('"Retrieve Users": integer paging, stable order across pages of startIndex/count', async () => {
      const all = await send('GET', 'Users?startIndex=1&count=100');
      assert.equal(all.status, 200);
      assert.equal(all.body.totalResults, 2);
      for (const field of ['itemsPerPage', 'startIndex', 'totalResults'])
        assert.ok(Number.isInteger(all.body[field]));
      const pages = [
        await send('GET', 'Users?startIndex=1&count=1'),
        await send('GET', 'Users?startIndex=2&count=1'),
      ];
      assert.deepEqual(
        pages.map((page) => page.body.Resources[0].id),
        all.body.Resources.map((user: { id: string }) => user.id),
      );
    });

    it('"Update a specific User (PUT)": GET, then PUT the body back with the changed attribute', async () => {
      const current = await send('GET', `Users/${userId}`);
      assert.equal(current.status, 200);
      const response = await send('PUT', `Users/${userId}`, {
        schemas: [USER_SCHEMA],
        id: userId,
        userName: 'test.user@okta.local',
        name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
        emails: [
          { primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' },
        ],
        active: true,
        groups: [],
        meta: { resourceType: 'User' },
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.name, {
        givenName: 'Another',
        middleName: 'Excited',
        familyName: 'User',
      });
      assert.equal(response.body.emails[0].display, 'test.user@okta.local');
      // PUT replaces: attributes absent from the body are gone (RFC 7644 §3.5.1).
      assert.equal(response.body.displayName, undefined);
      assert.equal(response.body.locale, undefined);
    });

    it('"Update a specific User (PATCH)": deactivation is a pathless replace of active', async () => {
      const response = await send('PATCH', `Users/${userId}`, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.active, false);
      assert.equal(response.body.userName, 'test.user@okta.local');
      // A deactivated user is still returned (Okta never deletes users).
      assert.equal((await send('GET', `Users/${userId}`)).body.active, false);
    });

    it('"Update a specific User (PATCH)": activating a user, the same request with true', async () => {
      const response = await send('PATCH', `Users/${userId}`, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', value: { active: true } }],
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.active, true);
    });

    it('"Create Groups": 201 with the group', async () => {
      const response = await send('POST', 'Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Test SCIMv2',
        members: [],
      });
      assert.equal(response.status, 201, response.text);
      assert.deepEqual(response.body.schemas, [GROUP_SCHEMA]);
      assert.equal(response.body.displayName, 'Test SCIMv2');
      assert.equal(response.body.meta.resourceType, 'Group');
      groupId = response.body.id;
    });

    it('"Retrieve Groups" and "Retrieve specific Groups"', async () => {
      const list = await send('GET', 'Groups?startIndex=1&count=100');
      assert.equal(list.status, 200);
      assert.equal(list.body.totalResults, 1);
      assert.equal(list.body.Resources[0].id, groupId);
      const one = await send('GET', `Groups/${groupId}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.displayName, 'Test SCIMv2');
    });

    it('"Update a specific Group name": a pathless replace that echoes the readOnly id → 204', async () => {
      const response = await send('PATCH', `Groups/${groupId}`, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', value: { id: groupId, displayName: 'Test SCIMv20' } }],
      });
      assert.equal(response.status, 204, response.text);
      assert.equal((await send('GET', `Groups/${groupId}`)).body.displayName, 'Test SCIMv20');
    });

    it('"Update specific Group membership": remove by filter and add with display → 204', async () => {
      const response = await send('PATCH', `Groups/${groupId}`, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'remove', path: `members[value eq "${otherUserId}"]` },
          { op: 'add', path: 'members', value: [{ value: userId, display: 'test.user@okta.local' }] },
        ],
      });
      assert.equal(response.status, 204, response.text);
      assert.deepEqual(await memberIds(), [userId]);
    });

    it('"Update specific Group membership": a full push with replace → 204', async () => {
      const response = await send('PATCH', `Groups/${groupId}`, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          {
            op: 'replace',
            path: 'members',
            value: [
              { value: userId, display: 'test.user@okta.local' },
              { value: otherUserId, display: 'test.user@okta.local' },
            ],
          },
        ],
      });
      assert.equal(response.status, 204, response.text);
      assert.deepEqual(await memberIds(), [userId, otherUserId].sort());
    });

    it('"Update specific Group membership" again: the remove by filter now removes a member', async () => {
      const response = await send('PATCH', `Groups/${groupId}`, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'remove', path: `members[value eq "${otherUserId}"]` },
          { op: 'add', path: 'members', value: [{ value: userId, display: 'test.user@okta.local' }] },
        ],
      });
      assert.equal(response.status, 204, response.text);
      assert.deepEqual(await memberIds(), [userId]);
    });

    it('"Update a specific Group name" for App Integration Wizard apps: PUT of the group', async () => {
      const response = await send('PUT', `Groups/${groupId}`, {
        schemas: [GROUP_SCHEMA],
        id: groupId,
        displayName: 'Test SCIMv21',
        members: [{ value: userId, display: 'test.user@okta.local' }],
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.displayName, 'Test SCIMv21');
      assert.deepEqual(await memberIds(), [userId]);
    });

    it('"Delete a specific Group": 204, then the group is gone', async () => {
      const response = await send('DELETE', `Groups/${groupId}`);
      assert.equal(response.status, 204);
      assert.equal(response.text, '');
      const gone = await send('GET', `Groups/${groupId}`);
      assert.equal(gone.status, 404);
      assert.deepEqual(gone.body.schemas, [ERROR_SCHEMA]);
      assert.equal(
        (await send('GET', filterPath('Users', `userName eq "test.user@okta.local"`))).body.totalResults,
        1,
      );
    });
  });
}
