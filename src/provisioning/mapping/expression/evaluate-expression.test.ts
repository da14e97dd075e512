import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expressionArbitrary } from '../../../../test/support/expression-arbitraries.ts';
import { checkExpression } from './check-expression.ts';
import { type EvaluationResult, evaluateExpression } from './evaluate-expression.ts';
import type { Expression } from './expression-ast.ts';
import type { AttributeCatalogue } from './expression-types.ts';
import type { MappedValue } from './expression-value.ts';
import { parseExpression } from './parse-expression.ts';

function parse(text: string): Expression {
  const parsed = parseExpression(text);
  if (!parsed.ok) assert.fail(`${text}: ${parsed.error.message}`);
  return parsed.expression;
}

function run(text: string, attributes: Record<string, unknown> = {}): EvaluationResult {
  return evaluateExpression(parse(text), (name) => attributes[name]);
}

function value(text: string, attributes: Record<string, unknown> = {}): MappedValue {
  const result = run(text, attributes);
  if (!result.ok) assert.fail(`${text}: ${result.error.message}`);
  return result.value;
}

/** [position, length, message] of the failure. */
function failure(text: string, attributes: Record<string, unknown> = {}): [number, number, string] {
  const result = run(text, attributes);
  if (result.ok) assert.fail(`${text} gave ${JSON.stringify(result.value)}`);
  return [result.error.position, result.error.length, result.error.message];
}

describe('evaluateExpression: the default mappings', () => {
  const SCIM_USER = {
    id: '2819c223-7f76-453a-919d-413861904646',
    userName: 'bjensen@example.com',
    displayName: 'Babs Jensen',
  };

  it('RAM: externalId ← user id, userName ← userName, displayName ← Coalesce(displayName, userName)', () => {
    assert.equal(value('id', SCIM_USER), SCIM_USER.id);
    assert.equal(value('userName', SCIM_USER), 'bjensen@example.com');
    assert.equal(value('Coalesce(displayName, userName)', SCIM_USER), 'Babs Jensen');
    assert.equal(
      value('Coalesce(displayName, userName)', { ...SCIM_USER, displayName: undefined }),
      SCIM_USER.userName,
    );
    assert.equal(
      value('Coalesce(displayName, userName)', { ...SCIM_USER, displayName: '' }),
      SCIM_USER.userName,
    );
  });

  it('LDAP: userName ← Coalesce(userPrincipalName, mail, uid), whatever the source lacks', () => {
    const text = 'Coalesce(userPrincipalName, mail, uid)';
    const ldap: AttributeCatalogue = { lookup: () => undefined, openWorld: true };
    assert.deepEqual(checkExpression(parse(text), ldap), {
      ok: true,
      type: { type: 'string', multiValued: false },
    });
    assert.equal(
      value(text, { userPrincipalName: 'bjensen@corp.example', mail: 'b@example.com', uid: 'bjensen' }),
      'bjensen@corp.example',
    );
    assert.equal(value(text, { mail: 'b@example.com', uid: 'bjensen' }), 'b@example.com');
    assert.equal(value(text, { uid: 'bjensen' }), 'bjensen');
    assert.equal(value(text, {}), null);
  });
});

describe('evaluateExpression: null handling', () => {
  const cases: readonly [string, MappedValue][] = [
    ['[x]', null],
    ['Append([x], "s")', null],
    ['Append("a", [x])', 'a'],
    ['Coalesce([x], [y])', null],
    ['Coalesce([x], "")', ''],
    ['Coalesce("", [x])', null],
    ['FormatDateTime([x], "yyyy", "yyyy")', null],
    ['IIF([x], "t", "f")', 'f'],
    ['IIF([x] = null, "t", "f")', 't'],
    ['IIF([x] <> "a", "t", "f")', 't'],
    ['IIF([x] < "a", "t", "f")', 'f'],
    ['IIF([x] >= "a", "t", "f")', 'f'],
    ['IsNull([x])', true],
    ['IsNullOrEmpty([x])', true],
    ['IsPresent([x])', false],
    ['Join(",", [x], "a", [y], "b")', 'a,b'],
    ['Join([x], "a", "b")', 'ab'],
    ['Join(",", [x])', ''],
    ['Left([x], 3)', ''],
    ['Left("abc", [x])', null],
    ['Mid([x], 1, 1)', null],
    ['Mid("abc", [x], 1)', null],
    ['NormalizeDiacritics([x])', null],
    ['Not([x])', true],
    ['Replace([x], "a", , , "b", , )', null],
    ['Replace("aXa", "X", , , [x], , )', 'aa'],
    ['Replace("aXa", [x], , , "b", , )', 'aXa'],
    ['Replace([x], "<u>", , , , , "<u>@example.com")', null],
    ['Replace([x], , "a", "g", , [y], )', null],
    ['Split([x], ",")', null],
    ['Split("a,b", [x])', ['a,b']],
    ['StripSpaces([x])', null],
    ['Switch([x], "d", "", "empty")', 'empty'],
    ['Switch("a", , "b", "B")', null],
    ['ToLower([x])', null],
    ['ToUpper("a", [x])', 'A'],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${JSON.stringify(expected)}`, () => assert.deepEqual(value(text), expected));
  }
});

describe('evaluateExpression: values', () => {
  it('applies Left and Mid edge rules by code point', () => {
    assert.equal(value('Left("abc", 0)'), '');
    assert.equal(value('Left("abc", -1)'), 'abc');
    assert.equal(value('Left("abc", 10)'), 'abc');
    assert.equal(value('Left("😀😀x", 2)'), '😀😀');
    assert.equal(value('Mid("abcdef", 3, 2)'), 'cd');
    assert.equal(value('Mid("abcdef", 5, 10)'), 'ef');
    assert.equal(value('Mid("abc", 7, 1)'), '');
    assert.equal(value('Mid("abc", 1, 0)'), '');
  });

  it('converts numbers, booleans and dates to text where text is expected', () => {
    assert.equal(value('Join("", 1000, 2.5, true, false)'), '10002.5TrueFalse');
    assert.equal(
      value('Append([when], "!")', { when: new Date('2024-05-06T07:08:09Z') }),
      '2024-05-06T07:08:09.000Z!',
    );
    assert.equal(value('Switch([n], "other", "42", "answer")', { n: 42 }), 'answer');
    assert.equal(value('Switch(IsPresent([x]), "?", true, "yes", false, "no")', { x: 'a' }), 'yes');
  });

  it('reads integer and boolean strings where a source gives text', () => {
    assert.equal(value('Left("abcdef", [n])', { n: ' 2 ' }), 'ab');
    assert.equal(value('IIF([b], 1, 2)', { b: 'TRUE' }), 1);
    assert.equal(value('IIF([b], 1, 2)', { b: false }), 2);
  });

  it('compares numbers, dates and booleans as such, text ordinally and case-sensitively', () => {
    assert.equal(value('IIF([n] > 9, "big", "small")', { n: 10 }), 'big');
    assert.equal(value('IIF([s] > "9", "big", "small")', { s: '10' }), 'small');
    assert.equal(value('IIF([s] = "usa", "y", "n")', { s: 'USA' }), 'n');
    assert.equal(value('IIF([s] < "a", "y", "n")', { s: 'Z' }), 'y');
    const dates = { a: new Date('2020-01-01'), b: new Date('2021-01-01') };
    assert.equal(value('IIF([a] < [b], "y", "n")', dates), 'y');
    assert.equal(value('IIF([t] = true, "y", "n")', { t: true }), 'y');
  });

  it('flattens multi-valued attributes in Join and keeps them whole elsewhere', () => {
    const emails = { emails: ['a@example.com', '', null, 'b@example.com'] };
    assert.equal(
      value('Join("; ", [emails], "c@example.com")', emails),
      'a@example.com; b@example.com; c@example.com',
    );
    assert.deepEqual(value('[emails]', emails), ['a@example.com', '', 'b@example.com']);
    assert.deepEqual(value('Coalesce([emails], Split("x", ","))', {}), ['x']);
    assert.equal(value('IsPresent([emails])', { emails: [] }), false);
    assert.equal(value('IsNull([emails])', { emails: [null] }), true);
  });

  it('reads a list of one as its value where one value is expected (LDAP)', () => {
    assert.equal(value('ToUpper([cn])', { cn: ['jensen'] }), 'JENSEN');
    assert.equal(value('IIF([cn] = "jensen", "y", "n")', { cn: ['jensen'] }), 'y');
  });

  it('hands dates over as ISO 8601 strings', () => {
    assert.equal(value('[when]', { when: new Date('2024-05-06T07:08:09.010Z') }), '2024-05-06T07:08:09.010Z');
    assert.deepEqual(value('[when]', { when: [new Date(0), 'x'] }), ['1970-01-01T00:00:00.000Z', 'x']);
  });

  it('evaluates only the arguments IIF, Switch and Coalesce need', () => {
    const bad = 'Mid("a", 0, 1)';
    assert.equal(value(`IIF(true, "ok", ${bad})`), 'ok');
    assert.equal(value(`Coalesce("ok", ${bad})`), 'ok');
    assert.equal(value(`Switch("a", ${bad}, "a", "ok", ${bad}, ${bad})`), 'ok');
    const reads: string[] = [];
    evaluateExpression(parse('Coalesce(a, b, c)'), (name) => {
      reads.push(name);
      return name === 'b' ? 'B' : undefined;
    });
    assert.deepEqual(reads, ['a', 'b']);
  });
});

describe('evaluateExpression: failures', () => {
  const cases: readonly [string, Record<string, unknown>, [number, number, string]][] = [
    ['Mid([s], [start], 1)', { s: 'abc', start: 0 }, [9, 7, "Mid's start counts from 1 but is 0"]],
    ['Mid("abc", 1, [n])', { n: -2 }, [14, 3, "Mid's length cannot be negative but is -2"]],
    ['Left("abc", [n])', { n: 'two' }, [12, 3, `Left's numChars expects a whole number but found "two"`]],
    ['Left("abc", [n])', { n: 1.5 }, [12, 3, `Left's numChars expects a whole number but found "1.5"`]],
    ['IIF([b], 1, 2)', { b: 'maybe' }, [4, 3, `IIF's condition expects True or False but found "maybe"`]],
    ['ToLower([mail])', { mail: ['a', 'b'] }, [8, 6, "ToLower's source expects one value but found 2"]],
    ['IIF([mail] = "a", 1, 2)', { mail: ['a', 'b'] }, [4, 6, 'a comparison expects one value but found 2']],
    [
      '[name]',
      { name: { givenName: 'Babs' } },
      [0, 6, 'attribute name holds a complex value; name one of its sub-attributes, such as [name.value]'],
    ],
    ['[n]', { n: Number.NaN }, [0, 3, 'attribute n holds the non-finite number NaN']],
    ['[n]', { n: 10n }, [0, 3, 'attribute n holds a value of unsupported type bigint']],
    ['[n]', { n: [[1]] }, [0, 3, 'attribute n holds a nested list']],
    ['[d]', { d: new Date(Number.NaN) }, [0, 3, 'attribute d holds an invalid date']],
    [
      'ToUpper("a", [c])',
      { c: 'en_US' },
      [13, 3, `ToUpper's culture is not a culture name such as "en-US": "en_US"`],
    ],
    [
      'Replace("a", , [p], , "b", , )',
      { p: '(' },
      [15, 3, "Replace's regexPattern is not valid: invalid regular expression: Unterminated group"],
    ],
    [
      'Replace("a", , "(?<x>a)", [g], "b", , )',
      { g: 'y' },
      [26, 3, `Replace's regexGroupName names no group of the pattern: "y"`],
    ],
    [
      'FormatDateTime([d], "yyyy-MM-dd", "yyyy")',
      { d: '2024-13-01' },
      [
        15,
        3,
        `FormatDateTime's source "2024-13-01" does not match the input format: there is no month 13 in year 2024`,
      ],
    ],
    ['FormatDateTime([d], [f], "yyyy")', { d: '2024' }, [20, 3, "FormatDateTime's inputFormat is null"]],
    [
      'FormatDateTime([d], "yyyy", "yyyy")',
      { d: 2024 },
      [15, 3, "FormatDateTime's source expects a date but found 2024"],
    ],
  ];
  for (const [text, attributes, expected] of cases) {
    it(`${text} with ${JSON.stringify(attributes, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`, () =>
      assert.deepEqual(failure(text, attributes), expected));
  }

  it('reports a source that throws as a failure at the attribute', () => {
    const result = evaluateExpression(parse('Append("x", [secret])'), () => {
      throw new Error('connection reset');
    });
    assert.deepEqual(result, {
      ok: false,
      error: { message: 'reading attribute secret failed: connection reset', position: 12, length: 8 },
    });
  });

  it('reports a hand-built tree nested deeper than 50 calls, without exhausting the stack', () => {
    let expression: Expression = { kind: 'string', value: 'a', position: 0, length: 3 };
    for (let level = 0; level < 100_000; level++) {
      expression = { kind: 'call', name: 'ToLower', args: [expression], position: 0, length: 1 };
    }
    const result = evaluateExpression(expression, () => undefined);
    assert.ok(!result.ok);
    assert.match(result.error.message, /deeper than 50 levels/);
  });
});

describe('evaluateExpression: never throws', () => {
  const sourceValue = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      '',
      ' ',
      'True',
      'false',
      '3',
      '-1',
      '2024-01-02',
      '20150123105347.1Z',
      '(',
      '(?<g>a)',
      'tr-TR',
      'x_Y',
    ),
    fc.integer({ min: -10, max: 20 }),
    fc.double(),
    fc.boolean(),
    fc.date({ noInvalidDate: false }),
    fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)), { maxLength: 3 }),
    fc.anything(),
  );
  const source = fc.dictionary(fc.string({ maxLength: 12 }), sourceValue);

  it('for any tree (checked or not) and any attribute values', () => {
    fc.assert(
      fc.property(expressionArbitrary, source, fc.boolean(), (expression, attributes, throwing) => {
        const result = evaluateExpression(expression, (name) => {
          if (throwing && name.length % 3 === 0) throw new Error('unavailable');
          return Object.hasOwn(attributes, name)
            ? attributes[name]
            : sourceValue.toString().length % 2
              ? undefined
              : 'v';
        });
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('for checked expressions over attribute names the source knows', () => {
    const names = ['a', 'b', 'c'];
    const text = fc.constantFrom(
      'Coalesce(a, b, c)',
      'Join(",", a, b, c)',
      'Left(a, 2)',
      'Mid(a, 1, 2)',
      'IIF(a = b, c, a)',
      'Switch(a, b, "x", c)',
      'Replace(a, , b, , c, , )',
      'Replace(a, , "(?<g>x)", "g", , b, )',
      'FormatDateTime(a, b, "yyyy-MM-dd", "o")',
      'FormatDateTime(a, c, b)',
      'ToLower(a, b)',
      'NormalizeDiacritics(Split(a, b))',
      'Not(a)',
    );
    fc.assert(
      fc.property(text, fc.tuple(sourceValue, sourceValue, sourceValue), (expression, values) => {
        const result = evaluateExpression(parse(expression), (name) => values[names.indexOf(name)]);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 3000 },
    );
  });
});
