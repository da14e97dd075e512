import type { ResourceTypeDefinition } from './attribute-definition.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './schema-urns.ts';

/**
 * The resource types this server offers. The Enterprise User extension is optional on a User
 * (RFC 7643 §8.6's example marks it required; few clients send it on every request).
 * @see RFC 7643 §6
 */
export const USER_RESOURCE_TYPE: ResourceTypeDefinition = Object.freeze({
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA,
  schemaExtensions: Object.freeze([Object.freeze({ schema: ENTERPRISE_USER_SCHEMA, required: false })]),
});

export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = Object.freeze({
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA,
  schemaExtensions: Object.freeze([]),
});
