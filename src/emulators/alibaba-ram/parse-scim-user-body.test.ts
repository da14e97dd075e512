import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScimUserBody, USER_SCHEMA } from './parse-scim-user-body.ts';
import { RamScimError } from './scim-error-reply.ts';

const STRICT = { displayNameMaxLength: 128, unknownAttributes: 'reject' } as const;

function refusal(body: unknown, options = STRICT): RamScimError {
  try {
    parseScimUserBody(body, options);
  } catch (error) {
    assert.ok(error instanceof RamScimError);
    return error;
  }
  assert.fail('accepted');
}

describe('parseScimUserBody', () => {
  it('reads the guide’s create body', () => {
    assert.deepEqual(
      parseScimUserBody(
        {
          displayName: 'j2gg0s_x',
          schemas: [USER_SCHEMA],
          externalId: '6e74eec4-ddb5-4e74-bd12-5e7b99b2abcd',
          userName: 'j2gg0screatedbyscim_exa',
        },
        STRICT,
      ),
      {
        userName: 'j2gg0screatedbyscim_exa',
        displayName: 'j2gg0s_x',
        externalId: '6e74eec4-ddb5-4e74-bd12-5e7b99b2abcd',
      },
    );
  });

  it('ignores id, meta and active; names are case-insensitive; a null externalId is none', () => {
    assert.deepEqual(
      parseScimUserBody(
        {
          Schemas: [USER_SCHEMA],
          id: '1',
          meta: {},
          active: false,
          USERNAME: 'bob',
          DisplayName: 'Bob',
          externalId: null,
        },
        STRICT,
      ),
      { userName: 'bob', displayName: 'Bob' },
    );
  });

  it('refuses attributes RAM does not have, unless told to ignore them', () => {
    const body = {
      schemas: [USER_SCHEMA],
      userName: 'bob',
      displayName: 'Bob',
      emails: [{ value: 'b@x.com' }],
    };
    const error = refusal(body);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, 'invalidSyntax');
    assert.match(error.message, /"emails"/);
    assert.deepEqual(parseScimUserBody(body, { ...STRICT, unknownAttributes: 'ignore' }), {
      userName: 'bob',
      displayName: 'Bob',
    });
  });

  it('names the first problem: body, schemas, userName, displayName, externalId', () => {
    assert.match(refusal([]).message, /JSON object/);
    assert.match(refusal({ userName: 'bob', displayName: 'Bob' }).message, /"schemas" must list/);
    assert.equal(refusal({ schemas: [USER_SCHEMA], displayName: 'Bob' }).scimType, 'invalidValue');
    assert.match(
      refusal({ schemas: [USER_SCHEMA], userName: 7, displayName: 'Bob' }).message,
      /userName must be a string/,
    );
    assert.match(
      refusal({ schemas: [USER_SCHEMA], userName: 'b@x.com', displayName: 'Bob' }).message,
      /without a domain/,
    );
    assert.match(refusal({ schemas: [USER_SCHEMA], userName: 'bob' }).message, /displayName is required/);
    assert.match(refusal({ schemas: [USER_SCHEMA], userName: 'bob', displayName: '' }).message, /1 to 128/);
    assert.match(
      refusal({ schemas: [USER_SCHEMA], userName: 'bob', displayName: 'Bob', externalId: '' }).message,
      /externalId must be a non-empty string/,
    );
    assert.match(
      refusal({ schemas: [USER_SCHEMA], userName: 'bob', USERNAME: 'b' }).message,
      /appears twice/,
    );
  });
});
