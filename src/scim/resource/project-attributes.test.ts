import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import { parseAttributeList } from './parse-attribute-list.ts';
import { compileAttributeProjection, projectAttributes } from './project-attributes.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');

/** A fully rendered User, as the server would return it before projection. */
const RENDERED_USER = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: '701984',
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  password: 'never-returned',
  groups: [{ value: 'g1', display: 'Tour Guides', type: 'direct' }],
  [ENTERPRISE_USER_SCHEMA]: {
    employeeNumber: '701984',
    manager: { value: '26118915', displayName: 'John Smith' },
  },
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22.000Z',
    location: 'https://example.com/v2/Users/2819c223',
  },
};

const project = (options: { attributes?: string[]; excludedAttributes?: string[] }) =>
  projectAttributes(USER, RENDERED_USER, options);

describe('projectAttributes', () => {
  it('returns the default set without parameters: everything but returned "never"', () => {
    const { password: _password, ...expected } = RENDERED_USER;
    assert.deepEqual(project({}), expected);
  });

  it('returns only the named attributes plus id and schemas ("always") for attributes=…', () => {
    assert.deepEqual(project({ attributes: ['userName'] }), {
      schemas: RENDERED_USER.schemas,
      id: RENDERED_USER.id,
      userName: 'bjensen@example.com',
    });
  });

  it('matches names case-insensitively, with or without the core URN', () => {
    const expected = project({ attributes: ['userName'] });
    assert.deepEqual(project({ attributes: ['USERNAME'] }), expected);
    assert.deepEqual(project({ attributes: [`${USER_SCHEMA.toUpperCase()}:username`] }), expected);
  });

  it('narrows a complex attribute to the named sub-attributes', () => {
    assert.deepEqual(project({ attributes: ['name.givenName', 'emails.value'] }), {
      schemas: RENDERED_USER.schemas,
      id: RENDERED_USER.id,
      name: { givenName: 'Barbara' },
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }],
    });
  });

  it('selects extension attributes by qualified name, or a whole extension by its URN', () => {
    assert.deepEqual(project({ attributes: [`${ENTERPRISE_USER_SCHEMA}:manager.value`] }), {
      schemas: RENDERED_USER.schemas,
      id: RENDERED_USER.id,
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: '26118915' } },
    });
    assert.deepEqual(project({ attributes: [ENTERPRISE_USER_SCHEMA.toLowerCase()] }), {
      schemas: RENDERED_USER.schemas,
      id: RENDERED_USER.id,
      [ENTERPRISE_USER_SCHEMA]: RENDERED_USER[ENTERPRISE_USER_SCHEMA],
    });
  });

  it('never returns returned "never" attributes, even when named', () => {
    assert.equal(project({ attributes: ['password'] }).password, undefined);
  });

  it('ignores names that match no attribute', () => {
    assert.deepEqual(
      project({ attributes: ['userName', 'fooBar', 'name.nope', 'emails[type eq "work"]', '!!'] }),
      {
        schemas: RENDERED_USER.schemas,
        id: RENDERED_USER.id,
        userName: 'bjensen@example.com',
      },
    );
    assert.deepEqual(project({ excludedAttributes: ['fooBar'] }), project({}));
  });

  it('removes excluded attributes, sub-attributes and extensions from the default set', () => {
    const projected = project({
      excludedAttributes: ['emails', 'name.givenName', 'meta', ENTERPRISE_USER_SCHEMA],
    });
    assert.equal(projected.emails, undefined);
    assert.equal(projected.meta, undefined);
    assert.equal(projected[ENTERPRISE_USER_SCHEMA], undefined);
    assert.deepEqual(projected.name, { familyName: 'Jensen' });
    assert.equal(projected.userName, 'bjensen@example.com');
  });

  it('keeps "always" attributes when they are excluded (RFC 7644 §3.4.2.5)', () => {
    const projected = project({ excludedAttributes: ['id', 'schemas'] });
    assert.equal(projected.id, RENDERED_USER.id);
    assert.deepEqual(projected.schemas, RENDERED_USER.schemas);
  });

  it("answers Entra's group lookup with excludedAttributes=members", () => {
    const group = {
      schemas: [GROUP_SCHEMA],
      id: 'g1',
      displayName: 'Tour Guides',
      members: [{ value: 'u1', display: 'Babs' }],
      meta: { resourceType: 'Group' },
    };
    const { members: _members, ...expected } = group;
    assert.deepEqual(
      projectAttributes(GROUP, group, { excludedAttributes: parseAttributeList('members') }),
      expected,
    );
  });

  it('refuses attributes and excludedAttributes together (RFC 7644 §3.9: mutually exclusive)', () => {
    assert.throws(
      () => compileAttributeProjection(USER, { attributes: ['userName'], excludedAttributes: ['emails'] }),
      (error: unknown) => error instanceof ScimError && error.scimType === 'invalidSyntax',
    );
  });
});

describe('parseAttributeList', () => {
  it('splits a comma-separated parameter, trims names and drops empty ones', () => {
    assert.deepEqual(parseAttributeList(' userName, name.givenName,,emails '), [
      'userName',
      'name.givenName',
      'emails',
    ]);
    assert.deepEqual(parseAttributeList(''), []);
    assert.deepEqual(parseAttributeList(undefined), []);
  });
});
