import { z } from 'zod';
import { compileScopeRegex } from './scope-regex.ts';

/**
 * A provisioning's scope: which directory users it provisions. Three parts, each optional:
 * - `orgUnits`: users in one of these org units (by path of names from the root, or by id), with
 *   or without the sub-tree;
 * - `groups`: users who are members of one of these directory groups, directly or through nested
 *   groups;
 * - `filter`: an attribute filter with Entra's scoping-filter operators.
 * A user is in scope when (in a listed org unit OR in a listed group, when any are listed) AND the
 * filter holds (when there is one). Org units and groups together are a union, as IDaaS's
 * "organisations and groups"; the filter narrows it, as Entra's scoping filter narrows assignment.
 * An empty scope means everyone.
 * @see REFERENCE.md §2 ("Scoping filter operators"), §7
 */

/**
 * Entra's operators, spelled as its portal and Graph spell them, plus Less_Than(_OR_EQUALS) and
 * ENDS_WITH. Text comparisons are case-sensitive as Entra documents; a clause's `ignoreCase` (a
 * Lockstep extension) folds case for EQUALS, NOT EQUALS, Includes, ENDS_WITH and the regex
 * operators, and a pattern may begin with .NET's `(?i)` to the same effect.
 */
export const SCOPE_OPERATORS = [
  'EQUALS',
  'NOT EQUALS',
  'IS TRUE',
  'IS FALSE',
  'IS NULL',
  'IS NOT NULL',
  'REGEX MATCH',
  'NOT REGEX MATCH',
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Less_Than',
  'Less_Than_OR_EQUALS',
  'Includes',
  'ENDS_WITH',
] as const;

export type ScopeOperator = (typeof SCOPE_OPERATORS)[number];

const UNARY_OPERATORS: readonly ScopeOperator[] = ['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL'];
export const NUMERIC_OPERATORS: readonly ScopeOperator[] = [
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Less_Than',
  'Less_Than_OR_EQUALS',
];
export const REGEX_OPERATORS: readonly ScopeOperator[] = ['REGEX MATCH', 'NOT REGEX MATCH'];

export function isUnaryOperator(operator: ScopeOperator): boolean {
  return UNARY_OPERATORS.includes(operator);
}

export const ScopeClauseSchema = z
  .object({
    /** A source attribute (see mapping/source-attributes.ts): `department`, `emails[type eq "work"].value`. */
    attribute: z.string().trim().min(1).max(1_000),
    operator: z.enum(SCOPE_OPERATORS, { error: `must be one of ${SCOPE_OPERATORS.join(', ')}` }),
    /** The value to compare with; absent for IS TRUE / IS FALSE / IS NULL / IS NOT NULL. */
    value: z.string().max(1_000).optional(),
    ignoreCase: z.boolean().optional(),
  })
  .superRefine((clause, context) => {
    const problem = rejectClauseValue(clause.operator, clause.value);
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

export type ScopeClause = z.infer<typeof ScopeClauseSchema>;

function rejectClauseValue(operator: ScopeOperator, value: string | undefined): string | undefined {
  if (isUnaryOperator(operator)) return value === undefined ? undefined : `${operator} takes no value`;
  if (value === undefined) return `${operator} needs a value`;
  if (NUMERIC_OPERATORS.includes(operator) && !/^\s*[+-]?\d{1,15}\s*$/.test(value)) {
    return `${operator} compares whole numbers (as Entra's does); "${value}" is not one`;
  }
  if (REGEX_OPERATORS.includes(operator)) {
    const compiled = compileScopeRegex(value, false);
    if (!compiled.ok) return compiled.message;
  }
  return undefined;
}

const clauses = z.array(ScopeClauseSchema).min(1, 'must have at least one clause').max(50);

/** `all`: every clause holds (Entra: clauses of one filter AND); `any`: one clause holds. */
export const ScopeFilterSchema = z.union(
  [z.strictObject({ all: clauses }), z.strictObject({ any: clauses })],
  {
    error: 'must be { all: [clauses] } or { any: [clauses] }',
  },
);

export type ScopeFilter = z.infer<typeof ScopeFilterSchema>;

export const OrgUnitRuleSchema = z.union([
  /** Names from the root, e.g. ["Europe", "Sales"]; [] is the root. */
  z.strictObject({ path: z.array(z.string().min(1).max(256)).max(50), includeSubtree: z.boolean() }),
  z.strictObject({ id: z.string().min(1).max(256), includeSubtree: z.boolean() }),
]);

export type OrgUnitRule = z.infer<typeof OrgUnitRuleSchema>;

export const ScopeSchema = z.strictObject({
  orgUnits: z.array(OrgUnitRuleSchema).max(200).optional(),
  /** Directory group ids. */
  groups: z.array(z.string().min(1).max(256)).max(200).optional(),
  filter: ScopeFilterSchema.optional(),
});

export type Scope = z.infer<typeof ScopeSchema>;
