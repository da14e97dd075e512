/**
 * Request bodies Microsoft Entra ID sends in both modes, as the tutorial documents them, and the
 * response shapes it expects.
 * Source: Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft
 * Entra ID", "Create User" and "Create Group".
 */
import assert from 'node:assert/strict';
import type { TestResponse } from '../support/test-service.ts';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from './conformance-service.ts';

export const ENTRA_CREATE_USER = {
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
};

export const ENTRA_CREATE_GROUP = {
  schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
  displayName: 'displayName',
  meta: { resourceType: 'Group' },
};

export const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

/** "The header for all the responses should be of content-Type: application/scim+json". */
export function assertScimJson(response: TestResponse): void {
  assert.match(String(response.headers['content-type']), /^application\/scim\+json/);
}

/** Test Connection and "Get User by query - Zero results": 200 with an empty ListResponse. */
export function assertEmptyListResponse(response: TestResponse): void {
  assert.equal(response.status, 200, response.text);
  assertScimJson(response);
  assert.deepEqual(response.body.schemas, [LIST_RESPONSE_SCHEMA]);
  assert.equal(response.body.totalResults, 0);
  assert.deepEqual(response.body.Resources, []);
  assert.equal(response.body.startIndex, 1);
}
