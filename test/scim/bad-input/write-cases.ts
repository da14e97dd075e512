/**
 * Writes the server must refuse: PATCH requests (RFC 7644 §3.5.2: `invalidPath`, `noTarget`,
 * `mutability`, `invalidValue`), PUT and member changes of immutable member attributes, wrong
 * ETags (§3.14: 412), duplicates (§3.3: 409 `uniqueness`, case-insensitively), members that do not
 * exist, and oversized requests (413, §3.7.4 for Bulk).
 */
import { GROUP_SCHEMA, USER_SCHEMA } from '../../../src/scim/schema/schema-urns.ts';
import { type BadInputCase, json, PATCH_OP, patch, refuse } from './bad-input-case.ts';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const STALE = { 'if-match': 'W/"999"' };
const mutability = (name: string, request: BadInputCase['request'], detail: RegExp) =>
  refuse(name, request, 400, 'mutability', detail);
const invalidPath = (name: string, path: string, detail: RegExp) =>
  refuse(
    name,
    (f) => patch(`Users/${f.userId}`, [{ op: 'replace', path, value: 'x' }]),
    400,
    'invalidPath',
    detail,
  );
const bulk = (operations: unknown[]) => json('POST', 'Bulk', { schemas: [BULK], Operations: operations });

// biome-ignore format: one case per line reads as a table
export const WRITE_CASES: readonly BadInputCase[] = [
  // PATCH envelope and operations. @see RFC 7644 §3.5.2
  refuse('PATCH without schemas', (f) => json('PATCH', `Users/${f.userId}`, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), 400, 'invalidSyntax', /must have "schemas" containing urn:ietf:params:scim:api:messages:2\.0:PatchOp/),
  refuse('PATCH without Operations', (f) => json('PATCH', `Users/${f.userId}`, { schemas: [PATCH_OP] }), 400, 'invalidSyntax', /must have "Operations"/),
  refuse('PATCH with empty Operations', (f) => patch(`Groups/${f.groupId}`, []), 400, 'invalidSyntax', /must have "Operations", an array of one or more/),
  refuse('an unknown op', (f) => patch(`Users/${f.userId}`, [{ op: 'merge', path: 'title', value: 'x' }]), 400, 'invalidSyntax', /op must be "add", "replace" or "remove", got "merge"/),
  refuse('an operation without op', (f) => patch(`Users/${f.userId}`, [{ path: 'title', value: 'x' }]), 400, 'invalidSyntax', /op must be "add", "replace" or "remove"/),
  refuse('add without a value', (f) => patch(`Users/${f.userId}`, [{ op: 'add', path: 'title' }]), 400, 'invalidValue', /"add" operation needs a "value"/),
  refuse('replace without a value', (f) => patch(`Groups/${f.groupId}`, [{ op: 'replace', path: 'displayName' }]), 400, 'invalidValue', /operation needs a "value"/),
  refuse('remove without a path', (f) => patch(`Users/${f.userId}`, [{ op: 'remove' }]), 400, 'noTarget', /"remove" operation needs a "path"/),
  invalidPath('a path that does not parse', 'emails[type eq "work"', /Invalid path at position/),
  invalidPath('a path naming no attribute', 'shoeSize', /PATCH path "shoeSize" names no attribute of resource type User/),
  invalidPath('a path naming no sub-attribute', 'name.middle', /PATCH path "name\.middle" names no attribute/),
  refuse('a value filter matching nothing on replace', (f) => patch(`Users/${f.userId}`, [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'home@example.com' }]), 400, 'noTarget', /the filter matches no value of "emails"/),
  refuse('a wrong type through PATCH', (f) => patch(`Users/${f.userId}`, [{ op: 'replace', path: 'active', value: 'maybe' }]), 400, 'invalidValue', /"active": expected a boolean, got a string/),
  refuse('two primary emails through PATCH', (f) => patch(`Users/${f.userId}`, [{ op: 'add', path: 'emails', value: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: true }] }]), 400, 'invalidValue', /primary/),
  refuse('PATCH of a user that does not exist', () => patch('Users/no-such-user', [{ op: 'replace', path: 'title', value: 'x' }]), 404, undefined, /User no-such-user not found/),

  // Regression: the write happened before the projection was refused (RFC 7644 §3.9: mutually exclusive).
  refuse('attributes with excludedAttributes on a POST', () => json('POST', 'Users?attributes=userName&excludedAttributes=title', { schemas: [USER_SCHEMA], userName: 'projected.twice' }), 400, 'invalidSyntax', /"attributes" and "excludedAttributes" are mutually exclusive/),
  refuse('attributes with excludedAttributes on a PATCH', (f) => json('PATCH', `Groups/${f.groupId}?attributes=displayName&excludedAttributes=members`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] }), 400, 'invalidSyntax', /mutually exclusive/),

  // readOnly and immutable targets. @see RFC 7644 §3.5.2 ("a client MUST NOT modify an attribute
  // that has mutability readOnly or immutable"), RFC 7643 §3.1 (id, meta), §4.1.2 (groups), §4.2
  mutability('replace id', (f) => patch(`Users/${f.userId}`, [{ op: 'replace', path: 'id', value: 'mine' }]), /Attribute "id" is readOnly/),
  mutability('replace meta', (f) => patch(`Users/${f.userId}`, [{ op: 'replace', path: 'meta', value: {} }]), /Attribute "meta" is readOnly/),
  mutability('replace meta.lastModified', (f) => patch(`Groups/${f.groupId}`, [{ op: 'replace', path: 'meta.lastModified', value: '2020-01-01T00:00:00Z' }]), /Attribute "meta\.lastModified" is readOnly/),
  mutability('add to User groups', (f) => patch(`Users/${f.userId}`, [{ op: 'add', path: 'groups', value: [{ value: f.otherGroupId }] }]), /Attribute "groups" is readOnly/),
  mutability('remove User groups', (f) => patch(`Users/${f.userId}`, [{ op: 'remove', path: 'groups' }]), /Attribute "groups" is readOnly/),
  mutability('change a member value in place', (f) => patch(`Groups/${f.groupId}`, [{ op: 'replace', path: `members[value eq "${f.userId}"].value`, value: f.otherUserId }]), /sub-attributes are immutable/),
  mutability('change a member type in place', (f) => patch(`Groups/${f.groupId}`, [{ op: 'replace', path: `members[value eq "${f.userId}"].type`, value: 'Group' }]), /sub-attributes are immutable/),
  mutability('replace members.value', (f) => patch(`Groups/${f.groupId}`, [{ op: 'replace', path: 'members.value', value: f.otherUserId }]), /sub-attributes are immutable/),
  // The only immutable attributes (member value, type, $ref) are checked against the stored member.
  refuse('PUT that changes a member type', (f) => json('PUT', `Groups/${f.groupId}`, { schemas: [GROUP_SCHEMA], displayName: 'Admins', members: [{ value: f.userId, type: 'Group' }] }), 400, 'invalidValue', /is a User, not a Group/),

  // ETags. @see RFC 7644 §3.14 (412 Precondition Failed)
  refuse('PUT with a stale If-Match', (f) => json('PUT', `Users/${f.userId}`, { schemas: [USER_SCHEMA], userName: 'bjensen@example.com' }, STALE), 412, undefined, /Precondition failed: the resource is at version W\/"\d+"/),
  refuse('PATCH with a stale If-Match', (f) => patch(`Users/${f.userId}`, [{ op: 'replace', path: 'title', value: 'x' }], STALE), 412, undefined, /Precondition failed/),
  refuse('DELETE with a stale If-Match', (f) => ({ method: 'DELETE', path: `Users/${f.userId}`, options: { headers: STALE } }), 412, undefined, /Precondition failed/),
  refuse('group PATCH with a stale If-Match', (f) => patch(`Groups/${f.groupId}`, [{ op: 'add', path: 'members', value: [{ value: f.otherUserId }] }], STALE), 412, undefined, /Precondition failed/),
  refuse('group DELETE with a malformed If-Match', (f) => ({ method: 'DELETE', path: `Groups/${f.groupId}`, options: { headers: { 'if-match': 'not-an-etag' } } }), 412, undefined, /Precondition failed/),

  // Uniqueness, case-insensitively. @see RFC 7644 §3.3 (409 uniqueness), RFC 7643 §4.1.1 (userName)
  refuse('a duplicate userName in another case', () => json('POST', 'Users', { schemas: [USER_SCHEMA], userName: 'BJensen@Example.com' }), 409, 'uniqueness', /userName "BJensen@Example\.com" is already taken/),
  refuse('a duplicate userName in another non-ASCII case', () => json('POST', 'Users', { schemas: [USER_SCHEMA], userName: 'änne@EXAMPLE.COM' }), 409, 'uniqueness', /already taken/),
  refuse('PUT to a userName taken in another case', (f) => json('PUT', `Users/${f.otherUserId}`, { schemas: [USER_SCHEMA], userName: 'BJENSEN@example.com' }), 409, 'uniqueness', /already taken/),
  refuse('PATCH to a userName taken in another case', (f) => patch(`Users/${f.otherUserId}`, [{ op: 'replace', path: 'userName', value: 'bjensen@EXAMPLE.com' }]), 409, 'uniqueness', /already taken/),
  refuse('a duplicate group displayName', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'ADMINS' }), 409, 'uniqueness', /displayName "ADMINS" is already taken by another group/),
  refuse('PUT to a group displayName taken', (f) => json('PUT', `Groups/${f.otherGroupId}`, { schemas: [GROUP_SCHEMA], displayName: 'admins' }), 409, 'uniqueness', /already taken/),
  refuse('PATCH to a group displayName taken', (f) => patch(`Groups/${f.otherGroupId}`, [{ op: 'replace', path: 'displayName', value: 'Admins' }]), 409, 'uniqueness', /already taken/),

  // Members must exist in the tenant, as the type given; a group cannot contain itself. @see decision 0004
  refuse('a member that does not exist on POST', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: 'no-such-user' }] }), 400, 'invalidValue', /Member "no-such-user" is not a user or group of this tenant/),
  refuse('a member that does not exist on PATCH', (f) => patch(`Groups/${f.groupId}`, [{ op: 'add', path: 'members', value: [{ value: f.otherUserId }, { value: 'no-such-user' }] }]), 400, 'invalidValue', /Member "no-such-user" is not a user or group/),
  refuse('a member that does not exist on PUT', (f) => json('PUT', `Groups/${f.groupId}`, { schemas: [GROUP_SCHEMA], displayName: 'Admins', members: [{ value: 'no-such-group', type: 'Group' }] }), 400, 'invalidValue', /Member "no-such-group" is not a user or group/),
  refuse('a member of another tenant', (f) => patch(`Groups/${f.groupId}`, [{ op: 'add', path: 'members', value: [{ value: f.foreignUserId }] }]), 400, 'invalidValue', /is not a user or group of this tenant/),
  refuse('a member given the wrong type', (f) => patch(`Groups/${f.otherGroupId}`, [{ op: 'add', path: 'members', value: [{ value: f.groupId, type: 'User' }] }]), 400, 'invalidValue', /is a Group, not a User/),
  refuse('a group as its own member', (f) => patch(`Groups/${f.groupId}`, [{ op: 'add', path: 'members', value: [{ value: f.groupId }] }]), 400, 'invalidValue', /cannot be a member of itself/),
  refuse('a member without a value', () => json('POST', 'Groups', { schemas: [GROUP_SCHEMA], displayName: 'Nameless', members: [{ display: 'Babs' }] }), 400, 'invalidValue', /"members\[0\]\.value" is required/),

  // Sizes. @see RFC 7644 §3.7.4 (Bulk: 413 beyond maxOperations or maxPayloadSize)
  refuse('a POST body over the body limit', () => json('POST', 'Users', { schemas: [USER_SCHEMA], userName: 'x'.repeat(3000) }), 413, undefined, /larger than this server accepts \(2048 bytes\)/, { limited: true }),
  refuse('a PUT body over the body limit', () => json('PUT', 'Users/any', { schemas: [USER_SCHEMA], userName: 'x', title: 'x'.repeat(3000) }), 413, undefined, /larger than this server accepts/, { limited: true }),
  refuse('a PATCH body over the body limit', () => patch('Groups/any', [{ op: 'add', path: 'members', value: Array.from({ length: 100 }, (_, i) => ({ value: `member-${i}` })) }]), 413, undefined, /larger than this server accepts/, { limited: true }),
  refuse('a Bulk body over maxPayloadSize', () => bulk([{ method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER_SCHEMA], userName: 'x'.repeat(5000) } }]), 413, undefined, /exceeds the maxPayloadSize \(4096\)/, { limited: true }),
  refuse('a Bulk request over maxOperations', () => bulk([1, 2, 3].map((i) => ({ method: 'DELETE', path: `/Users/user-${i}` }))), 413, undefined, /3 operations; maxOperations is 2/, { limited: true }),
];
