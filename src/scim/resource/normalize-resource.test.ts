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

/** RFC 7643 §8.3: the full enterprise user representation (certificate shortened, still base64). */
const RFC_ENTERPRISE_USER = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: '701984',
  userName: 'bjensen@example.com',
  name: {
    formatted: 'Ms. Barbara J Jensen, III',
    familyName: 'Jensen',
    givenName: 'Barbara',
    middleName: 'Jane',
    honorificPrefix: 'Ms.',
    honorificSuffix: 'III',
  },
  displayName: 'Babs Jensen',
  nickName: 'Babs',
  profileUrl: 'https://login.example.com/bjensen',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [
    {
      streetAddress: '100 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA',
      type: 'work',
      primary: true,
    },
    {
      streetAddress: '456 Hollywood Blvd',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      formatted: '456 Hollywood Blvd\nHollywood, CA 91608 USA',
      type: 'home',
    },
  ],
  phoneNumbers: [
    { value: '555-555-5555', type: 'work' },
    { value: '555-555-4444', type: 'mobile' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  photos: [
    { value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' },
    { value: 'https://photos.example.com/profilephoto/72930000000Ccne/T', type: 'thumbnail' },
  ],
  userType: 'Employee',
  title: 'Tour Guide',
  preferredLanguage: 'en-US',
  locale: 'en-US',
  timezone: 'America/Los_Angeles',
  active: true,
  password: 't1meMa$heen',
  groups: [
    {
      value: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
      $ref: 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
      display: 'Tour Guides',
    },
  ],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }],
  [ENTERPRISE_USER_SCHEMA]: {
    employeeNumber: '701984',
    costCenter: '4130',
    organization: 'Universal Studios',
    division: 'Theme Park',
    department: 'Tour Operations',
    manager: {
      value: '26118915-6090-4610-87e4-49d8ca9f808d',
      $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d',
      displayName: 'John Smith',
    },
  },
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff591"',
    location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
  },
};

describe('normalizeResource', () => {
  it('turns the RFC 7643 §8.3 enterprise user into the stored document', () => {
    const { doc, password, members } = normalizeResource(USER, RFC_ENTERPRISE_USER, 'create');
    assert.equal(password, 't1meMa$heen');
    assert.equal(members, undefined);
    for (const serverOwned of ['id', 'meta', 'groups', 'password']) assert.equal(doc[serverOwned], undefined);
    assert.deepEqual(doc.schemas, [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    assert.equal(doc.userName, 'bjensen@example.com');
    assert.deepEqual(doc.emails, RFC_ENTERPRISE_USER.emails);
    assert.deepEqual(doc.addresses, RFC_ENTERPRISE_USER.addresses);
    assert.deepEqual(doc.x509Certificates, RFC_ENTERPRISE_USER.x509Certificates);
    assert.deepEqual(doc[ENTERPRISE_USER_SCHEMA], {
      employeeNumber: '701984',
      costCenter: '4130',
      organization: 'Universal Studios',
      division: 'Theme Park',
      department: 'Tour Operations',
      // displayName is readOnly: ignored on input (RFC 7644 §3.5.1)
      manager: {
        value: '26118915-6090-4610-87e4-49d8ca9f808d',
        $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d',
      },
    });
  });

  it('gives the same document for a PUT of what a GET returned', () => {
    const created = normalizeResource(USER, RFC_ENTERPRISE_USER, 'create');
    const replaced = normalizeResource(USER, RFC_ENTERPRISE_USER, 'replace');
    assert.deepEqual(replaced, created);
  });

  it('matches attribute names and URNs case-insensitively and stores the schema spelling', () => {
    const { doc } = normalizeResource(
      USER,
      {
        SCHEMAS: [USER_SCHEMA.toUpperCase(), ENTERPRISE_USER_SCHEMA.toLowerCase()],
        USERNAME: 'bjensen',
        Name: { GIVENNAME: 'Barbara' },
        eMails: [{ VALUE: 'b@example.com', Primary: true }],
        [ENTERPRISE_USER_SCHEMA.toUpperCase()]: { EMPLOYEENUMBER: '7' },
      },
      'create',
    );
    assert.deepEqual(doc, {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'bjensen',
      name: { givenName: 'Barbara' },
      emails: [{ value: 'b@example.com', primary: true }],
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '7' },
    });
  });

  it('adds an extension with data that the client left out of schemas, and drops one without data', () => {
    const withData = normalizeResource(
      USER,
      { schemas: [USER_SCHEMA], userName: 'a', [ENTERPRISE_USER_SCHEMA]: { department: 'R&D' } },
      'create',
    );
    assert.deepEqual(withData.doc.schemas, [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    const withoutData = normalizeResource(
      USER,
      {
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: 'a',
        [ENTERPRISE_USER_SCHEMA]: { department: '' },
      },
      'create',
    );
    assert.deepEqual(withoutData.doc, { schemas: [USER_SCHEMA], userName: 'a' });
  });

  it('routes a URN-qualified top-level key to its schema', () => {
    const { doc } = normalizeResource(
      USER,
      {
        schemas: [USER_SCHEMA],
        [`${USER_SCHEMA}:userName`]: 'a',
        [`${ENTERPRISE_USER_SCHEMA}:department`]: 'Sales',
      },
      'create',
    );
    assert.deepEqual(doc, {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'a',
      [ENTERPRISE_USER_SCHEMA]: { department: 'Sales' },
    });
  });

  it('removes unassigned values: null, empty strings, empty arrays, empty complex values', () => {
    const { doc } = normalizeResource(
      USER,
      {
        schemas: [USER_SCHEMA],
        userName: 'a',
        displayName: null,
        nickName: '',
        emails: [],
        phoneNumbers: [{ value: null, type: '' }, { value: '555' }],
        name: { givenName: '', familyName: null },
        roles: [],
      },
      'create',
    );
    assert.deepEqual(doc, { schemas: [USER_SCHEMA], userName: 'a', phoneNumbers: [{ value: '555' }] });
  });

  it('ignores readOnly attributes and sub-attributes', () => {
    const { doc } = normalizeResource(
      USER,
      {
        schemas: [USER_SCHEMA],
        id: 'client-chosen',
        meta: { resourceType: 'User', created: 'not even a date' },
        userName: 'a',
        groups: [{ value: 'g1', display: 'G' }],
      },
      'replace',
    );
    assert.deepEqual(doc, { schemas: [USER_SCHEMA], userName: 'a' });
  });

  it('does not enforce canonicalValues of type sub-attributes (clients use custom types)', () => {
    const { doc } = normalizeResource(
      USER,
      { schemas: [USER_SCHEMA], userName: 'a', emails: [{ value: 'a@b.c', type: 'Custom Label' }] },
      'create',
    );
    assert.deepEqual(doc.emails, [{ value: 'a@b.c', type: 'Custom Label' }]);
  });

  describe('Group members', () => {
    it('are split out, canonical, without display or $ref, duplicates dropped', () => {
      const { doc, members } = normalizeResource(
        GROUP,
        {
          schemas: [GROUP_SCHEMA],
          displayName: 'Tour Guides',
          members: [
            { value: 'u1', display: 'Babs', $ref: 'https://example.com/v2/Users/u1', type: 'user' },
            { value: 'g1', type: 'GROUP' },
            { value: 'u2' },
            { value: 'u1', type: 'User' },
          ],
        },
        'create',
      );
      assert.deepEqual(doc, { schemas: [GROUP_SCHEMA], displayName: 'Tour Guides' });
      assert.deepEqual(members, [
        { value: 'u1', type: 'User' },
        { value: 'g1', type: 'Group' },
        { value: 'u2' },
      ]);
    });

    it('are an empty list when the body has members: [] or null, and absent when it has none', () => {
      const group = (extra: Record<string, unknown>) => ({
        schemas: [GROUP_SCHEMA],
        displayName: 'G',
        ...extra,
      });
      assert.deepEqual(normalizeResource(GROUP, group({ members: [] }), 'replace').members, []);
      assert.deepEqual(normalizeResource(GROUP, group({ members: null }), 'replace').members, []);
      assert.equal(normalizeResource(GROUP, group({}), 'replace').members, undefined);
    });

    it('enforce the canonical values of members.type, and need a value', () => {
      const group = (members: unknown) => ({ schemas: [GROUP_SCHEMA], displayName: 'G', members });
      assertScimError(
        () => normalizeResource(GROUP, group([{ value: 'x', type: 'Robot' }]), 'create'),
        'invalidValue',
        /"members\[0\]\.type": expected one of User, Group/,
      );
      assertScimError(
        () => normalizeResource(GROUP, group([{ display: 'Babs', type: 'User' }]), 'create'),
        'invalidValue',
        /"members\[0\]\.value" is required/,
      );
      assertScimError(
        () => normalizeResource(GROUP, group({ value: 'x' }), 'create'),
        'invalidValue',
        /multi-valued/,
      );
    });
  });
});
