/**
 * The numbered examples of the Entra tutorial's "Handling provisioning and deprovisioning of users":
 * query by the matching attribute, provision a user (a misspelt extension URN and null placeholders),
 * read it, add its manager (unqualified path, value wrapped in an array), deprovision it.
 * Source: Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft
 * Entra ID", Examples 1, 2, 3, 5 and 6.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conformanceDialects,
  ENTERPRISE_USER_SCHEMA,
  filterPath,
  USER_SCHEMA,
  useConformanceService,
} from './conformance-service.ts';
import { assertEmptyListResponse, patchBody } from './entra-requests.ts';

for (const dialect of await conformanceDialects()) {
  describe(`Microsoft Entra ID tutorial, user provisioning examples (${dialect.name})`, () => {
    const client = useConformanceService(dialect);
    let userId = '';
    let managerId = '';

    it('Example 1. Query the service for a matching user (externalId eq "jyoung") → no user', async () => {
      // The tutorial prints the value bare (`externalId eq jyoung`), which RFC 7644's grammar does not
      // allow; Entra's own "Get User by query" request quotes it, as sent here.
      assertEmptyListResponse(await client.request('GET', filterPath('Users', 'externalId eq "jyoung"')));
    });

    it('Example 2. Provision a user → 201; nulls are unassigned, the misspelt URN is ignored', async () => {
      const response = await client.request('POST', 'Users', {
        body: {
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
      });
      assert.equal(response.status, 201, response.text);
      const { id, meta: _meta, ...rest } = response.body;
      assert.deepEqual(rest, {
        schemas: [USER_SCHEMA],
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
        name: { familyName: 'Young', givenName: 'Joy' },
        displayName: 'Joy Young',
        active: true,
        emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
      });
      userId = id;
      const found = await client.request('GET', filterPath('Users', 'externalId eq "jyoung"'));
      assert.equal(found.body.totalResults, 1);
    });

    it('Example 3. Query the current state of a user → 200', async () => {
      const response = await client.request('GET', `Users/${userId}`);
      assert.equal(response.status, 200);
      assert.equal(response.body.userName, 'jyoung@testuser.com');
    });

    it('Example 5. Update a user: "Add" manager, unqualified, the value in a one-element array', async () => {
      const manager = await client.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: 'manager@testuser.com' },
      });
      managerId = manager.body.id;
      const response = await client.request('PATCH', `Users/${userId}`, {
        body: patchBody({
          op: 'Add',
          path: 'manager',
          value: [{ $ref: `http://example.com/scim/Users/${managerId}`, value: managerId }],
        }),
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body[ENTERPRISE_USER_SCHEMA].manager.value, managerId);
      assert.ok(response.body.schemas.includes(ENTERPRISE_USER_SCHEMA));
      const byManager = await client.request(
        'GET',
        filterPath('Users', `${ENTERPRISE_USER_SCHEMA}:manager.value eq "${managerId}"`),
      );
      assert.deepEqual(
        byManager.body.Resources.map((user: { id: string }) => user.id),
        [userId],
      );
    });

    it('Example 4. Query by id and manager, the manager unqualified (as the tutorial describes it)', async () => {
      const response = await client.request(
        'GET',
        filterPath('Users', `id eq "${userId}" and manager eq "${managerId}"`),
      );
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(
        response.body.Resources.map((user: { id: string }) => user.id),
        [userId],
      );
    });

    it('Example 6. Deprovision a user → 204, then 404', async () => {
      assert.equal((await client.request('DELETE', `Users/${userId}`)).status, 204);
      assert.equal((await client.request('GET', `Users/${userId}`)).status, 404);
      assertEmptyListResponse(await client.request('GET', filterPath('Users', 'externalId eq "jyoung"')));
    });
  });
}
