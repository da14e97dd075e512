/**
 * Microsoft Entra ID's provisioning requests in its default mode (no `aadOptscim062020` flag), in the
 * order of a provisioning job: test connection, then the tutorial's user and group operations, then
 * the "without feature flag" requests of the known-issues page. Request bodies are the documented
 * ones; ids are the server's.
 * Sources: Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft
 * Entra ID" (section "SCIM protocol requests and responses", and "Integrate your SCIM endpoint",
 * step "Test Connection"); "Known issues and resolutions with SCIM 2.0 protocol compliance of the
 * Microsoft Entra user provisioning service" (section "Flags to alter the SCIM behavior").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conformanceDialects,
  ENTERPRISE_USER_SCHEMA,
  ERROR_SCHEMA,
  filterPath,
  PATCH_OP_SCHEMA,
  useConformanceService,
} from './conformance-service.ts';
import {
  assertEmptyListResponse,
  assertScimJson,
  ENTRA_CREATE_GROUP,
  ENTRA_CREATE_USER,
  patchBody,
} from './entra-requests.ts';

for (const dialect of await conformanceDialects()) {
  describe(`Microsoft Entra ID, default mode (${dialect.name})`, () => {
    const client = useConformanceService(dialect);
    let userId = '';
    let groupId = '';
    const getUser = async () => (await client.request('GET', `Users/${userId}`)).body;
    const memberIds = async () =>
      (((await client.request('GET', `Groups/${groupId}`)).body.members ?? []) as { value: string }[]).map(
        (member) => member.value,
      );

    it('Test Connection: a random GUID as userName → 200 with an empty ListResponse', async () => {
      const response = await client.request(
        'GET',
        filterPath('Users', `userName eq "${crypto.randomUUID()}"`),
      );
      assertEmptyListResponse(response);
    });

    it('Get User by query - Zero results', async () => {
      assertEmptyListResponse(
        await client.request('GET', filterPath('Users', 'userName eq "non-existent user"')),
      );
    });

    it('Create User → 201 with the user; readOnly meta and empty roles are not stored', async () => {
      const response = await client.request('POST', 'Users', { body: ENTRA_CREATE_USER });
      assert.equal(response.status, 201, response.text);
      assertScimJson(response);
      const { id, meta, ...rest } = response.body;
      assert.deepEqual(rest, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        active: true,
        emails: [
          {
            primary: true,
            type: 'work',
            value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
          },
        ],
      });
      assert.equal(meta.resourceType, 'User');
      assert.ok(meta.created && meta.lastModified);
      assert.equal(response.headers.location, meta.location);
      userId = id;
    });

    it('Get User → 200 (found), 404 with status "404" (not found)', async () => {
      const found = await client.request('GET', `Users/${userId}`);
      assert.equal(found.status, 200);
      assertScimJson(found);
      assert.equal(found.body.id, userId);
      assert.equal(found.body.userName, 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee');
      const missing = await client.request('GET', 'Users/5171a35d82074e068ce2');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body.schemas, [ERROR_SCHEMA]);
      assert.equal(missing.body.status, '404');
    });

    it('Get User by query → 200 with one resource and integer paging', async () => {
      const response = await client.request(
        'GET',
        filterPath('Users', 'userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"'),
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.totalResults, 1);
      assert.equal(response.body.startIndex, 1);
      assert.equal(response.body.itemsPerPage, 1);
      assert.equal(response.body.Resources[0].id, userId);
    });

    it('/Users: the uniqueness attribute emails[type eq "work"] is usable in a filter', async () => {
      const work = 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com';
      const response = await client.request(
        'GET',
        filterPath('Users', `emails[type eq "work"].value eq "${work}"`),
      );
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(
        response.body.Resources.map((user: { id: string }) => user.id),
        [userId],
      );
      assertEmptyListResponse(
        await client.request('GET', filterPath('Users', `emails[type eq "home"].value eq "${work}"`)),
      );
    });

    it('Update User [Multi-valued properties] → 200', async () => {
      const response = await client.request('PATCH', `Users/${userId}`, {
        body: patchBody(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ),
      });
      assert.equal(response.status, 200, response.text);
      const user = await getUser();
      assert.deepEqual(user.emails, [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
      assert.equal(user.name.familyName, 'updatedFamilyName');
      assert.equal(user.name.givenName, 'givenName');
    });

    it('Update User [Single-valued properties] → 200', async () => {
      const response = await client.request('PATCH', `Users/${userId}`, {
        body: patchBody({
          op: 'Replace',
          path: 'userName',
          value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
        }),
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.userName, '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    });

    it('Requests to add a single-value string attribute (without feature flag): "Add" nickName', async () => {
      const response = await client.request('PATCH', `Users/${userId}`, {
        body: patchBody({ op: 'Add', path: 'nickName', value: 'Babs' }),
      });
      assert.equal(response.status, 200, response.text);
      assert.equal((await getUser()).nickName, 'Babs');
    });

    it('Requests to replace multiple attributes (without feature flag): one "Replace" per path', async () => {
      const response = await client.request('PATCH', `Users/${userId}`, {
        body: patchBody(
          { op: 'Replace', path: 'displayName', value: 'Pvlo' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
          { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
          { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
          { op: 'Replace', path: 'externalId', value: 'Eqpj' },
          { op: 'Replace', path: `${ENTERPRISE_USER_SCHEMA}:employeeNumber`, value: 'Eqpj' },
        ),
      });
      assert.equal(response.status, 200, response.text);
      const user = await getUser();
      assert.equal(user.displayName, 'Pvlo');
      assert.deepEqual(user.emails, [
        { primary: true, type: 'work', value: 'TestBcwqnm@test.microsoft.com' },
      ]);
      assert.deepEqual(user.name, {
        formatted: 'givenName familyName',
        familyName: 'Pkqf',
        givenName: 'Gtfd',
      });
      assert.equal(user.externalId, 'Eqpj');
      assert.deepEqual(user[ENTERPRISE_USER_SCHEMA], { employeeNumber: 'Eqpj' });
      assert.ok(user.schemas.includes(ENTERPRISE_USER_SCHEMA));
    });

    it('Create Group → 201; the ADSCIM schema URN and readOnly meta are ignored', async () => {
      const response = await client.request('POST', 'Groups', { body: ENTRA_CREATE_GROUP });
      assert.equal(response.status, 201, response.text);
      assertScimJson(response);
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:Group']);
      assert.equal(response.body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
      assert.equal(response.body.displayName, 'displayName');
      groupId = response.body.id;
    });

    it('Get Group (excludedAttributes=members) → 200 without members', async () => {
      const response = await client.request('GET', `Groups/${groupId}?excludedAttributes=members`);
      assert.equal(response.status, 200);
      assert.equal(response.body.id, groupId);
      assert.equal(response.body.displayName, 'displayName');
      assert.equal('members' in response.body, false);
    });

    it('Get Group by displayName (excludedAttributes=members) → 200 with one group', async () => {
      const response = await client.request(
        'GET',
        `Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`,
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.totalResults, 1);
      assert.equal(response.body.Resources[0].id, groupId);
      assert.equal(response.body.Resources[0].externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    });

    it('Update Group [Non-member attributes] → 204', async () => {
      const response = await client.request('PATCH', `Groups/${groupId}`, {
        body: patchBody({
          op: 'Replace',
          path: 'displayName',
          value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
        }),
      });
      assert.equal(response.status, 204, response.text);
      const group = await client.request('GET', `Groups/${groupId}`);
      assert.equal(group.body.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    });

    it('Update Group [Add Members] → 204', async () => {
      const response = await client.request('PATCH', `Groups/${groupId}`, {
        body: patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: userId }] }),
      });
      assert.equal(response.status, 204, response.text);
      assert.equal(response.text, '');
      assert.deepEqual(await memberIds(), [userId]);
    });

    it('Update Group [Remove Members] → 204', async () => {
      const response = await client.request('PATCH', `Groups/${groupId}`, {
        body: patchBody({ op: 'Remove', path: 'members', value: [{ $ref: null, value: userId }] }),
      });
      assert.equal(response.status, 204, response.text);
      assert.deepEqual(await memberIds(), []);
    });

    it('Requests made to remove a group member (without feature flag): "Remove" with a value list → 204', async () => {
      await client.request('PATCH', `Groups/${groupId}`, {
        body: patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: userId }] }),
      });
      const response = await client.request('PATCH', `Groups/${groupId}`, {
        body: patchBody({ op: 'Remove', path: 'members', value: [{ value: userId }] }),
      });
      assert.equal(response.status, 204, response.text);
      assert.deepEqual(await memberIds(), []);
    });

    it('Requests made to disable users (without feature flag): "Replace" active with "False"', async () => {
      const response = await client.request('PATCH', `Users/${userId}`, {
        body: patchBody({ op: 'Replace', path: 'active', value: 'False' }),
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.active, false);
      // A disabled user is still returned by queries (tutorial: "Soft-deleting a user active=false").
      const found = await client.request('GET', filterPath('Users', `externalId eq "Eqpj"`));
      assert.equal(found.body.totalResults, 1);
    });

    it('Disable User: "Replace" active with false → 200 with active false', async () => {
      // Re-enable first (the mirror of the "False" request; not itself a documented sample).
      await client.request('PATCH', `Users/${userId}`, {
        body: { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] },
      });
      const response = await client.request('PATCH', `Users/${userId}`, {
        body: { Operations: [{ op: 'Replace', path: 'active', value: false }], schemas: [PATCH_OP_SCHEMA] },
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.active, false);
    });

    it('Delete Group → 204, then 404', async () => {
      const response = await client.request('DELETE', `Groups/${groupId}`);
      assert.equal(response.status, 204);
      assert.equal((await client.request('GET', `Groups/${groupId}`)).status, 404);
    });

    it('Delete User → 204, then 404', async () => {
      const response = await client.request('DELETE', `Users/${userId}`);
      assert.equal(response.status, 204);
      assert.equal((await client.request('GET', `Users/${userId}`)).status, 404);
    });
  });
}
