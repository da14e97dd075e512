import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getResourceType } from '../schema/schema-registry.ts';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  USER_SCHEMA,
} from '../schema/schema-urns.ts';
import { buildResourceTypeResource } from './build-resource-type-resource.ts';

const BASE = 'https://scim.example.com/scim/v2';

describe('buildResourceTypeResource', () => {
  it('represents User with its optional enterprise extension (RFC 7643 §6)', () => {
    assert.deepEqual(buildResourceTypeResource(getResourceType('User'), BASE), {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    });
  });

  it('represents Group with an empty extension list', () => {
    const group = buildResourceTypeResource(getResourceType('Group'), `${BASE}/`);
    assert.equal(group.endpoint, '/Groups');
    assert.equal(group.schema, GROUP_SCHEMA);
    assert.deepEqual(group.schemaExtensions, []);
    assert.equal(group.meta.location, `${BASE}/ResourceTypes/Group`);
  });

  it('serializes to plain JSON', () => {
    const rt = buildResourceTypeResource(getResourceType('User'), BASE);
    assert.deepEqual(JSON.parse(JSON.stringify(rt)), rt);
  });
});
