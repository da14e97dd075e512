/**
 * Every example filter of RFC 7644 §3.4.2.2, sent over HTTP as `GET /Users?filter=…` (URL-encoded)
 * and as `POST /Users/.search` (§3.4.3), against the users of RFC 7643 §8.2 and §8.3 and a few others
 * chosen so that each example selects a different set. Each case asserts exactly which users return.
 * @see RFC 7644 §3.4.2.2, §3.4.3; RFC 7643 §8.2, §8.3
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ENTERPRISE_USER, FULL_USER } from '../support/rfc-7643-users.ts';
import {
  conformanceDialects,
  LIST_RESPONSE_SCHEMA,
  SEARCH_REQUEST_SCHEMA,
  USER_SCHEMA,
  useConformanceService,
} from './conformance-service.ts';

type Label = 'bjensen' | 'enterprise' | 'john' | 'jsmith' | 'omalley' | 'kwong';

/** The seeded users besides §8.2 (`bjensen`) and §8.3 (`enterprise`). */
const OTHER_USERS: Record<Exclude<Label, 'bjensen' | 'enterprise'>, Record<string, unknown>> = {
  john: { userName: 'john', userType: 'Intern', emails: [{ type: 'home', value: 'john@example.org' }] },
  jsmith: {
    userName: 'jsmith@example.com',
    name: { givenName: 'James', familyName: 'Smith' },
    displayName: 'Smith, James',
    userType: 'Employee',
    emails: [{ type: 'home', value: 'james@example.org' }],
    ims: [{ type: 'xmpp', value: 'james@foo.com' }],
  },
  omalley: {
    userName: 'somalley',
    name: { givenName: 'Sean', familyName: "O'Malley" },
    title: 'Stunt Coordinator',
    userType: 'Contractor',
    emails: [{ type: 'work', value: 'sean@omalley.example.net' }],
  },
  kwong: { userName: 'kwong', userType: 'Employee', emails: [{ type: 'work', value: 'kwong@example.org' }] },
};

const ALL: readonly Label[] = ['bjensen', 'enterprise', 'john', 'jsmith', 'omalley', 'kwong'];

/** Each §3.4.2.2 example, in the RFC's order, with the users it selects. */
const EXAMPLES: readonly (readonly [string, readonly Label[]])[] = [
  // "Attribute names and attribute operators used in filters are case insensitive."
  ['userName Eq "john"', ['john']],
  ['Username eq "john"', ['john']],
  ['userName eq "bjensen"', []],
  ['name.familyName co "O\'Malley"', ['omalley']],
  ['userName sw "J"', ['john', 'jsmith']],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['john', 'jsmith']],
  ['title pr', ['bjensen', 'enterprise', 'omalley']],
  // Every user here was modified after 2011 (meta is the server's, RFC 7643 §3.1).
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', ALL],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', ALL],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', []],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', []],
  ['title pr and userType eq "Employee"', ['bjensen', 'enterprise']],
  ['title pr or userType eq "Intern"', ['bjensen', 'enterprise', 'john', 'omalley']],
  ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', ['enterprise']],
  [
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    ['bjensen', 'enterprise', 'jsmith', 'kwong'],
  ],
  ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', ['omalley']],
  ['userType eq "Employee" and (emails.type eq "work")', ['bjensen', 'enterprise', 'kwong']],
  [
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    ['bjensen', 'enterprise'],
  ],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ['bjensen', 'enterprise', 'jsmith'],
  ],
];

for (const dialect of await conformanceDialects()) {
  describe(`RFC 7644 §3.4.2.2 filter examples over HTTP (${dialect.name})`, () => {
    const client = useConformanceService(dialect);
    const labelOf = new Map<string, Label>();

    before(async () => {
      const seed: [Label, Record<string, unknown>][] = [
        ['bjensen', FULL_USER],
        ['enterprise', ENTERPRISE_USER],
        ...Object.entries(OTHER_USERS).map(
          ([label, user]) =>
            [label as Label, { schemas: [USER_SCHEMA], ...user }] as [Label, Record<string, unknown>],
        ),
      ];
      for (const [label, body] of seed) {
        const response = await client.request('POST', 'Users', { body });
        assert.equal(response.status, 201, `${label}: ${response.text}`);
        labelOf.set(response.body.id, label);
      }
    });

    const labelsOf = (body: { schemas: string[]; totalResults: number; Resources: { id: string }[] }) => {
      assert.deepEqual(body.schemas, [LIST_RESPONSE_SCHEMA]);
      assert.equal(body.totalResults, body.Resources.length);
      return body.Resources.map((resource) => labelOf.get(resource.id) ?? resource.id).sort();
    };

    for (const [filter, expected] of EXAMPLES) {
      it(`GET filter=${filter}`, async () => {
        const response = await client.request('GET', `Users?filter=${encodeURIComponent(filter)}`);
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(labelsOf(response.body), [...expected].sort());
      });

      it(`POST .search filter=${filter}`, async () => {
        const response = await client.request('POST', 'Users/.search', {
          body: { schemas: [SEARCH_REQUEST_SCHEMA], filter },
        });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(labelsOf(response.body), [...expected].sort());
      });
    }

    it('§3.4.3 SearchRequest example, sent to /Users/.search (root /.search answers 501 here)', async () => {
      const response = await client.request('POST', 'Users/.search', {
        body: {
          schemas: [SEARCH_REQUEST_SCHEMA],
          attributes: ['displayName', 'userName'],
          filter: 'displayName sw "smith"',
          startIndex: 1,
          count: 10,
        },
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(labelsOf(response.body), ['jsmith']);
      for (const resource of response.body.Resources) {
        assert.deepEqual(Object.keys(resource).sort(), ['displayName', 'id', 'schemas', 'userName']);
      }
    });
  });
}
