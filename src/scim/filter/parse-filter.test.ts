import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../errors.ts';
import type { Filter } from './filter-ast.ts';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from './filter-cursor.ts';
import { parseFilter } from './parse-filter.ts';

const eq = (name: string, value: string, sub?: string): Filter => ({
  kind: 'compare',
  path: sub === undefined ? { name } : { name, sub },
  op: 'eq',
  value,
});
const pr = (name: string): Filter => ({ kind: 'present', path: { name } });

/** Asserts a 400 invalidFilter whose detail matches `detail`. */
function assertInvalid(text: string, detail: RegExp | string): void {
  assert.throws(
    () => parseFilter(text),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, `expected a ScimError for ${JSON.stringify(text)}`);
      assert.equal(error.status, 400);
      assert.equal(error.scimType, 'invalidFilter');
      if (typeof detail === 'string') assert.equal(error.message, detail);
      else assert.match(error.message, detail);
      return true;
    },
  );
}

describe('parseFilter', () => {
  it('parses attribute expressions with every operator, case-insensitively', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const) {
      assert.deepEqual(parseFilter(`title ${op.toUpperCase()} "x"`), {
        kind: 'compare',
        path: { name: 'title' },
        op,
        value: 'x',
      });
    }
    assert.deepEqual(parseFilter('title PR'), pr('title'));
    assert.deepEqual(parseFilter('userName Eq "john"'), parseFilter('userName eq "john"'));
  });

  it('keeps attribute names as written', () => {
    assert.deepEqual(parseFilter('Username eq "john"'), eq('Username', 'john'));
  });

  it('binds and tighter than or, both associating left (errata 4670)', () => {
    assert.deepEqual(parseFilter('a pr or b pr and c pr'), {
      kind: 'or',
      left: pr('a'),
      right: { kind: 'and', left: pr('b'), right: pr('c') },
    });
    assert.deepEqual(parseFilter('a pr and b pr and c pr'), {
      kind: 'and',
      left: { kind: 'and', left: pr('a'), right: pr('b') },
      right: pr('c'),
    });
    assert.deepEqual(parseFilter('(a pr or b pr) and c pr'), {
      kind: 'and',
      left: { kind: 'or', left: pr('a'), right: pr('b') },
      right: pr('c'),
    });
  });

  it('accepts not with or without a space before "(" (errata 7319) and in any case', () => {
    const expected: Filter = { kind: 'not', filter: eq('userName', 'a') };
    assert.deepEqual(parseFilter('not (userName eq "a")'), expected);
    assert.deepEqual(parseFilter('not(userName eq "a")'), expected);
    assert.deepEqual(parseFilter('NOT (userName eq "a")'), expected);
  });

  it('reads value paths, with grouping inside the brackets (errata 7322)', () => {
    assert.deepEqual(parseFilter('emails[type eq "work" or (type eq "home" and value ew "@example.com")]'), {
      kind: 'valuePath',
      path: { name: 'emails' },
      filter: {
        kind: 'or',
        left: eq('type', 'work'),
        right: {
          kind: 'and',
          left: eq('type', 'home'),
          right: { kind: 'compare', path: { name: 'value' }, op: 'ew', value: '@example.com' },
        },
      },
    });
  });

  it('folds a sub-attribute after the brackets into them (Entra\'s emails[type eq "work"].value lookup)', () => {
    assert.deepEqual(parseFilter('emails[type eq "work"].value eq "user@contoso.com"'), {
      kind: 'valuePath',
      path: { name: 'emails' },
      filter: { kind: 'and', left: eq('type', 'work'), right: eq('value', 'user@contoso.com') },
    });
    assert.deepEqual(parseFilter('emails[type eq "work"].value pr'), {
      kind: 'valuePath',
      path: { name: 'emails' },
      filter: { kind: 'and', left: eq('type', 'work'), right: pr('value') },
    });
  });

  it('splits a URN-qualified path at the last colon, dots in the URN included', () => {
    assert.deepEqual(
      parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr'),
      {
        kind: 'present',
        path: {
          uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
          name: 'manager',
          sub: 'value',
        },
      },
    );
    assert.deepEqual(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"]'), {
      kind: 'valuePath',
      path: { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'emails' },
      filter: eq('type', 'work'),
    });
  });

  it('reads JSON literals: escaped strings, numbers, true, false and null', () => {
    const value = (text: string) => (parseFilter(`x eq ${text}`) as { value: unknown }).value;
    assert.equal(value(String.raw`"a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\uDE00"`), 'a"b\\c/d\b\f\n\r\té😀');
    assert.equal(value('""'), '');
    assert.equal(value('-12.5e2'), -1250);
    assert.equal(value('0'), 0);
    assert.ok(Object.is(value('-0'), -0));
    assert.equal(value('true'), true);
    assert.equal(value('False'), false);
    assert.equal(value('null'), null);
  });

  it('tolerates any whitespace between tokens and none where a delimiter separates them', () => {
    assert.deepEqual(parseFilter('  ( userName  eq\t"a" )and\ntitle pr '), {
      kind: 'and',
      left: eq('userName', 'a'),
      right: pr('title'),
    });
    assert.deepEqual(parseFilter('userName eq"a"'), eq('userName', 'a'));
  });

  it('lets keywords serve as attribute names where no keyword can stand', () => {
    assert.deepEqual(parseFilter('not pr'), pr('not'));
    assert.deepEqual(parseFilter('and pr or or pr'), { kind: 'or', left: pr('and'), right: pr('or') });
    assert.deepEqual(parseFilter('not[pr pr]'), {
      kind: 'valuePath',
      path: { name: 'not' },
      filter: pr('pr'),
    });
  });

  it('accepts $ref as a sub-attribute name', () => {
    assert.deepEqual(parseFilter('members.$ref pr'), {
      kind: 'present',
      path: { name: 'members', sub: '$ref' },
    });
  });
});

describe('parseFilter errors', () => {
  const cases: readonly (readonly [string, string])[] = [
    [
      '',
      'Invalid filter at position 0: expected an attribute name, "(" or "not" but reached the end of the filter',
    ],
    [
      'userName',
      'Invalid filter at position 8: expected a comparison operator after "userName" but reached the end of the filter',
    ],
    [
      'userName equals "x"',
      'Invalid filter at position 9: expected a comparison operator after "userName" but found "equals"',
    ],
    [
      'title pr and userName',
      'Invalid filter at position 21: expected a comparison operator after "userName" but reached the end of the filter',
    ],
    [
      'userName eq',
      'Invalid filter at position 11: expected a value (a "string", a number, true, false or null) after "eq" but reached the end of the filter',
    ],
    [
      'userName eq john',
      'Invalid filter at position 12: expected a value (a "string", a number, true, false or null) after "eq" but found "john"',
    ],
    ['userName eq "john', 'Invalid filter at position 12: unterminated string literal'],
    ['userName eq "a\\qb"', 'Invalid filter at position 14: invalid escape "\\q" in a string literal'],
    ['userName eq "a\\u12"', 'Invalid filter at position 14: invalid escape "\\u" in a string literal'],
    [
      'userName eq "a\nb"',
      'Invalid filter at position 14: control character U+000A must be escaped in a string literal',
    ],
    ['x eq 1e999', 'Invalid filter at position 5: the number 1e999 is out of range'],
    ['x eq -', 'Invalid filter at position 5: expected a number but found "-"'],
    ['x eq 01', 'Invalid filter at position 6: expected "and", "or" or the end of the filter but found "1"'],
    [
      'title pr title pr',
      'Invalid filter at position 9: expected "and", "or" or the end of the filter but found "title"',
    ],
    [
      'title pr)',
      'Invalid filter at position 8: expected "and", "or" or the end of the filter but found ")"',
    ],
    [
      '(title pr',
      'Invalid filter at position 9: expected "and", "or" or ")" but reached the end of the filter',
    ],
    [
      'title pr and',
      'Invalid filter at position 12: expected an attribute name, "(" or "not" but reached the end of the filter',
    ],
    ['not title pr', 'Invalid filter at position 4: expected "(" after "not" but found "title"'],
    [
      'emails[type eq "work"',
      'Invalid filter at position 21: expected "and", "or" or "]" but reached the end of the filter',
    ],
    ['emails[]', 'Invalid filter at position 7: expected an attribute name, "(" or "not" but found "]"'],
    [
      'emails[type eq "work"].value.display eq "x"',
      'Invalid filter at position 23: expected one sub-attribute name after "].", not "value.display"',
    ],
    [
      'emails[type eq "work"].',
      'Invalid filter at position 23: expected an attribute name but reached the end of the filter',
    ],
    [
      'emails[type eq "work"].value[x pr]',
      'Invalid filter at position 28: value filters cannot be nested: "[" inside "[…]"',
    ],
    ['emails[x[y pr]]', 'Invalid filter at position 8: value filters cannot be nested: "[" inside "[…]"'],
    [
      'emails[emails.type eq "work"]',
      'Invalid filter at position 7: expected a single sub-attribute name inside "[…]", not "emails.type"',
    ],
    [
      'emails[urn:x:type pr]',
      'Invalid filter at position 7: expected a sub-attribute name without a schema URN inside "[…]", not "urn:x:type"',
    ],
    [
      'name.givenName[x pr]',
      'Invalid filter at position 14: "[" must follow an attribute, not the sub-attribute path "name.givenName"',
    ],
    [
      'a.b.c pr',
      'Invalid filter at position 3: an attribute path has at most one sub-attribute, "a.b.c" has more',
    ],
    [':a pr', 'Invalid filter at position 0: expected a schema URN before ":"'],
    ['urn:x: pr', 'Invalid filter at position 6: expected an attribute name after the schema URN'],
    ['1abc pr', 'Invalid filter at position 0: "1abc" is not a valid attribute name'],
    ['name. pr', 'Invalid filter at position 5: expected an attribute name after "name."'],
    [
      'userName eq "a" & title pr',
      'Invalid filter at position 16: expected "and", "or" or the end of the filter but found "&"',
    ],
    [
      'userName eq "a" or',
      'Invalid filter at position 18: expected an attribute name, "(" or "not" but reached the end of the filter',
    ],
  ];
  for (const [text, detail] of cases) {
    it(`rejects ${JSON.stringify(text)}`, () => assertInvalid(text, detail));
  }

  it(`rejects a filter longer than ${MAX_FILTER_LENGTH} characters`, () => {
    const long = `userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`;
    assertInvalid(
      long,
      `Invalid filter at position ${MAX_FILTER_LENGTH}: the filter is longer than 10000 characters`,
    );
    const fits = `userName eq "${'a'.repeat(MAX_FILTER_LENGTH - 15)}"`;
    assert.equal(fits.length, MAX_FILTER_LENGTH - 1);
    assert.equal(parseFilter(fits).kind, 'compare');
  });

  it(`accepts nesting ${MAX_FILTER_DEPTH} deep and rejects one level more`, () => {
    const nested = (depth: number) => `${'('.repeat(depth)}title pr${')'.repeat(depth)}`;
    assert.deepEqual(parseFilter(nested(MAX_FILTER_DEPTH)), pr('title'));
    assertInvalid(
      nested(MAX_FILTER_DEPTH + 1),
      /^Invalid filter at position 50: the filter is nested deeper than 50 levels$/,
    );
    const nots = (depth: number) => `${'not ('.repeat(depth)}title pr${')'.repeat(depth)}`;
    assert.equal(parseFilter(nots(MAX_FILTER_DEPTH)).kind, 'not');
    assertInvalid(nots(MAX_FILTER_DEPTH + 1), /nested deeper than 50 levels/);
    assertInvalid(`${'('.repeat(49)}emails[(x pr)]${')'.repeat(49)}`, /nested deeper than 50 levels/);
  });

  it('survives hostile nesting and long chains without overflowing the stack', () => {
    assertInvalid('('.repeat(5000), /nested deeper/);
    assertInvalid('not ('.repeat(2000), /nested deeper/);
    const chain = Array.from({ length: 1200 }, () => 'a pr').join(' or ');
    assert.ok(chain.length <= MAX_FILTER_LENGTH);
    assert.equal(parseFilter(chain).kind, 'or');
  });

  it('throws nothing but a 400 invalidFilter ScimError for random input', () => {
    const onlyScimErrors = (text: string) => {
      try {
        parseFilter(text);
      } catch (error) {
        assert.ok(error instanceof ScimError, String(error));
        assert.equal(error.scimType, 'invalidFilter');
        assert.match(error.message, /^Invalid filter at position \d+: /);
      }
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), onlyScimErrors), { numRuns: 2000 });
    const token = fc.constantFrom(
      ...['(', ')', '[', ']', ' ', '"', '"x"', '\\', 'not', 'and', 'or', 'pr', 'eq', 'gt', 'emails', 'a.b'],
      ...['urn:x:2.0:y', ':', '.', '1', '-', '1e5', 'true', 'null', '$ref', '\t', 'é'],
    );
    const tokens = fc.array(token, { maxLength: 25 }).map((parts) => parts.join(''));
    fc.assert(fc.property(tokens, onlyScimErrors), { numRuns: 5000 });
  });
});
