import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { userFilterArbitrary } from '../../../test/support/scim-arbitraries.ts';
import { ScimError } from '../errors.ts';
import { findSubAttribute, getResourceType, resolveAttribute } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../schema/schema-urns.ts';
import type { Filter } from './filter-ast.ts';
import { parseFilter } from './parse-filter.ts';
import { printFilter } from './print-filter.ts';
import { resolveElementFilter, resolveFilter } from './resolve-filter.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');
const resolveText = (text: string) => printFilter(resolveFilter(parseFilter(text), USER));

function assertRejected(text: string, detail: RegExp, resourceType = USER): void {
  assert.throws(
    () => resolveFilter(parseFilter(text), resourceType),
    (error: unknown) => {
      assert.ok(error instanceof ScimError);
      assert.equal(error.status, 400);
      assert.equal(error.scimType, 'invalidFilter');
      assert.match(error.message, detail);
      return true;
    },
  );
}

describe('resolveFilter', () => {
  it('sets the defining schema URN and the schema spelling on every path', () => {
    assert.equal(resolveText('USERNAME eq "x"'), `${USER_SCHEMA}:userName eq "x"`);
    assert.equal(resolveText('Name.GivenName sw "J"'), `${USER_SCHEMA}:name.givenName sw "J"`);
    assert.equal(resolveText('meta.LASTMODIFIED pr'), `${USER_SCHEMA}:meta.lastModified pr`);
    assert.equal(resolveText('id eq "1"'), `${USER_SCHEMA}:id eq "1"`);
    assert.equal(
      resolveText(`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:EmployeeNumber eq "7"`),
      `${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "7"`,
    );
    assert.equal(
      printFilter(resolveFilter(parseFilter('members.display co "a"'), GROUP)),
      `${GROUP_SCHEMA}:members.display co "a"`,
    );
  });

  it('rewrites a complex attribute compared without a sub-attribute to its value', () => {
    assert.equal(resolveText('emails co "example.com"'), `${USER_SCHEMA}:emails.value co "example.com"`);
    assert.equal(
      resolveText(`${ENTERPRISE_USER_SCHEMA}:manager eq "42"`),
      `${ENTERPRISE_USER_SCHEMA}:manager.value eq "42"`,
    );
  });

  it('leaves pr and eq/ne null on a complex attribute alone', () => {
    assert.equal(resolveText('emails pr'), `${USER_SCHEMA}:emails pr`);
    assert.equal(resolveText('name eq null'), `${USER_SCHEMA}:name eq null`);
    assert.equal(resolveText('emails ne null'), `${USER_SCHEMA}:emails ne null`);
  });

  it('resolves value paths relative to their attribute, without uri on the inner paths', () => {
    assert.deepStrictEqual(
      resolveFilter(parseFilter('EMAILS[Type eq "work" and not (PRIMARY eq false)]'), USER),
      {
        kind: 'valuePath',
        path: { uri: USER_SCHEMA, name: 'emails' },
        filter: {
          kind: 'and',
          left: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
          right: {
            kind: 'not',
            filter: { kind: 'compare', path: { name: 'primary' }, op: 'eq', value: false },
          },
        },
      },
    );
    assert.equal(resolveText('name[givenName pr]'), `${USER_SCHEMA}:name[givenName pr]`);
  });

  it('canonicalises dateTime literals', () => {
    assert.equal(
      resolveText('meta.lastModified gt "2011-05-13T06:42:34.5+02:00"'),
      `${USER_SCHEMA}:meta.lastModified gt "2011-05-13T04:42:34.500Z"`,
    );
  });

  it('accepts literals of the attribute type', () => {
    for (const text of [
      'active eq true',
      'active ne false',
      'active eq null',
      'active pr',
      'x509Certificates.value eq "TUlJ"',
      'userName gt "a"',
      'profileUrl sw "https:"',
      'meta.created le "2011-05-13T04:42:34Z"',
      'title ne null',
    ]) {
      assert.doesNotThrow(() => resolveText(text), text);
    }
  });

  const rejected: readonly (readonly [string, RegExp])[] = [
    ['nickname2 eq "x"', /^Invalid filter: "nickname2" is not an attribute of User resources$/],
    ['urn:example:Foo:userName eq "x"', /"urn:example:Foo:userName" is not an attribute of User resources/],
    ['name.middle eq "x"', /^Invalid filter: "middle" is not a sub-attribute of "name"$/],
    ['userName.value eq "x"', /"userName" is a string attribute and has no sub-attribute "value"/],
    ['name eq "Barbara"', /"name" is a complex attribute without a "value" sub-attribute/],
    ['password eq "secret"', /"password" cannot be used in a filter because it is never returned/],
    ['password pr', /never returned/],
    ['active gt true', /"active" is a boolean attribute: only eq, ne and pr apply to it, not gt/],
    ['active co "t"', /only eq, ne and pr/],
    ['active eq "true"', /"active" is a boolean attribute: compare it with true, false or null/],
    ['active eq 1', /compare it with true, false or null/],
    ['x509Certificates.value sw "MII"', /"x509Certificates.value" is a binary attribute: only eq, ne and pr/],
    ['x509Certificates.value eq 1', /binary attribute: compare it with a string, not 1/],
    ['userName eq 1', /"userName" is a string attribute: compare it with a string, not 1/],
    ['userName eq true', /compare it with a string, not true/],
    [
      'meta.lastModified gt "yesterday"',
      /"meta.lastModified" is a dateTime attribute: compare it with an xsd:dateTime string/,
    ],
    ['meta.lastModified eq 5', /xsd:dateTime string such as "2011-05-13T04:42:34Z", not 5/],
    [
      'meta.lastModified co "2011"',
      /"meta.lastModified" is a dateTime attribute: co applies only to string attributes/,
    ],
    ['meta.created sw "2011"', /sw applies only to string attributes/],
    ['userName gt null', /"gt null" is not allowed; use "eq null" \(not present\) or "ne null" \(present\)/],
    ['emails co null', /"co null" is not allowed/],
    ['userName[value eq "x"]', /"userName\[…\]" needs a complex attribute before "\["/],
    ['emails[display2 eq "x"]', /"display2" is not a sub-attribute of "emails"/],
    ['emails[primary eq "yes"]', /"primary" is a boolean attribute/],
    ['employeeNumber2 eq "1"', /"employeeNumber2" is not an attribute of User resources/],
  ];
  for (const [text, detail] of rejected) {
    it(`rejects ${text}`, () => assertRejected(text, detail));
  }

  it('resolves an extension attribute written without its URN (Entra tutorial Example 4: manager)', () => {
    const resolved = resolveFilter(parseFilter('manager eq "26118915-6090-4610-87e4-49d8ca9f808d"'), USER);
    assert.deepEqual(resolved, {
      kind: 'compare',
      path: {
        uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        name: 'manager',
        sub: 'value',
      },
      op: 'eq',
      value: '26118915-6090-4610-87e4-49d8ca9f808d',
    });
  });

  it('rejects an attribute of another resource type', () => {
    assertRejected('members pr', /"members" is not an attribute of User resources/);
    assertRejected('userName pr', /"userName" is not an attribute of Group resources/, GROUP);
  });

  it('resolves every generated User filter into a tree whose paths the registry knows', () => {
    fc.assert(
      fc.property(userFilterArbitrary, (filter) => {
        const resolved = resolveFilter(filter, USER);
        assertResolved(resolved);
        assert.deepStrictEqual(resolveFilter(resolved, USER), resolved, 'resolution is idempotent');
      }),
      { numRuns: 1000 },
    );
  });
});

/** Every top-level path is canonical (uri set, schema spelling) and inner paths are bare. */
function assertResolved(filter: Filter): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      assertResolved(filter.left);
      assertResolved(filter.right);
      return;
    case 'not':
      assertResolved(filter.filter);
      return;
    case 'valuePath': {
      const parent = resolveAttribute(USER, filter.path);
      assert.ok(parent !== undefined);
      assert.deepStrictEqual(parent.path, filter.path);
      return;
    }
    default: {
      const resolved = resolveAttribute(USER, filter.path);
      assert.ok(resolved !== undefined, JSON.stringify(filter.path));
      assert.deepStrictEqual({ ...resolved.path }, { ...filter.path });
    }
  }
}

describe('resolveElementFilter', () => {
  const emails = resolveAttribute(USER, { name: 'emails' })!.definition;

  it('resolves sub-attribute names relative to the parent', () => {
    assert.deepStrictEqual(resolveElementFilter(parseFilter('TYPE eq "work" or Value ew "@x"'), emails), {
      kind: 'or',
      left: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
      right: { kind: 'compare', path: { name: 'value' }, op: 'ew', value: '@x' },
    });
  });

  it('rejects qualified, dotted and nested paths and non-complex parents', () => {
    assert.throws(() => resolveElementFilter(parseFilter('emails.type eq "work"'), emails), {
      message: /inside "emails\[…\]" name a sub-attribute of "emails", not "emails.type"/,
    });
    assert.throws(() => resolveElementFilter(parseFilter('value[type pr]'), emails), {
      message: /value filters cannot be nested inside "emails\[…\]"/,
    });
    assert.throws(() => resolveElementFilter(parseFilter('type pr'), findSubAttribute(emails, 'value')!), {
      scimType: 'invalidFilter',
      message: /"value" is a string attribute and has no sub-attribute "type"/,
    });
  });
});
