import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expression } from './expression-ast.ts';
import { parseExpression } from './parse-expression.ts';

function parse(text: string): Expression {
  const result = parseExpression(text);
  if (!result.ok) assert.fail(`${text}: ${result.error.message} at ${result.error.position}`);
  return result.expression;
}

function failure(text: string): { message: string; position: number; length: number } {
  const result = parseExpression(text);
  if (result.ok) assert.fail(`${text} parsed`);
  return result.error;
}

describe('parseExpression', () => {
  it('reads a call with an attribute and a string, keeping positions', () => {
    assert.deepEqual(parse('Append([userPrincipalName], ".test")'), {
      kind: 'call',
      name: 'Append',
      position: 0,
      length: 36,
      args: [
        { kind: 'attribute', name: 'userPrincipalName', position: 7, length: 19 },
        { kind: 'string', value: '.test', position: 28, length: 7 },
      ],
    });
  });

  it('reads bare names as attributes and function names in any case', () => {
    assert.deepEqual(parse('coalesce(displayName, userName)'), {
      kind: 'call',
      name: 'Coalesce',
      position: 0,
      length: 31,
      args: [
        { kind: 'attribute', name: 'displayName', position: 9, length: 11 },
        { kind: 'attribute', name: 'userName', position: 22, length: 8 },
      ],
    });
  });

  it('reads true, false and null in any case, numbers with signs, fractions and exponents', () => {
    const literal = (text: string) => {
      const { position: _, length: __, ...rest } = parse(text) as Expression & { position: number };
      return rest;
    };
    assert.deepEqual(literal('TRUE'), { kind: 'boolean', value: true });
    assert.deepEqual(literal('false'), { kind: 'boolean', value: false });
    assert.deepEqual(literal('Null'), { kind: 'null' });
    assert.deepEqual(literal('-12.5e2'), { kind: 'number', value: -1250 });
    assert.deepEqual(literal('007'), { kind: 'number', value: 7 });
    assert.deepEqual(literal('[null]'), { kind: 'attribute', name: 'null' });
  });

  it('reads SCIM paths, URNs and LDAP names inside brackets, and trims them', () => {
    for (const name of [
      'name.givenName',
      'emails[type eq "work"].value',
      'emails[value eq "a]b"].value',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
      'msDS-cloudExtensionAttribute1',
      "Prénom de l'employé",
    ]) {
      assert.deepEqual(parse(`[ ${name} ]`), {
        kind: 'attribute',
        name,
        position: 0,
        length: name.length + 4,
      });
    }
  });

  it('reads bare SCIM paths, URNs and LDAP names', () => {
    for (const name of [
      'name.givenName',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName',
      'msDS-Foo',
      '$ref',
    ]) {
      assert.deepEqual(parse(name), { kind: 'attribute', name, position: 0, length: name.length });
    }
  });

  it('unescapes \\" and \\\\ in strings (Entra\'s example "Company name: \\"Contoso\\"")', () => {
    assert.deepEqual(parse('"Company name: \\"Contoso\\" \\\\o/"'), {
      kind: 'string',
      value: 'Company name: "Contoso" \\o/',
      position: 0,
      length: 32,
    });
  });

  it('reads omitted arguments, and () as no arguments', () => {
    const call = parse('Replace([mail], "@contoso.com", , ,"", ,)');
    assert.equal(call.kind, 'call');
    if (call.kind !== 'call') return;
    assert.deepEqual(
      call.args.map((arg) => arg.kind),
      ['attribute', 'string', 'omitted', 'omitted', 'string', 'omitted', 'omitted'],
    );
    assert.deepEqual(call.args[2], { kind: 'omitted', position: 32, length: 0 });
    const empty = parse('Join( )');
    assert.equal(empty.kind === 'call' && empty.args.length, 0);
    const two = parse('Join(,)');
    assert.equal(two.kind === 'call' && two.args.length, 2);
  });

  it("reads Entra's comparisons: =, <>, <, <=, >, >=", () => {
    for (const operator of ['=', '<>', '<', '<=', '>', '>=']) {
      const call = parse(`IIF([country]${operator}"USA",[country],[department])`);
      assert.ok(call.kind === 'call');
      assert.deepEqual(call.args[0], {
        kind: 'comparison',
        operator,
        position: 4,
        length: 14 + operator.length,
        left: { kind: 'attribute', name: 'country', position: 4, length: 9 },
        right: { kind: 'string', value: 'USA', position: 13 + operator.length, length: 5 },
      });
    }
  });

  it('accepts whitespace and newlines between tokens', () => {
    const text = '\n  Join(\t"@" ,\n  [a]  )  \n';
    const call = parse(text);
    assert.equal(call.kind, 'call');
    assert.equal(call.position, 3);
    assert.equal(call.length, 20);
  });

  it('accepts 50 nested calls and 10,000 characters', () => {
    const nested = `${'ToLower('.repeat(50)}[a]${')'.repeat(50)}`;
    assert.ok(parseExpression(nested).ok);
    assert.ok(parseExpression(`"${'x'.repeat(9_998)}"`).ok);
  });
});

describe('parseExpression errors', () => {
  const cases: readonly [string, number, number, RegExp][] = [
    ['', 0, 0, /^expected a value .* but found the end of the expression$/],
    ['   ', 3, 0, /^expected a value .* but found the end of the expression$/],
    ['Left([a], 3', 11, 0, /^expected "," or "\)" but found the end of the expression$/],
    ['Left([a] 3)', 9, 1, /^expected "," or "\)" but found the number 3$/],
    ['Left([a], 3))', 12, 1, /^expected the end of the expression but found "\)"$/],
    ['[a] [b]', 4, 3, /^expected the end of the expression but found the attribute \[b\]$/],
    ['Left(', 5, 0, /^expected a value .*, "," or "\)" but found the end of the expression$/],
    ['Foo([a])', 0, 3, /^unknown function "Foo"; the functions are Append, Coalesce, /],
    ['Join(",", Guid())', 10, 4, /^unknown function "Guid"/],
    ['"abc', 0, 4, /^expected the closing quote of the string opened at position 0 but found the end/],
    ['Left("a\\nb", 1)', 7, 2, /^expected \\" or \\\\ after a backslash but found "n"$/],
    ['"a\\', 2, 2, /^expected \\" or \\\\ after a backslash but found the end of the expression$/],
    [
      'Join(",", [name.givenName)',
      10,
      16,
      /^expected the "\]" closing the attribute reference opened at position 10/,
    ],
    ['[emails[type eq "work"].value', 0, 29, /closing the attribute reference opened at position 0/],
    ['[emails[value eq "]].value]', 0, 27, /closing the attribute reference opened at position 0/],
    ['[ ]', 0, 3, /^expected an attribute name between "\[" and "\]"$/],
    ['Left([a], -)', 10, 1, /^expected a digit after "-" but found "\)"$/],
    ['Left([a], 1e999)', 10, 5, /^the number is too large$/],
    ['Left([a], @)', 10, 1, /^expected a value, "\(", "\)" or "," but found "@"$/],
    ['Join("", 😀)', 9, 2, /but found "😀"$/],
    ['IIF([a] = [b] = [c], 1, 2)', 14, 1, /^expected "," or "\)" but found "="$/],
    ['IIF([a] =, 1, 2)', 9, 1, /^expected a value .* but found ","$/],
    ['IIF(= [a], 1, 2)', 4, 1, /^expected a value .* but found "="$/],
    ['Left(, 1)(', 9, 1, /^expected the end of the expression but found "\("$/],
    ['Join(",", "a" "b")', 14, 3, /^expected "," or "\)" but found the string "b"$/],
    ['(1)', 0, 1, /^expected a value .* but found "\("$/],
    ['Left[a]', 4, 3, /^expected the end of the expression but found the attribute \[a\]$/],
    ['IIF([a] != 1, 1, 2)', 8, 1, /^expected a value, "\(", "\)" or "," but found "!"$/],
  ];

  for (const [text, position, length, message] of cases) {
    it(`${JSON.stringify(text)} fails at ${position}`, () => {
      const error = failure(text);
      assert.match(error.message, message);
      assert.deepEqual([error.position, error.length], [position, length]);
    });
  }

  it('rejects more than 50 nested calls at the opening parenthesis of the 51st', () => {
    const text = `${'ToLower('.repeat(51)}[a]${')'.repeat(51)}`;
    const error = failure(text);
    assert.match(error.message, /deeper than 50 levels/);
    assert.deepEqual([error.position, error.length], [50 * 8 + 7, 1]);
  });

  it('rejects text longer than 10,000 characters before reading it', () => {
    const error = failure(`"${'x'.repeat(10_000)}"`);
    assert.match(error.message, /longer than 10000 characters/);
    assert.deepEqual([error.position, error.length], [10_000, 2]);
  });
});
