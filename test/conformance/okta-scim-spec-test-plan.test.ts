/**
 * Okta's "SCIM 2.0 Spec Test" (the Runscope test plan that Okta's "Test your SCIM API" guide has
 * integrators import: "Okta SCIM 2.0 SPEC Test"), its 12 checks in order, with the requests, headers
 * and assertions of the plan. Random values of the plan (`{{randomUsername}}` …) are fixed here.
 * Source: developer.okta.com/docs/guides/build-provisioning-integration/test-scim-api/ and the
 * exported test plan (steps "Required Test: …" / "Optional Test: …").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conformanceDialects,
  ERROR_SCHEMA,
  filterPath,
  LIST_RESPONSE_SCHEMA,
  USER_SCHEMA,
  useConformanceService,
} from './conformance-service.ts';

/** The headers of every GET step of the plan. */
const OKTA_GET_HEADERS = {
  'accept-charset': 'utf-8',
  'content-type': 'application/scim+json; charset=utf-8',
  accept: 'application/scim+json',
  'user-agent': 'OKTA SCIM Integration',
};
/** The create steps send plain JSON. */
const OKTA_POST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/scim+json; charset=utf-8',
};

const RANDOM_GIVEN_NAME = 'Lazaro';
const RANDOM_FAMILY_NAME = 'Bergnaum';
const RANDOM_USERNAME = 'Lazaro.Bergnaum@example.com';
const RANDOM_EMAIL = 'lazaro.bergnaum.work@example.com';
const RANDOM_USERNAME_CAPS = RANDOM_USERNAME.toUpperCase();
const INVALID_USER_EMAIL = 'invalid-user-4f9d@example.com';
const USER_ID_THAT_DOES_NOT_EXIST = '010101001010101';

/** Okta's documented create body (SCIM 2.0 Protocol Reference, "Create the User"): a user already assigned. */
const OKTA_REFERENCE_USER = {
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

const assertIntegerPaging = (body: Record<string, unknown>) => {
  for (const field of ['itemsPerPage', 'startIndex', 'totalResults']) {
    assert.ok(Number.isInteger(body[field]), `${field} is an integer, not ${JSON.stringify(body[field])}`);
  }
};

for (const dialect of await conformanceDialects()) {
  describe(`Okta SCIM 2.0 Spec Test (${dialect.name})`, () => {
    const client = useConformanceService(dialect);
    const get = (path: string, headers: Record<string, string> = {}) =>
      client.request('GET', path, { headers: { ...OKTA_GET_HEADERS, ...headers } });
    let isvUserId = '';
    let idUserOne = '';

    it('setup: the tenant holds a user Okta provisioned (Protocol Reference, "Create the User")', async () => {
      const response = await client.request('POST', 'Users', { body: OKTA_REFERENCE_USER });
      assert.equal(response.status, 201, response.text);
    });

    it('Required Test: Test Users endpoint (GET /Users?count=1&startIndex=1)', async () => {
      const response = await get('Users?count=1&startIndex=1');
      assert.equal(response.status, 200);
      const body = response.body;
      assert.ok(body.schemas.includes(LIST_RESPONSE_SCHEMA));
      assertIntegerPaging(body);
      assert.equal(body.Resources.length, 1);
      const [user] = body.Resources;
      for (const value of [
        user.id,
        user.name.familyName,
        user.name.givenName,
        user.userName,
        user.emails[0].value,
      ]) {
        assert.ok(typeof value === 'string' && value !== '', `not empty: ${JSON.stringify(value)}`);
      }
      assert.equal(user.active, true);
      isvUserId = user.id;
    });

    it('Required Test: Get Users/{{id}}', async () => {
      const response = await get(`Users/${isvUserId}`);
      assert.equal(response.status, 200);
      assert.equal(response.body.id, isvUserId);
      assert.equal(response.body.name.familyName, 'User');
      assert.equal(response.body.name.givenName, 'Test');
      assert.equal(response.body.userName, 'test.user@okta.local');
      assert.equal(response.body.active, true);
      assert.equal(response.body.emails[0].value, 'test.user@okta.local');
    });

    it('Required Test: Test invalid User by username', async () => {
      const response = await get(filterPath('Users', `userName eq "${INVALID_USER_EMAIL}"`));
      assert.equal(response.status, 200);
      assert.ok(response.body.schemas.includes(LIST_RESPONSE_SCHEMA));
      assert.equal(response.body.totalResults, 0);
    });

    it('Required Test: Test invalid User by ID', async () => {
      const response = await get(`Users/${USER_ID_THAT_DOES_NOT_EXIST}`);
      assert.equal(response.status, 404);
      assert.ok(response.body.detail);
      assert.ok(response.body.schemas.includes(ERROR_SCHEMA));
    });

    it("Required Test: Make sure random user doesn't exist", async () => {
      const response = await get(filterPath('Users', `userName eq "${RANDOM_EMAIL}"`));
      assert.equal(response.status, 200);
      assert.equal(response.body.totalResults, 0);
      assert.ok(response.body.schemas.includes(LIST_RESPONSE_SCHEMA));
    });

    it('Required Test: Create Okta user with realistic values', async () => {
      const response = await client.request('POST', 'Users', {
        headers: OKTA_POST_HEADERS,
        body: {
          schemas: [USER_SCHEMA],
          userName: RANDOM_USERNAME,
          name: { givenName: RANDOM_GIVEN_NAME, familyName: RANDOM_FAMILY_NAME },
          emails: [{ primary: true, value: RANDOM_EMAIL, type: 'work' }],
          displayName: `${RANDOM_GIVEN_NAME} ${RANDOM_FAMILY_NAME}`,
          active: true,
        },
      });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.body.active, true);
      assert.ok(response.body.id);
      assert.equal(response.body.name.familyName, RANDOM_FAMILY_NAME);
      assert.equal(response.body.name.givenName, RANDOM_GIVEN_NAME);
      assert.ok(response.body.schemas.includes(USER_SCHEMA));
      assert.equal(response.body.userName, RANDOM_USERNAME);
      assert.equal(response.body.emails[0].value, RANDOM_EMAIL);
      idUserOne = response.body.id;
    });

    it('Required Test: Verify that user was created', async () => {
      const response = await get(`Users/${idUserOne}`);
      assert.equal(response.status, 200);
      assert.equal(response.body.userName, RANDOM_USERNAME);
      assert.equal(response.body.name.familyName, RANDOM_FAMILY_NAME);
      assert.equal(response.body.name.givenName, RANDOM_GIVEN_NAME);
    });

    it('Required Test: Expect failure when recreating user with same values', async () => {
      const response = await client.request('POST', 'Users', {
        headers: OKTA_POST_HEADERS,
        body: {
          schemas: [USER_SCHEMA],
          userName: RANDOM_USERNAME,
          name: { givenName: RANDOM_GIVEN_NAME, familyName: RANDOM_FAMILY_NAME },
          emails: [{ primary: true, value: RANDOM_USERNAME, type: 'work' }],
          displayName: `${RANDOM_GIVEN_NAME} ${RANDOM_FAMILY_NAME}`,
          active: true,
        },
      });
      assert.equal(response.status, 409);
      // Okta's reference: "the Service Provider needs to respond with an error schema".
      assert.ok(response.body.schemas.includes(ERROR_SCHEMA));
      assert.equal(response.body.scimType, 'uniqueness');
    });

    it('Required Test: Username Case Sensitivity Check', async () => {
      const response = await get(filterPath('Users', `userName eq "${RANDOM_USERNAME_CAPS}"`));
      assert.equal(response.status, 200);
      // The plan asserts only 200; Okta matches users by userName, so the user must come back.
      assert.equal(response.body.totalResults, 1);
      assert.equal(response.body.Resources[0].id, idUserOne);
    });

    it('Optional Test: Verify Groups endpoint', async () => {
      const response = await get('Groups');
      assert.equal(response.status, 200);
      assert.ok(response.body.schemas.includes(LIST_RESPONSE_SCHEMA));
      assert.ok(Array.isArray(response.body.Resources));
    });

    it('Required Test: Check status 401', async () => {
      const response = await client.request(
        'GET',
        filterPath('Users', `userName eq "${RANDOM_USERNAME_CAPS}"`),
        {
          headers: { ...OKTA_GET_HEADERS, authorization: 'non-token' },
        },
      );
      assert.equal(response.status, 401);
      assert.ok(response.body.detail);
      assert.equal(response.body.status, '401');
      assert.ok(response.body.schemas.includes(ERROR_SCHEMA));
    });

    it('Required Test: Check status 404', async () => {
      const response = await get('Users/00919288221112222');
      assert.equal(response.status, 404);
      assert.ok(response.body.detail);
      assert.equal(response.body.status, '404');
      assert.ok(response.body.schemas.includes(ERROR_SCHEMA));
    });
  });
}
