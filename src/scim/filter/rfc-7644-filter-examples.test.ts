import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getResourceType } from '../schema/schema-registry.ts';
import { evaluateFilter } from './evaluate-filter.ts';
import { parseFilter } from './parse-filter.ts';
import { printFilter } from './print-filter.ts';
import { resolveFilter } from './resolve-filter.ts';

/** The full User representation of RFC 7643 §8.2. */
const BARBARA_JENSEN = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
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
      type: 'work',
      streetAddress: '100 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA',
      primary: true,
    },
    {
      type: 'home',
      streetAddress: '456 Hollywood Blvd',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      formatted: '456 Hollywood Blvd\nHollywood, CA 91608 USA',
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
    {
      value: 'fc348aa8-3835-40eb-a20b-c726e15c55b5',
      $ref: 'https://example.com/v2/Groups/fc348aa8-3835-40eb-a20b-c726e15c55b5',
      display: 'Employees',
    },
    {
      value: '71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7',
      $ref: 'https://example.com/v2/Groups/71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7',
      display: 'US Employees',
    },
  ],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx' }],
  meta: {
    resourceType: 'User',
    // Canonical, as the server stores dateTimes; the RFC prints them without milliseconds.
    created: '2010-01-23T04:56:22.000Z',
    lastModified: '2011-05-13T04:42:34.000Z',
    version: 'W/"a330bc54f0671c9"',
    location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
  },
};

/**
 * Every example filter of RFC 7644 §3.4.2.2, with its outcome against the §8.2 user.
 * `undefined`: parses, but this server cannot evaluate it (see the test below).
 */
const EXAMPLES: readonly (readonly [string, boolean | undefined])[] = [
  ['userName Eq "john"', false],
  ['Username eq "john"', false],
  ['userName eq "bjensen"', false],
  ['name.familyName co "O\'Malley"', false],
  ['userName sw "J"', false],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', false],
  ['title pr', true],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', true],
  ['title pr and userType eq "Employee"', true],
  ['title pr or userType eq "Intern"', true],
  // The §8.2 user carries no enterprise extension.
  ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', false],
  ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
  ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
  ['userType eq "Employee" and (emails.type eq "work")', true],
  ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
  ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', true],
];

const USER = getResourceType('User');

describe('RFC 7644 §3.4.2.2 example filters', () => {
  for (const [text, expected] of EXAMPLES) {
    it(`${text} → ${expected ?? 'parses'}`, () => {
      const parsed = parseFilter(text);
      assert.deepStrictEqual(parseFilter(printFilter(parsed)), parsed);
      if (expected === undefined) return;
      assert.equal(evaluateFilter(resolveFilter(parsed, USER), BARBARA_JENSEN, USER), expected);
    });
  }

  it('filters on "schemas": the URNs of the core schema and of the extensions holding data', () => {
    const filter = resolveFilter(
      parseFilter('SCHEMAS eq "URN:ietf:params:scim:schemas:extension:enterprise:2.0:User"'),
      USER,
    );
    const enterprise = {
      ...BARBARA_JENSEN,
      schemas: [
        ...(BARBARA_JENSEN.schemas as string[]),
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      ],
    };
    assert.equal(evaluateFilter(filter, enterprise, USER), true);
    assert.equal(evaluateFilter(filter, BARBARA_JENSEN, USER), false);
    assert.throws(() => resolveFilter(parseFilter('schemas.value eq "urn:x"'), USER), {
      scimType: 'invalidFilter',
    });
  });

  it('matches the §8.2 user with filters that hold', () => {
    for (const text of [
      'userName eq "BJENSEN@example.com"',
      'name.familyName co "ens"',
      'emails[type eq "home" and value ew "jensen.org"]',
      'emails[primary eq true and value sw "bjensen"]',
      'addresses[type eq "work" and locality eq "hollywood"]',
      'groups.display eq "us employees"',
      'meta.created lt "2010-01-23T05:56:22.001+01:00"',
      'meta.created eq "2010-01-23T05:56:22+01:00"',
      'externalId eq "701984" and id sw "2819c223"',
      'not (nickName eq "Bob") and nickName ne "Bob"',
      'x509Certificates.value eq "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"',
      'x509Certificates pr and photos.type eq "thumbnail"',
      'roles eq null and entitlements ne "x" and not (roles pr)',
      'active eq true and active ne false and active ne null',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq null',
    ]) {
      assert.equal(evaluateFilter(resolveFilter(parseFilter(text), USER), BARBARA_JENSEN, USER), true, text);
    }
  });
});
