import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ENTERPRISE_USER } from '../../../test/support/rfc-7643-users.ts';
import { userResourceArbitrary } from '../../../test/support/scim-arbitraries.ts';
import { diffScope } from './diff-scope.ts';
import { checkScope, evaluateScope, type ScopeSubject } from './evaluate-scope.ts';
import { type Scope, type ScopeClause, ScopeSchema } from './scope-rule.ts';

const SALES = [
  { id: 'ou-eu', name: 'Europe' },
  { id: 'ou-sales', name: 'Sales' },
];

const subject = (
  user: Record<string, unknown> = ENTERPRISE_USER,
  groupIds: string[] = [],
  orgUnitPaths: (typeof SALES)[] = [SALES],
): ScopeSubject => ({
  user,
  groupIds,
  orgUnitPaths,
});

const holds = (clause: ScopeClause, user: Record<string, unknown> = ENTERPRISE_USER) =>
  evaluateScope({ filter: { all: [clause] } }, subject(user)).inScope;

describe('evaluateScope', () => {
  it('puts everyone in an empty scope', () => {
    assert.deepEqual(evaluateScope({}, subject()), {
      inScope: true,
      reasons: ['the scope is empty: everyone is in scope'],
    });
    assert.equal(evaluateScope({ orgUnits: [], groups: [] }, subject()).inScope, true);
  });

  it('matches org units by path or id, with or without the sub-tree', () => {
    const scope = (orgUnits: Scope['orgUnits']) => evaluateScope({ orgUnits }, subject()).inScope;
    assert.equal(scope([{ path: ['Europe', 'Sales'], includeSubtree: false }]), true);
    assert.equal(scope([{ path: ['europe', 'SALES'], includeSubtree: false }]), true);
    assert.equal(scope([{ path: ['Europe'], includeSubtree: false }]), false);
    assert.equal(scope([{ path: ['Europe'], includeSubtree: true }]), true);
    assert.equal(scope([{ path: [], includeSubtree: true }]), true);
    assert.equal(scope([{ id: 'ou-eu', includeSubtree: false }]), false);
    assert.equal(scope([{ id: 'ou-eu', includeSubtree: true }]), true);
    assert.equal(scope([{ id: 'ou-sales', includeSubtree: false }]), true);
    assert.equal(scope([{ path: ['Europe', 'Sales', 'Deep'], includeSubtree: true }]), false);
  });

  it('decides on where the user is now: a moved user enters and leaves by its new org unit', () => {
    const engineering = [
      { id: 'ou-eu', name: 'Europe' },
      { id: 'ou-eng', name: 'Engineering' },
    ];
    const platform = [...engineering, { id: 'ou-platform', name: 'Platform' }];
    const subtree: Scope = { orgUnits: [{ id: 'ou-eng', includeSubtree: true }] };
    const only: Scope = { orgUnits: [{ id: 'ou-eng', includeSubtree: false }] };
    const at = (...paths: (typeof SALES)[]) => subject(ENTERPRISE_USER, [], paths);
    assert.equal(evaluateScope(subtree, at(SALES)).inScope, false);
    assert.equal(evaluateScope(subtree, at(engineering)).inScope, true);
    assert.equal(evaluateScope(subtree, at(platform)).inScope, true, 'moved below: still in the sub-tree');
    assert.equal(evaluateScope(only, at(platform)).inScope, false, 'moved below: out without the sub-tree');
    assert.equal(evaluateScope(only, at(SALES, engineering)).inScope, true, 'one of several units');
    assert.deepEqual(evaluateScope(subtree, at(platform)).reasons, [
      'in org unit ou-eng (with its sub-tree)',
    ]);
    assert.deepEqual(evaluateScope(subtree, at(SALES)).reasons, [
      "in none of the scope's org units and groups",
    ]);
    // A user placed nowhere (pushed over SCIM) sits at the root: only a rule for the root takes it.
    assert.equal(evaluateScope(subtree, at()).inScope, false);
    assert.equal(evaluateScope({ orgUnits: [{ path: [], includeSubtree: true }] }, at()).inScope, true);
    assert.equal(evaluateScope({ orgUnits: [{ path: [], includeSubtree: false }] }, at()).inScope, true);
    assert.equal(
      evaluateScope({ orgUnits: [{ path: [], includeSubtree: false }] }, at(SALES)).inScope,
      false,
    );
  });

  it('shows who enters and leaves when the org units of a scope change', () => {
    const user = (id: string) => ({ ...ENTERPRISE_USER, id });
    const engineering = [{ id: 'ou-eng', name: 'Engineering' }];
    const subjects: ScopeSubject[] = [
      subject(user('in-sales'), [], [SALES]),
      subject(user('in-eng'), [], [engineering]),
      subject(user('nowhere'), [], []),
    ];
    const diff = diffScope(
      { orgUnits: [{ id: 'ou-sales', includeSubtree: false }] },
      { orgUnits: [{ id: 'ou-eng', includeSubtree: true }] },
      subjects,
    );
    assert.deepEqual(diff, { entering: ['in-eng'], leaving: ['in-sales'] });
  });

  it('takes org units and groups as a union, narrowed by the filter', () => {
    const scope: Scope = {
      orgUnits: [{ path: ['Asia'], includeSubtree: true }],
      groups: ['g-1'],
      filter: { all: [{ attribute: 'active', operator: 'IS TRUE' }] },
    };
    assert.equal(evaluateScope(scope, subject(ENTERPRISE_USER, ['g-1'])).inScope, true);
    assert.equal(evaluateScope(scope, subject(ENTERPRISE_USER, ['g-2'])).inScope, false);
    const inactive = evaluateScope(scope, subject({ ...ENTERPRISE_USER, active: false }, ['g-1']));
    assert.equal(inactive.inScope, false);
    assert.deepEqual(inactive.reasons, [
      'member of group g-1',
      'filter: active IS TRUE (active is "False") does not hold',
    ]);
  });

  it('implements Entra operators, case-sensitively unless asked', () => {
    assert.equal(holds({ attribute: 'department', operator: 'EQUALS', value: 'Tour Operations' }), true);
    assert.equal(holds({ attribute: 'department', operator: 'EQUALS', value: 'tour operations' }), false);
    assert.equal(
      holds({ attribute: 'department', operator: 'EQUALS', value: 'tour operations', ignoreCase: true }),
      true,
    );
    assert.equal(holds({ attribute: 'department', operator: 'NOT EQUALS', value: 'Sales' }), true);
    assert.equal(
      holds({ attribute: 'nickName', operator: 'NOT EQUALS', value: 'x' }, { userName: 'u' }),
      true,
    );
    assert.equal(holds({ attribute: 'title', operator: 'Includes', value: 'Guide' }), true);
    assert.equal(holds({ attribute: 'title', operator: 'Includes', value: 'guide' }), false);
    assert.equal(holds({ attribute: 'mail', operator: 'ENDS_WITH', value: '@example.com' }), true);
    assert.equal(holds({ attribute: 'active', operator: 'IS TRUE' }), true);
    assert.equal(holds({ attribute: 'active', operator: 'IS FALSE' }), false);
    assert.equal(holds({ attribute: 'active', operator: 'EQUALS', value: 'true' }), true);
    assert.equal(holds({ attribute: 'nickName', operator: 'IS NULL' }, { nickName: '' }), true);
    assert.equal(holds({ attribute: 'nickName', operator: 'IS NOT NULL' }), true);
    assert.equal(holds({ attribute: 'emails.value', operator: 'EQUALS', value: 'babs@jensen.org' }), true);
  });

  it('matches regular expressions anywhere, as .NET IsMatch, with (?i)', () => {
    assert.equal(holds({ attribute: 'employeeId', operator: 'REGEX MATCH', value: '([1-9][0-9])' }), true);
    assert.equal(holds({ attribute: 'employeeId', operator: 'REGEX MATCH', value: '^7$' }), false);
    assert.equal(holds({ attribute: 'employeeId', operator: 'NOT REGEX MATCH', value: '^7$' }), true);
    assert.equal(holds({ attribute: 'title', operator: 'REGEX MATCH', value: '^tour' }), false);
    assert.equal(holds({ attribute: 'title', operator: 'REGEX MATCH', value: '(?i)^tour' }), true);
    const clause: ScopeClause = { attribute: 'title', operator: 'REGEX MATCH', value: 'Guide' };
    assert.equal(holds(clause), true);
    assert.equal(holds(clause), true, 'a cached regex keeps no state between users');
  });

  it('compares whole numbers for Greater_Than and its kin', () => {
    assert.equal(holds({ attribute: 'employeeId', operator: 'Greater_Than', value: '701983' }), true);
    assert.equal(
      holds({ attribute: 'employeeId', operator: 'Greater_Than_OR_EQUALS', value: '701984' }),
      true,
    );
    assert.equal(holds({ attribute: 'employeeId', operator: 'Less_Than', value: '701984' }), false);
    assert.equal(holds({ attribute: 'employeeId', operator: 'Less_Than_OR_EQUALS', value: '701984' }), true);
    assert.equal(holds({ attribute: 'title', operator: 'Greater_Than', value: '1' }), false);
  });

  it('combines clauses with all and any', () => {
    const a: ScopeClause = { attribute: 'department', operator: 'EQUALS', value: 'Sales' };
    const b: ScopeClause = { attribute: 'active', operator: 'IS TRUE' };
    assert.equal(evaluateScope({ filter: { all: [a, b] } }, subject()).inScope, false);
    assert.equal(evaluateScope({ filter: { any: [a, b] } }, subject()).inScope, true);
  });

  it('never throws on arbitrary users', () => {
    const scope = ScopeSchema.parse({
      groups: ['g'],
      orgUnits: [{ path: ['Europe'], includeSubtree: true }],
      filter: {
        any: [
          { attribute: 'userName', operator: 'REGEX MATCH', value: '(?i)a' },
          { attribute: 'department', operator: 'Includes', value: 'ä' },
          { attribute: 'employeeId', operator: 'Greater_Than', value: '10' },
          { attribute: 'emails.value', operator: 'ENDS_WITH', value: 'example.com', ignoreCase: true },
        ],
      },
    });
    fc.assert(
      fc.property(userResourceArbitrary, fc.array(fc.constantFrom('g', 'h')), (user, groupIds) => {
        const first = evaluateScope(scope, subject(user, groupIds));
        assert.deepEqual(evaluateScope(scope, subject(user, groupIds)), first);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ScopeSchema and checkScope', () => {
  it('accepts an empty scope and refuses malformed clauses', () => {
    assert.ok(ScopeSchema.safeParse({}).success);
    const bad = [
      { filter: { all: [{ attribute: 'title', operator: 'EQUALS' }] } },
      { filter: { all: [{ attribute: 'active', operator: 'IS TRUE', value: 'x' }] } },
      { filter: { all: [{ attribute: 'x', operator: 'Greater_Than', value: 'ten' }] } },
      { filter: { all: [{ attribute: 'x', operator: 'REGEX MATCH', value: '(' }] } },
      { filter: { all: [{ attribute: 'x', operator: 'LIKE', value: 'a' }] } },
      { filter: { all: [] } },
      { filter: { all: [], any: [] } },
      { orgUnits: [{ path: ['a'] }] },
    ];
    for (const scope of bad) assert.equal(ScopeSchema.safeParse(scope).success, false, JSON.stringify(scope));
  });

  it('reports unknown attributes', () => {
    const scope = ScopeSchema.parse({
      filter: {
        any: [
          { attribute: 'title', operator: 'IS NULL' },
          { attribute: 'nope', operator: 'IS NULL' },
        ],
      },
    });
    assert.deepEqual(checkScope(scope), {
      ok: false,
      errors: [{ path: 'filter.any[1].attribute', message: 'unknown source attribute "nope"' }],
    });
  });
});

describe('diffScope', () => {
  it('shows who enters and who leaves', () => {
    const users = [
      subject({ id: 'a', userName: 'a', active: true }, ['g1']),
      subject({ id: 'b', userName: 'b', active: false }, ['g2']),
      subject({ id: 'c', userName: 'c', active: true }, ['g2']),
    ];
    const diff = diffScope(
      { groups: ['g1'] },
      { groups: ['g2'], filter: { all: [{ attribute: 'active', operator: 'IS TRUE' }] } },
      users,
    );
    assert.deepEqual(diff, { entering: ['c'], leaving: ['a'] });
    assert.deepEqual(diffScope({}, {}, users), { entering: [], leaving: [] });
  });
});
