import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FULL_USER } from '../../../test/support/rfc-7643-users.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { evaluateFilter } from './evaluate-filter.ts';
import { parseFilter } from './parse-filter.ts';
import { printFilter } from './print-filter.ts';
import { resolveFilter } from './resolve-filter.ts';

/** The full User representation of RFC 7643 §8.2, with dateTimes canonical as the server stores them. */
const BARBARA_JENSEN = {
  ...FULL_USER,
  meta: { ...FULL_USER.meta, created: '2010-01-23T04:56:22.000Z', lastModified: '2011-05-13T04:42:34.000Z' },
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
