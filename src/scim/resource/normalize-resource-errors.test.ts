import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError, type ScimType } from '../errors.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import { normalizeResource } from './normalize-resource.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');

function assertScimError(fn: () => unknown, scimType: ScimType, detail?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType, error.message);
    if (detail !== undefined) assert.match(error.message, detail);
    return true;
  });
}

describe('normalizeResource refuses', () => {
  const user = (extra: Record<string, unknown>) => ({ schemas: [USER_SCHEMA], userName: 'a', ...extra });

  it('a body that is not a JSON object', () => {
    for (const body of [null, [], 'user', 42, true]) {
      assertScimError(
        () => normalizeResource(USER, body, 'create'),
        'invalidSyntax',
        /must be a JSON object/,
      );
    }
  });

  it('a missing or malformed schemas attribute', () => {
    assertScimError(() => normalizeResource(USER, { userName: 'a' }, 'create'), 'invalidSyntax', /"schemas"/);
    assertScimError(
      () => normalizeResource(USER, { schemas: USER_SCHEMA, userName: 'a' }, 'create'),
      'invalidSyntax',
    );
    assertScimError(
      () => normalizeResource(USER, { schemas: [USER_SCHEMA, 7], userName: 'a' }, 'create'),
      'invalidSyntax',
    );
  });

  it('schemas without the core schema, or with a schema of another resource type', () => {
    assertScimError(
      () => normalizeResource(USER, { schemas: [ENTERPRISE_USER_SCHEMA], userName: 'a' }, 'create'),
      'invalidValue',
      new RegExp(`must include ${USER_SCHEMA}`),
    );
    assertScimError(
      () => normalizeResource(USER, { schemas: [USER_SCHEMA, GROUP_SCHEMA], userName: 'a' }, 'create'),
      'invalidValue',
      /is not a schema of resource type User/,
    );
    assertScimError(
      () =>
        normalizeResource(
          GROUP,
          { schemas: [GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA], displayName: 'g' },
          'create',
        ),
      'invalidValue',
    );
  });

  it('unknown attributes and sub-attributes, naming them', () => {
    assertScimError(
      () => normalizeResource(USER, user({ fooBar: 1 }), 'create'),
      'invalidSyntax',
      /^Unknown attribute "fooBar" for resource type User$/,
    );
    assertScimError(
      () => normalizeResource(USER, user({ name: { nickname: 'x' } }), 'create'),
      'invalidSyntax',
      /Unknown sub-attribute "nickname" of "name"/,
    );
    assertScimError(
      () => normalizeResource(USER, user({ [ENTERPRISE_USER_SCHEMA]: { shoeSize: 42 } }), 'create'),
      'invalidSyntax',
      /Unknown attribute "shoeSize" in schema/,
    );
    assertScimError(
      () => normalizeResource(USER, user({ 'name.givenName': 'x' }), 'create'),
      'invalidSyntax',
    );
  });

  it('an attribute given twice in different letter cases', () => {
    assertScimError(
      () => normalizeResource(USER, user({ USERNAME: 'b' }), 'create'),
      'invalidSyntax',
      /"userName" is given more than once/,
    );
  });

  it('values of the wrong type, naming the path and the expected type', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ active: 'yes' }, /^Invalid value for "active": expected a boolean, got a string$/],
      [{ active: 1 }, /"active": expected a boolean, got an integer/],
      [{ displayName: 42 }, /"displayName": expected a string, got an integer/],
      [{ emails: [{ value: 5 }] }, /"emails\[0\]\.value": expected a string, got an integer/],
      [{ emails: [{ value: 'a', primary: 'maybe' }] }, /"emails\[0\]\.primary": expected a boolean/],
      [{ name: 'Barbara Jensen' }, /"name": expected an object, got a string/],
      [{ name: [{ givenName: 'B' }] }, /"name": expected an object, got an array/],
      [
        { emails: 'b@example.com' },
        /"emails": the attribute is multi-valued, expected an array, got a string/,
      ],
      [{ emails: [['b@example.com']] }, /"emails\[0\]": expected an object, got an array/],
      [{ x509Certificates: [{ value: 'not base64!' }] }, /expected a base64 string/],
      [{ profileUrl: {} }, /"profileUrl": expected a reference string, got an object/],
    ];
    for (const [extra, detail] of cases)
      assertScimError(() => normalizeResource(USER, user(extra), 'create'), 'invalidValue', detail);
  });

  it('a single object where a multi-valued attribute needs an array', () => {
    assertScimError(
      () => normalizeResource(USER, user({ emails: { value: 'b@example.com', type: 'work' } }), 'create'),
      'invalidValue',
      /^Invalid value for "emails": the attribute is multi-valued, expected an array, got an object$/,
    );
  });

  it('a missing required attribute, after unassigned values are removed', () => {
    for (const userName of [undefined, null, '']) {
      assertScimError(
        () => normalizeResource(USER, { schemas: [USER_SCHEMA], userName }, 'create'),
        'invalidValue',
        /^Attribute "userName" is required$/,
      );
    }
    assertScimError(
      () => normalizeResource(GROUP, { schemas: [GROUP_SCHEMA], members: [] }, 'create'),
      'invalidValue',
      /"displayName" is required/,
    );
  });

  it('more than one primary value (RFC 7643 §2.4)', () => {
    assertScimError(
      () =>
        normalizeResource(
          USER,
          user({
            emails: [
              { value: 'a@x', primary: true },
              { value: 'b@x', primary: true },
            ],
          }),
          'create',
        ),
      'invalidValue',
      /At most one value of "emails" may have "primary": true/,
    );
  });
});
