import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CheckResult, checkExpression } from './check-expression.ts';
import type { AttributeCatalogue, AttributeType } from './expression-types.ts';
import { parseExpression } from './parse-expression.ts';

const ATTRIBUTES: Readonly<Record<string, AttributeType>> = {
  userName: { type: 'string', multiValued: false },
  displayName: { type: 'string', multiValued: false },
  'emails.value': { type: 'string', multiValued: true },
  active: { type: 'boolean', multiValued: false },
  level: { type: 'number', multiValued: false },
  'meta.created': { type: 'dateTime', multiValued: false },
};

const SCIM: AttributeCatalogue = { lookup: (name) => ATTRIBUTES[name] };
const LDAP: AttributeCatalogue = { lookup: (name) => ATTRIBUTES[name], openWorld: true };

function check(text: string, catalogue = SCIM): CheckResult {
  const parsed = parseExpression(text);
  assert.ok(parsed.ok, text);
  return checkExpression(parsed.expression, catalogue);
}

function typeOf(text: string, catalogue = SCIM): string {
  const result = check(text, catalogue);
  if (!result.ok) assert.fail(`${text}: ${result.errors.map((error) => error.message).join('; ')}`);
  return `${result.type.multiValued ? 'multi ' : ''}${result.type.type}`;
}

/** [position, length, message] of each error. */
function errorsOf(text: string, catalogue = SCIM): [number, number, string][] {
  const result = check(text, catalogue);
  if (result.ok) assert.fail(`${text} type-checked`);
  return result.errors.map((error) => [error.position, error.length, error.message]);
}

describe('checkExpression types', () => {
  const cases: readonly [string, string][] = [
    ['userName', 'string'],
    ['[emails.value]', 'multi string'],
    ['"x"', 'string'],
    ['3', 'number'],
    ['true', 'boolean'],
    ['null', 'null'],
    ['Coalesce(displayName, userName)', 'string'],
    ['Coalesce(null, level, 3)', 'number'],
    ['Coalesce([emails.value], Split(userName, ","))', 'multi string'],
    ['IIF(active, level, null)', 'number'],
    ['IIF(IsNull(userName), null, null)', 'null'],
    ['Switch(userName, , "a", active, "b", false)', 'boolean'],
    ['Join(", ", [emails.value], userName, level, active, [meta.created])', 'string'],
    ['Split(userName, ",")', 'multi string'],
    ['Not([level] > 3)', 'boolean'],
    ['IsPresent([emails.value])', 'boolean'],
    ['FormatDateTime([meta.created], "yyyy-MM-ddTHH:mm:ssK", "yyyy")', 'string'],
    ['FormatDateTime(userName, , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', 'string'],
    ['Left(userName, -1)', 'string'],
    ['ToLower(userName, "tr-TR")', 'string'],
    ['Append(level, active)', 'string'],
    ['IIF("True", 1, 2)', 'number'],
  ];
  for (const [text, type] of cases) {
    it(`${text} is ${type}`, () => assert.equal(typeOf(text), type));
  }

  it('types unknown names as single strings in an open world (LDAP)', () => {
    assert.equal(typeOf('Coalesce(userPrincipalName, mail, uid)', LDAP), 'string');
    assert.equal(typeOf('[emails.value]', LDAP), 'multi string');
  });
});

describe('checkExpression errors', () => {
  const cases: readonly [string, [number, number, string][]][] = [
    ['mail', [[0, 4, 'unknown attribute "mail"']]],
    [
      'Coalesce(userPrincipalName, mail, uid)',
      [
        [9, 17, 'unknown attribute "userPrincipalName"'],
        [28, 4, 'unknown attribute "mail"'],
        [34, 3, 'unknown attribute "uid"'],
      ],
    ],
    ['Left(userName)', [[0, 14, 'Left takes 2 arguments (Left(source, numChars)) but has 1']]],
    ['Left(userName, 1, 2)', [[18, 1, 'Left takes 2 arguments (Left(source, numChars)) but has 3']]],
    [
      'Switch(userName, "d", "k")',
      [
        [
          0,
          26,
          'Switch takes at least 4 arguments (Switch(source, defaultValue, key1, value1, key2, value2, ...)) but has 3',
        ],
      ],
    ],
    [
      'Switch(userName, "d", "k", "v", "k2")',
      [[32, 4, 'Switch takes keys and values in pairs; key2 has no value']],
    ],
    ['Left(userName, )', [[15, 0, 'Left needs its numChars argument here (Left(source, numChars))']]],
    ['Left(userName, "3")', [[15, 3, "Left's numChars expects a whole number but found a string"]]],
    ['Left(userName, 2.5)', [[15, 3, "Left's numChars expects a whole number but found 2.5"]]],
    [
      'Mid([emails.value], 0, -1)',
      [
        [4, 14, "Mid's source expects a single value but found a multi-valued string"],
        [20, 1, "Mid's start counts from 1"],
        [23, 2, "Mid's length cannot be negative"],
      ],
    ],
    [
      'IIF(active, userName, level)',
      [[22, 5, 'IIF expects a string here, like its other values, but found a number']],
    ],
    [
      'Coalesce(userName, [emails.value])',
      [[19, 14, 'Coalesce expects a string here, like its other values, but found a multi-valued string']],
    ],
    [
      'Switch(userName, "x", "a", 1)',
      [[27, 1, 'Switch expects a string here, like its other values, but found a number']],
    ],
    ['userName = "x"', [[0, 14, "a comparison can only be IIF's condition or Not's argument"]]],
    ['Append(userName = "x", "y")', [[7, 14, "a comparison can only be IIF's condition or Not's argument"]]],
    ['IIF(userName = 3, "a", "b")', [[4, 12, 'cannot compare a string with a number']]],
    ['IIF(active < true, "a", "b")', [[4, 13, '"<" cannot order booleans; use "=" or "<>"']]],
    [
      'IIF([emails.value] = "a", "a", "b")',
      [[4, 14, 'a comparison needs one value on each side but found a multi-valued string']],
    ],
    [
      'IIF(level, "a", "b")',
      [
        [
          4,
          5,
          `IIF's condition expects a boolean, a "True"/"False" string or a comparison but found a number`,
        ],
      ],
    ],
    [
      'Not([meta.created])',
      [
        [
          4,
          14,
          `Not's source expects a boolean, a "True"/"False" string or a comparison but found a dateTime`,
        ],
      ],
    ],
    [
      'FormatDateTime(level, "yyyy", "yyyy")',
      [[15, 5, "FormatDateTime's source expects a dateTime or a date string but found a number"]],
    ],
    [
      'FormatDateTime(userName, "Bogus", "yyyy", "h")',
      [
        [25, 7, '"Bogus" is not a DateTimeStyles value such as "AdjustToUniversal"'],
        [42, 3, '"h" is not a standard format; write "%h" for the single specifier'],
      ],
    ],
    [
      'FormatDateTime(userName, "\'yyyy", "fffffffff")',
      [
        [25, 7, 'the quote at position 0 of the format is never closed'],
        [34, 11, '"fffffffff" asks for more than 7 fraction digits'],
      ],
    ],
    ['ToLower(userName, "en_US")', [[18, 7, '"en_US" is not a culture name such as "en-US"']]],
    [
      'Replace(userName, "a", "b", , "c", , )',
      [
        [
          0,
          38,
          'Replace needs exactly one of these argument sets besides source: oldValue and replacementValue; oldValue and template; regexPattern and replacementValue; regexPattern, regexGroupName and replacementValue; or regexPattern, regexGroupName and replacementAttributeName',
        ],
      ],
    ],
    ['Replace(userName, , "(", , "c", , )', [[20, 3, 'invalid regular expression: Unterminated group']]],
    [
      'Replace(userName, , "(?<a>x)", "b", "c", , )',
      [[31, 3, 'the regular expression has no group named "b"']],
    ],
    [
      'ToUpper(Left(mail, 1), Join())',
      [
        [13, 4, 'unknown attribute "mail"'],
        [23, 6, 'Join takes at least 2 arguments (Join(separator, source1, source2, ...)) but has 0'],
      ],
    ],
  ];
  for (const [text, errors] of cases) {
    it(text, () => assert.deepEqual(errorsOf(text), errors));
  }

  it('reports a call nested deeper than 50 levels in a tree not built by the parser', () => {
    let expression: import('./expression-ast.ts').Expression = {
      kind: 'attribute',
      name: 'userName',
      position: 0,
      length: 8,
    };
    for (let level = 0; level < 60; level++) {
      expression = { kind: 'call', name: 'ToLower', args: [expression], position: 0, length: 1 };
    }
    const result = checkExpression(expression, SCIM);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /deeper than 50 levels/);
  });
});
