import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  userFilterArbitrary,
  userResourceArbitrary,
  userResourcesArbitrary,
} from '../../../test/support/scim-arbitraries.ts';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { getResourceType } from '../schema/schema-registry.ts';
import { ENTERPRISE_USER_SCHEMA } from '../schema/schema-urns.ts';
import { isPresentValue } from './compare-values.ts';
import { evaluateElementFilter, evaluateFilter } from './evaluate-filter.ts';
import type { Filter } from './filter-ast.ts';
import { parseFilter } from './parse-filter.ts';
import { printFilter } from './print-filter.ts';
import { resolveElementFilter, resolveFilter } from './resolve-filter.ts';

const USER = getResourceType('User');
const GROUP = getResourceType('Group');

function matches(text: string, resource: Record<string, unknown>, resourceType = USER): boolean {
  return evaluateFilter(resolveFilter(parseFilter(text), resourceType), resource, resourceType);
}

describe('evaluateFilter', () => {
  it('folds case for attributes that are not caseExact, and only for those', () => {
    const user = { userName: 'BJensen', externalId: 'AbC', id: 'Xy' };
    assert.ok(matches('userName eq "bjensen"', user));
    assert.ok(matches('userName co "JENS"', user));
    assert.ok(!matches('externalId eq "abc"', user));
    assert.ok(matches('externalId eq "AbC"', user));
    assert.ok(!matches('id sw "x"', user));
  });

  it('folds with toLowerCase, İ and final sigma included', () => {
    assert.ok(!matches('userName eq "i"', { userName: 'İ' }), 'İ folds to i + combining dot');
    assert.ok(matches('userName sw "i"', { userName: 'İ' }));
    assert.ok(matches('userName eq "i\u0307"', { userName: 'İ' }));
    assert.ok(matches('userName eq "ας"', { userName: 'ΑΣ' }));
    assert.ok(matches('userName eq "σ"', { userName: 'Σ' }));
    assert.ok(matches('userName eq "ÄÉ"', { userName: 'äé' }));
  });

  it('orders strings by code point after folding', () => {
    assert.ok(matches('userName lt "😀"', { userName: '\uFF5E' }));
    assert.ok(matches('userName lt "B"', { userName: 'a' }), 'folded, so "a" < "b" although "a" > "B"');
    assert.ok(matches('externalId gt "B"', { externalId: 'a' }), 'caseExact, so "a" > "B"');
  });

  it('compares dateTimes as instants via their canonical strings', () => {
    const user = { meta: { lastModified: '2011-05-13T04:42:34.000Z' } };
    assert.ok(matches('meta.lastModified eq "2011-05-13T06:42:34+02:00"', user));
    assert.ok(matches('meta.lastModified gt "2011-05-13T04:42:33.999Z"', user));
    assert.ok(!matches('meta.lastModified gt "2011-05-13T04:42:34Z"', user));
    assert.ok(matches('meta.lastModified lt "2011-05-13T00:00:00-05:00"', user));
  });

  it('is true when any value of a multi-valued attribute matches', () => {
    const user = {
      emails: [
        { value: 'a@x.org', type: 'work' },
        { value: 'b@y.org', type: 'home' },
      ],
    };
    assert.ok(matches('emails.type eq "home"', user));
    assert.ok(matches('emails co "@y"', user));
    assert.ok(matches('emails.type eq "work" and emails.value co "@y"', user));
    assert.ok(
      !matches('emails[type eq "work" and value co "@y"]', user),
      'a value path binds to one element',
    );
  });

  it('treats ne as not eq, absent values included', () => {
    const user = { emails: [{ value: 'a@x.org' }, { value: 'b@x.org' }] };
    assert.ok(!matches('emails.value ne "a@x.org"', user), 'one element equals, so ne is false');
    assert.ok(matches('nickName ne "Bob"', {}));
    assert.ok(matches('emails.type ne "work"', user));
  });

  it('reads pr as present and non-empty', () => {
    assert.ok(!matches('title pr', {}));
    assert.ok(!matches('title pr', { title: '' }));
    assert.ok(!matches('title pr', { title: null }));
    assert.ok(matches('active pr', { active: false }));
    assert.ok(!matches('emails pr', { emails: [] }));
    assert.ok(!matches('emails pr', { emails: [{}] }));
    assert.ok(!matches('emails pr', { emails: [{ value: '' }] }));
    assert.ok(matches('emails pr', { emails: [{ primary: false }] }));
    assert.ok(!matches('name pr', { name: { givenName: '', familyName: null } }));
    assert.ok(matches('name pr', { name: { givenName: 'B' } }));
    assert.ok(!matches('emails.type pr', { emails: [{ value: 'a' }] }));
  });

  it('reads eq null as not present and ne null as present', () => {
    assert.ok(matches('title eq null', { title: '' }));
    assert.ok(!matches('title ne null', {}));
    assert.ok(matches('name ne null', { name: { familyName: 'J' } }));
    assert.ok(matches('emails eq null', { emails: [{}] }));
  });

  it('applies a value path to the single object of a single-valued complex attribute', () => {
    assert.ok(
      matches('name[givenName eq "barbara" and familyName sw "J"]', {
        name: { givenName: 'Barbara', familyName: 'Jensen' },
      }),
    );
    assert.ok(!matches('name[givenName eq "barbara"]', {}));
  });

  it('reads extension attributes under their schema URN', () => {
    const user = { [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', manager: { value: '26118915' } } };
    assert.ok(matches(`${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "701984"`, user));
    assert.ok(matches(`${ENTERPRISE_USER_SCHEMA.toUpperCase()}:MANAGER eq "26118915"`, user));
    assert.ok(!matches(`${ENTERPRISE_USER_SCHEMA}:employeeNumber pr`, { employeeNumber: '701984' }));
  });

  it('evaluates Group members', () => {
    const group = { displayName: 'Tour Guides', members: [{ value: '2819c223', display: 'Babs Jensen' }] };
    assert.ok(matches('members[value eq "2819c223"] and displayName sw "tour"', group, GROUP));
    assert.ok(matches('members eq "2819C223"', group, GROUP), 'members.value is not caseExact in RFC 7643');
  });

  it('never matches stored values of the wrong JSON type', () => {
    assert.ok(!matches('userName eq "1"', { userName: 1 }));
    assert.ok(!matches('active eq true', { active: 'true' }));
    assert.ok(matches('active ne true', { active: 'true' }));
    assert.ok(!matches('name.givenName eq "x"', { name: 'x' }));
  });

  it('refuses a tree that did not come out of resolveFilter', () => {
    assert.throws(() => evaluateFilter(parseFilter('nope pr'), {}, USER), /is not resolved/);
  });

  it('obeys the algebra: ne is not eq, eq null is not pr, printing and re-resolving changes nothing', () => {
    fc.assert(
      fc.property(userFilterArbitrary, userResourcesArbitrary(4), (filter, users) => {
        const resolved = resolveFilter(filter, USER);
        const reparsed = resolveFilter(parseFilter(printFilter(resolved)), USER);
        for (const user of users) {
          const result = evaluateFilter(resolved, user, USER);
          assert.equal(evaluateFilter(reparsed, user, USER), result);
          assert.equal(evaluateFilter({ kind: 'not', filter: resolved }, user, USER), !result);
          checkLeafLaws(resolved, user);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('matches generated filters against generated users often enough to mean something', () => {
    let hits = 0;
    let total = 0;
    fc.assert(
      fc.property(userFilterArbitrary, userResourceArbitrary, (filter, user) => {
        total++;
        if (evaluateFilter(resolveFilter(filter, USER), user, USER)) hits++;
      }),
      { numRuns: 2000 },
    );
    assert.ok(hits > total * 0.15 && hits < total * 0.85, `${hits} of ${total} matched`);
  });
});

function checkLeafLaws(filter: Filter, user: Record<string, unknown>): void {
  if (filter.kind === 'and' || filter.kind === 'or') {
    checkLeafLaws(filter.left, user);
    checkLeafLaws(filter.right, user);
  } else if (filter.kind === 'not') {
    checkLeafLaws(filter.filter, user);
  } else if (filter.kind === 'compare') {
    const flipped: Filter = { ...filter, op: filter.op === 'ne' ? 'eq' : 'ne' };
    if (filter.op === 'eq' || filter.op === 'ne') {
      assert.equal(evaluateFilter(flipped, user, USER), !evaluateFilter(filter, user, USER));
    }
    if (filter.value === null && filter.op === 'eq') {
      const present: Filter = { kind: 'present', path: filter.path };
      assert.equal(evaluateFilter(filter, user, USER), !evaluateFilter(present, user, USER));
    }
  }
}

describe('evaluateElementFilter', () => {
  const parent: AttributeDefinition = {
    name: 'samples',
    type: 'complex',
    multiValued: true,
    description: 'Test-only attribute with one sub-attribute of each simple type.',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    subAttributes: (['integer', 'decimal', 'binary', 'string', 'boolean'] as const).map((type) => ({
      name: `a${type[0]!.toUpperCase()}${type.slice(1)}`,
      type,
      multiValued: false,
      description: '',
      required: false,
      caseExact: type === 'binary',
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    })),
  };
  const element = { aInteger: 42, aDecimal: 1.5, aBinary: 'QUJD', aString: 'Ab', aBoolean: false };
  const elementMatches = (text: string) =>
    evaluateElementFilter(resolveElementFilter(parseFilter(text), parent), element, parent);

  it('compares numbers numerically', () => {
    assert.ok(elementMatches('aInteger eq 42 and aInteger ge 42 and aInteger lt 43'));
    assert.ok(elementMatches('aDecimal gt 1 and aDecimal le 1.5 and aDecimal ne 2'));
    assert.ok(!elementMatches('aDecimal lt 1.5'));
  });

  it('rejects substring operators and non-numbers on numbers', () => {
    assert.throws(
      () => resolveElementFilter(parseFilter('aInteger co "4"'), parent),
      /integer attribute: co applies only to string/,
    );
    assert.throws(
      () => resolveElementFilter(parseFilter('aDecimal eq "1.5"'), parent),
      /compare it with a number, not "1.5"/,
    );
  });

  it('compares binaries exactly when caseExact', () => {
    assert.ok(elementMatches('aBinary eq "QUJD"'));
    assert.ok(!elementMatches('aBinary eq "qujd"'));
    assert.ok(elementMatches('aString eq "aB" and aBoolean eq false and aBoolean pr'));
  });

  it('holds pr to non-empty values', () => {
    assert.deepEqual(
      [null, undefined, '', [], {}, { a: '' }, 0, false, 'x', [null], { a: 0 }].map(isPresentValue),
      [false, false, false, false, false, false, true, true, true, true, true],
    );
  });
});
