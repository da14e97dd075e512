/**
 * Bodies the server must refuse: not JSON, not an object, the wrong media type, prototype
 * poisoning, wrong types for every attribute type, unknown attributes and schemas, missing required
 * attributes, NUL characters, huge numbers and deep nesting. RFC 7644 §3.12 gives the scimTypes:
 * `invalidSyntax` for a body that does not fit the request schema, `invalidValue` for a bad value;
 * decision 0006 adds `invalidSyntax` for unknown attributes.
 */
import {
  ENTERPRISE_USER_SCHEMA as ENTERPRISE,
  GROUP_SCHEMA,
  USER_SCHEMA,
} from '../../../src/scim/schema/schema-urns.ts';
import { type BadInputCase, json, raw, refuse } from './bad-input-case.ts';

const user = (attributes: Record<string, unknown>) =>
  json('POST', 'Users', { schemas: [USER_SCHEMA], userName: 'new.user', ...attributes });
const enterpriseUser = (attributes: Record<string, unknown>) =>
  json('POST', 'Users', {
    schemas: [USER_SCHEMA, ENTERPRISE],
    userName: 'new.user',
    [ENTERPRISE]: attributes,
  });
const wrongType = (name: string, request: BadInputCase['request'], detail: RegExp) =>
  refuse(name, request, 400, 'invalidValue', detail);

// biome-ignore format: one case per line reads as a table
export const BODY_CASES: readonly BadInputCase[] = [
  // Syntax and media type. @see RFC 7644 §3.1 (application/scim+json), §3.12 (invalidSyntax)
  refuse('malformed JSON', () => raw('POST', 'Users', '{"schemas": ['), 400, 'invalidSyntax', /not valid JSON/),
  refuse('malformed JSON sent as application/json', () => raw('POST', 'Users', '{userName: bjensen}', 'application/json'), 400, 'invalidSyntax', /not valid JSON/),
  refuse('malformed JSON in a PATCH', (f) => raw('PATCH', `Users/${f.userId}`, '{"Operations": [}'), 400, 'invalidSyntax', /not valid JSON/),
  refuse('empty body', () => raw('POST', 'Users', ''), 400, 'invalidSyntax', /body is empty/),
  refuse('body that is an array', () => raw('POST', 'Users', `[{"schemas":["${USER_SCHEMA}"],"userName":"a"}]`), 400, 'invalidSyntax', /must be a JSON object, got an array/),
  refuse('body that is a string', () => raw('POST', 'Users', '"bjensen"'), 400, 'invalidSyntax', /must be a JSON object, got a string/),
  refuse('body that is null', () => raw('POST', 'Groups', 'null'), 400, 'invalidSyntax', /must be a JSON object, got null/),
  refuse('PUT body that is a number', (f) => raw('PUT', `Users/${f.userId}`, '42'), 400, 'invalidSyntax', /PUT body must be a JSON object, got an integer/),
  refuse('PATCH body that is an array', (f) => raw('PATCH', `Groups/${f.groupId}`, '[]'), 400, 'invalidSyntax', /PATCH body must be a JSON object/),
  refuse('Bulk body that is a string', () => raw('POST', 'Bulk', '"ops"'), 400, 'invalidSyntax', /BulkRequest must be a JSON object/),
  refuse('.search body that is an array', () => raw('POST', 'Users/.search', '[]'), 400, 'invalidSyntax', /SearchRequest must be a JSON object/),
  refuse('text/plain media type', () => raw('POST', 'Users', `{"schemas":["${USER_SCHEMA}"],"userName":"a"}`, 'text/plain'), 415, undefined, /application\/scim\+json/),
  refuse('application/xml media type', (f) => raw('PUT', `Users/${f.userId}`, '<User/>', 'application/xml'), 415, undefined, /application\/scim\+json/),
  refuse('form media type on PATCH', (f) => raw('PATCH', `Groups/${f.groupId}`, 'op=remove', 'application/x-www-form-urlencoded'), 415, undefined, /application\/scim\+json/),
  refuse('body without a media type', () => raw('POST', 'Users', `{"schemas":["${USER_SCHEMA}"],"userName":"a"}`, null), 415, undefined, /application\/scim\+json/),

  // Prototype poisoning: refused wherever it appears, before any code copies the object.
  refuse('__proto__ key', () => raw('POST', 'Users', `{"schemas":["${USER_SCHEMA}"],"userName":"a","__proto__":{"admin":true}}`), 400, 'invalidSyntax', /"__proto__" key in the body/),
  refuse('__proto__ key in a complex value', () => raw('POST', 'Users', `{"schemas":["${USER_SCHEMA}"],"userName":"a","name":{"__proto__":{"x":1}}}`), 400, 'invalidSyntax', /"__proto__" key in "name"/),
  refuse('constructor.prototype key', (f) => raw('PATCH', `Users/${f.userId}`, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"constructor":{"prototype":{"x":1}}}}]}`), 400, 'invalidSyntax', /"constructor\.prototype" key in "Operations\[0\]\.value"/),

  // Wrong types, one per attribute type. @see RFC 7643 §2.3 (no writable dateTime attribute exists
  // in the shipped schemas: the filter cases cover dateTime)
  wrongType('string: userName as a number', () => user({ userName: 12 }), /"userName": expected a string, got an integer/),
  wrongType('string: title as a boolean', () => user({ title: true }), /"title": expected a string, got a boolean/),
  wrongType('string: group displayName as an object', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: { text: 'x' } }), /"displayName": expected a string, got an object/),
  wrongType('string: enterprise employeeNumber as a number', () => enterpriseUser({ employeeNumber: 5 }), /employeeNumber": expected a string, got an integer/),
  wrongType('boolean: active as "yes"', () => user({ active: 'yes' }), /"active": expected a boolean, got a string/),
  wrongType('boolean: active as 1', () => user({ active: 1 }), /"active": expected a boolean, got an integer/),
  wrongType('complex: name as a string', () => user({ name: 'Barbara Jensen' }), /"name": expected an object, got a string/),
  wrongType('complex: name as an array', () => user({ name: [{ givenName: 'Barbara' }] }), /"name": expected an object, got an array/),
  wrongType('complex: enterprise manager as a number', () => enterpriseUser({ manager: 7 }), /manager": expected an object, got an integer/),
  wrongType('multi-valued: emails as an object', () => user({ emails: { value: 'a@example.com' } }), /"emails": the attribute is multi-valued, expected an array, got an object/),
  wrongType('multi-valued: emails element as a string', () => user({ emails: ['a@example.com'] }), /"emails\[0\]": expected an object, got a string/),
  wrongType('multi-valued: group members as a string', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'G', members: 'x' }), /"members": the attribute is multi-valued/),
  wrongType('multi-valued: members value as a number', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: 5 }] }), /"members\[0\]\.value": expected a string, got an integer/),
  wrongType('reference: profileUrl as a number', () => user({ profileUrl: 5 }), /"profileUrl": expected a reference string, got an integer/),
  wrongType('reference: photos value as a boolean', () => user({ photos: [{ value: true }] }), /"photos\[0\]\.value": expected a reference string, got a boolean/),
  wrongType('binary: x509Certificates value that is not base64', () => user({ x509Certificates: [{ value: 'not base64!' }] }), /"x509Certificates\[0\]\.value": expected a base64 string/),
  wrongType('canonical value: members type "Robot"', (f) => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: f.userId, type: 'Robot' }] }), /"members\[0\]\.type": expected one of User, Group/),

  // Unknown attributes and schemas. @see decision 0006; RFC 7643 §3 (schemas)
  refuse('unknown attribute', () => user({ nickName2: 'x' }), 400, 'invalidSyntax', /Unknown attribute "nickName2" for resource type User/),
  refuse('unknown sub-attribute', () => user({ name: { givenName: 'B', middle: 'J' } }), 400, 'invalidSyntax', /Unknown sub-attribute "middle" of "name"/),
  refuse('unknown sub-attribute of a multi-valued element', () => user({ emails: [{ value: 'a@example.com', label: 'x' }] }), 400, 'invalidSyntax', /Unknown sub-attribute "label" of "emails\[0\]"/),
  refuse('unknown attribute of the enterprise extension', () => enterpriseUser({ costCentre: 'x' }), 400, 'invalidSyntax', /Unknown attribute "costCentre" in schema urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User/),
  refuse('unknown URN-qualified attribute', () => user({ [`${USER_SCHEMA}:shoeSize`]: 42 }), 400, 'invalidSyntax', /Unknown attribute "urn:ietf:params:scim:schemas:core:2\.0:User:shoeSize"/),
  refuse('unknown attribute on a group', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'G', owner: 'x' }), 400, 'invalidSyntax', /Unknown attribute "owner" for resource type Group/),
  refuse('unknown schema URN', () => json('POST', 'Users', { schemas: [USER_SCHEMA, 'urn:example:params:scim:schemas:Custom'], userName: 'a' }), 400, 'invalidValue', /urn:example:params:scim:schemas:Custom is not a schema of resource type User/),
  refuse('the User schema on a group', () => json('POST', 'Groups', { schemas: [USER_SCHEMA], displayName: 'G' }), 400, 'invalidValue', /is not a schema of resource type Group/),
  refuse('missing schemas', () => json('POST', 'Users', { userName: 'a' }), 400, 'invalidSyntax', /must have "schemas"/),
  refuse('schemas as a string', (f) => json('PUT', `Users/${f.userId}`, { schemas: USER_SCHEMA, userName: 'a' }), 400, 'invalidSyntax', /must have "schemas", an array/),
  refuse('schemas without the core schema', () => json('POST', 'Users', { schemas: [ENTERPRISE], userName: 'a' }), 400, 'invalidValue', /"schemas" must include urn:ietf:params:scim:schemas:core:2\.0:User/),

  // Required attributes and single primary. @see RFC 7643 §4.1.1 (userName), §4.2, §2.4 (primary)
  refuse('missing userName', () => json('POST', 'Users', { schemas: [USER_SCHEMA], displayName: 'No Name' }), 400, 'invalidValue', /"userName" is required/),
  refuse('empty userName', () => user({ userName: '' }), 400, 'invalidValue', /"userName" is required/),
  refuse('PUT without userName', (f) => json('PUT', `Users/${f.userId}`, { schemas: [USER_SCHEMA], title: 'x' }), 400, 'invalidValue', /"userName" is required/),
  refuse('missing group displayName', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA] }), 400, 'invalidValue', /"displayName" is required/),
  refuse('PUT group without displayName', (f) => json('PUT', `Groups/${f.groupId}`, { schemas: [GROUP_SCHEMA], members: [] }), 400, 'invalidValue', /"displayName" is required/),
  refuse('two primary emails', () => user({ emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: true }] }), 400, 'invalidValue', /At most one value of "emails" may have "primary": true/),
  refuse('two primary emails in a PUT', (f) => json('PUT', `Users/${f.userId}`, { schemas: [USER_SCHEMA], userName: 'bjensen@example.com', emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: true }] }), 400, 'invalidValue', /primary/),

  // U+0000: PostgreSQL text cannot hold it, so every dialect refuses it.
  refuse('NUL in userName', () => user({ userName: 'bad\u0000name' }), 400, 'invalidValue', /"userName" contains U\+0000/),
  refuse('NUL in a group displayName', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'G\u0000' }), 400, 'invalidValue', /"displayName" contains U\+0000/),
  refuse('NUL in a password', () => user({ password: 'secret\u0000' }), 400, 'invalidValue', /"password" contains U\+0000/),
  refuse('NUL in a key', () => user({ 'nick\u0000Name': 'x' }), 400, 'invalidValue', /key in the body contains U\+0000/),
  refuse('NUL in a PATCH value', (f) => json('PATCH', `Users/${f.userId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'x\u0000' }] }), 400, 'invalidValue', /"Operations\[0\]\.value" contains U\+0000/),
  refuse('NUL in a member value', (f) => json('PUT', `Groups/${f.groupId}`, { schemas: [GROUP_SCHEMA], displayName: 'Admins', members: [{ value: `${f.userId}\u0000` }] }), 400, 'invalidValue', /"members\[0\]\.value" contains U\+0000/),
  refuse('NUL in a Bulk operation path', () => json('POST', 'Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ method: 'DELETE', path: '/Users/x\u0000' }] }), 400, 'invalidValue', /"Operations\[0\]\.path" contains U\+0000/),

  // Huge numbers (beyond a double: JSON.parse makes them Infinity) and deep nesting.
  refuse('huge number for a boolean', () => raw('POST', 'Users', `{"schemas":["${USER_SCHEMA}"],"userName":"a","active":1e999}`), 400, 'invalidValue', /"active": expected a boolean, got a number/),
  refuse('huge number for a string', () => raw('POST', 'Users', `{"schemas":["${USER_SCHEMA}"],"userName":-1e400}`), 400, 'invalidValue', /"userName": expected a string, got a number/),
  refuse('huge failOnErrors', () => raw('POST', 'Bulk', '{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":1e999,"Operations":[]}'), 400, 'invalidValue', /failOnErrors must be a positive integer/),
  refuse('huge count in a SearchRequest', () => raw('POST', 'Users/.search', '{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":1e308}'), 400, 'invalidValue', /count must be an integer/),
  refuse('deeply nested value', () => raw('POST', 'Users', `{"schemas":["${USER_SCHEMA}"],"userName":"a","name":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`), 400, 'invalidSyntax', /nested deeper than 32 levels/),
  refuse('very deeply nested Bulk data', () => raw('POST', 'Bulk', `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","bulkId":"x","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`), 400, 'invalidSyntax', /nested deeper than 32 levels/),
];
