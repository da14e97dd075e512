import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { userFilterArbitrary } from '../../../test/support/scim-arbitraries.ts';
import type { AttributePath, CompareOperator, Filter, PatchPath } from './filter-ast.ts';
import { parseFilter } from './parse-filter.ts';
import { parsePatchPath } from './parse-patch-path.ts';
import { printFilter, printPatchPath } from './print-filter.ts';

const attributeName = fc.stringMatching(/^[A-Za-z$][A-Za-z0-9$_-]{0,7}$/);
const keywordName = fc.constantFrom('not', 'and', 'or', 'pr', 'eq', 'NOT', 'true', 'null');
const name = fc.oneof({ arbitrary: attributeName, weight: 4 }, keywordName);
const uri = fc.stringMatching(/^urn(:[A-Za-z0-9._-]{1,6}){1,5}$/);

// fc.record builds null-prototype objects; spreading gives the plain objects the parser builds.
const topLevelPath: fc.Arbitrary<AttributePath> = fc
  .record({ uri, name, sub: name }, { requiredKeys: ['name'] })
  .map((path) => ({ ...path }));
const valuePathPath: fc.Arbitrary<AttributePath> = fc
  .record({ uri, name }, { requiredKeys: ['name'] })
  .map((path) => ({ ...path }));
const elementPath: fc.Arbitrary<AttributePath> = name.map((n) => ({ name: n }));

const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const operator = fc.constantFrom<CompareOperator>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');

function leaf(path: fc.Arbitrary<AttributePath>): fc.Arbitrary<Filter> {
  return fc.oneof(
    path.map((p): Filter => ({ kind: 'present', path: p })),
    fc.tuple(path, operator, value).map(([p, op, v]): Filter => ({ kind: 'compare', path: p, op, value: v })),
  );
}

function tree(leaves: fc.Arbitrary<Filter>, valuePaths: boolean): fc.Arbitrary<Filter> {
  return fc.letrec<{ filter: Filter }>((tie) => ({
    filter: fc.oneof(
      { maxDepth: 5, depthSize: 'small', withCrossShrink: true },
      leaves,
      fc.tuple(tie('filter'), tie('filter')).map(([left, right]): Filter => ({ kind: 'and', left, right })),
      fc.tuple(tie('filter'), tie('filter')).map(([left, right]): Filter => ({ kind: 'or', left, right })),
      tie('filter').map((filter): Filter => ({ kind: 'not', filter })),
      ...(valuePaths
        ? [
            fc
              .tuple(valuePathPath, elementFilter)
              .map(([path, filter]): Filter => ({ kind: 'valuePath', path, filter })),
          ]
        : []),
    ),
  })).filter;
}

const elementFilter = tree(leaf(elementPath), false);

/** Any syntactically valid tree, resolvable or not. */
const rawFilter = tree(leaf(topLevelPath), true);

describe('printFilter', () => {
  it('prints canonical text', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['userName Eq "john"', 'userName eq "john"'],
      ['  title   PR ', 'title pr'],
      ['a pr or b pr and c pr', 'a pr or b pr and c pr'],
      ['(a pr or b pr) and c pr', '(a pr or b pr) and c pr'],
      ['a pr and (b pr and c pr)', 'a pr and (b pr and c pr)'],
      ['(a pr and b pr) and c pr', 'a pr and b pr and c pr'],
      ['a pr or (b pr or c pr)', 'a pr or (b pr or c pr)'],
      ['not(a pr)', 'not (a pr)'],
      ['NOT ((a pr))', 'not (a pr)'],
      ['x eq "\\u00e9\\n\\/"', 'x eq "é\\n/"'],
      ['x gt 1.50E2', 'x gt 150'],
      ['x eq -0', 'x eq -0'],
      ['x eq TRUE', 'x eq true'],
      [
        'emails[type eq "work" and (value co "@x" or primary eq true)]',
        'emails[type eq "work" and (value co "@x" or primary eq true)]',
      ],
      ['urn:a:2.0:User:name.givenName sw "J"', 'urn:a:2.0:User:name.givenName sw "J"'],
    ];
    for (const [input, printed] of cases) assert.equal(printFilter(parseFilter(input)), printed, input);
  });

  it('refuses a number JSON cannot write', () => {
    assert.throws(
      () => printFilter({ kind: 'compare', path: { name: 'x' }, op: 'eq', value: Number.NaN }),
      RangeError,
    );
  });

  it('round-trips arbitrary syntax trees through parseFilter', () => {
    fc.assert(
      fc.property(rawFilter, (filter) => {
        assert.deepStrictEqual(parseFilter(printFilter(filter)), filter);
      }),
      { numRuns: 1500 },
    );
  });

  it('round-trips generated User filters through parseFilter', () => {
    fc.assert(
      fc.property(userFilterArbitrary, (filter) => {
        assert.deepStrictEqual(parseFilter(printFilter(filter)), filter);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('printPatchPath', () => {
  it('round-trips arbitrary PATCH paths through parsePatchPath', () => {
    const patchPath: fc.Arbitrary<PatchPath> = fc.oneof(
      topLevelPath.map((attribute): PatchPath => ({ attribute })),
      fc
        .tuple(valuePathPath, elementFilter, fc.option(attributeName, { nil: undefined }))
        .map(
          ([attribute, filter, subAttribute]): PatchPath =>
            subAttribute === undefined ? { attribute, filter } : { attribute, filter, subAttribute },
        ),
    );
    fc.assert(
      fc.property(patchPath, (path) => {
        assert.deepStrictEqual(parsePatchPath(printPatchPath(path)), path);
      }),
      { numRuns: 1000 },
    );
  });
});
