import fc from 'fast-check';
import {
  type Argument,
  COMPARE_OPERATORS,
  type Comparison,
  type Expression,
  type Operand,
} from '../../src/provisioning/mapping/expression/expression-ast.ts';
import { FUNCTION_NAMES } from '../../src/provisioning/mapping/expression/function-names.ts';

/**
 * fast-check generators of expression trees the parser can produce, for property tests. Positions
 * are all 0: compare trees with `withoutSpans`.
 */
const AT = { position: 0, length: 0 } as const;

const bareName = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$.:-]{0,10}$/);
const bracketedName = fc.constantFrom(
  'name.givenName',
  'emails[type eq "work"].value',
  'emails[value eq "a]b\\"c"].value',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
  'true',
  'Left',
  'first name',
  'x[y[z]]',
);

export const attributeNameArbitrary: fc.Arbitrary<string> = fc.oneof(bareName, bracketedName);

const literal: fc.Arbitrary<Operand> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }).map((value) => ({ kind: 'string' as const, value, ...AT })),
  fc.string({ unit: 'binary', maxLength: 4 }).map((value) => ({ kind: 'string' as const, value, ...AT })),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((value) => ({ kind: 'number' as const, value, ...AT })),
  fc.integer({ min: -5, max: 20 }).map((value) => ({ kind: 'number' as const, value, ...AT })),
  fc.boolean().map((value) => ({ kind: 'boolean' as const, value, ...AT })),
  fc.constant({ kind: 'null' as const, ...AT }),
);

const attribute: fc.Arbitrary<Operand> = attributeNameArbitrary.map((name) => ({
  kind: 'attribute' as const,
  name,
  ...AT,
}));

const operator = fc.constantFrom(...COMPARE_OPERATORS);

/** Trees of any shape, arities and argument types included: what a user might write, checked or not. */
export const expressionArbitrary: fc.Arbitrary<Expression> = fc.letrec<{
  operand: Operand;
  expression: Expression;
  argument: Argument;
}>((tie) => ({
  operand: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    literal,
    attribute,
    fc
      .record({
        name: fc.constantFrom(...FUNCTION_NAMES),
        args: fc.array(tie('argument'), { maxLength: 5 }),
      })
      // One omitted argument alone prints as `()`, which has none.
      .filter(({ args }) => !(args.length === 1 && args[0]!.kind === 'omitted'))
      .map(({ name, args }) => ({ kind: 'call' as const, name, args, ...AT })),
  ),
  expression: fc.oneof(
    { weight: 4, arbitrary: tie('operand') },
    fc
      .tuple(tie('operand'), operator, tie('operand'))
      .map(([left, op, right]): Comparison => ({ kind: 'comparison', operator: op, left, right, ...AT })),
  ),
  argument: fc.oneof(
    { weight: 6, arbitrary: tie('expression') },
    fc.constant({ kind: 'omitted' as const, ...AT }),
  ),
})).expression;

/** The tree with every position and length set to 0. */
export function withoutSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutSpans) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = key === 'position' || key === 'length' ? 0 : withoutSpans(value);
  }
  return copy as T;
}
