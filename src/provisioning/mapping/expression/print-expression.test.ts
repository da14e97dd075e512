import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expressionArbitrary, withoutSpans } from '../../../../test/support/expression-arbitraries.ts';
import { parseExpression } from './parse-expression.ts';
import { printExpression } from './print-expression.ts';

function reprint(text: string): string {
  const result = parseExpression(text);
  assert.ok(result.ok, text);
  return printExpression(result.expression);
}

describe('printExpression', () => {
  it('writes canonical names, brackets, separators and escapes', () => {
    assert.equal(reprint('coalesce(displayName,userName)'), 'Coalesce([displayName], [userName])');
    assert.equal(
      reprint('Replace([mail], "@contoso.com", , ,"", ,)'),
      'Replace([mail], "@contoso.com", , , "", , )',
    );
    assert.equal(
      reprint('IIF([country]="USA",[country],[department])'),
      'IIF([country] = "USA", [country], [department])',
    );
    assert.equal(
      reprint('Join("\\"\\\\", TRUE, NULL, -0, 1e21, 0.5)'),
      'Join("\\"\\\\", true, null, -0, 1e+21, 0.5)',
    );
    assert.equal(reprint('[ emails[type eq "work"].value ]'), '[emails[type eq "work"].value]');
    assert.equal(reprint('Join(,)'), 'Join(, )');
    assert.equal(reprint('Left( )'), 'Left()');
  });

  it('prints text that parses back to the same tree', () => {
    fc.assert(
      fc.property(expressionArbitrary, (expression) => {
        const text = printExpression(expression);
        const parsed = parseExpression(text);
        assert.ok(parsed.ok, `${text}: ${parsed.ok ? '' : parsed.error.message}`);
        assert.deepEqual(withoutSpans(parsed.expression), withoutSpans(expression));
      }),
      { numRuns: 2000 },
    );
  });

  it('is a fixed point: printing a parsed canonical text gives the same text', () => {
    fc.assert(
      fc.property(expressionArbitrary, (expression) => {
        const text = printExpression(expression);
        assert.equal(reprint(text), text);
      }),
      { numRuns: 500 },
    );
  });

  it('records spans that cover exactly the text of each node', () => {
    fc.assert(
      fc.property(expressionArbitrary, (expression) => {
        const text = printExpression(expression);
        const parsed = parseExpression(text);
        assert.ok(parsed.ok);
        assert.equal(parsed.expression.position, 0);
        assert.equal(parsed.expression.length, text.length);
      }),
      { numRuns: 500 },
    );
  });
});
