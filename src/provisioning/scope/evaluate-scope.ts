import { resolveSourceAttribute } from '../mapping/source-attributes.ts';
import { evaluateScopeClause, readValues, textOf } from './evaluate-scope-clause.ts';
import { isUnaryOperator, type OrgUnitRule, type Scope, type ScopeClause } from './scope-rule.ts';

/** One org unit on the way from the root (excluded) down to the user's own org unit. */
export interface OrgUnitStep {
  readonly id: string;
  readonly name: string;
}

/** What scope is decided on: the user's SCIM document and where it sits in the directory. */
export interface ScopeSubject {
  readonly user: Readonly<Record<string, unknown>>;
  /** Every group the user is in, directly or through nested groups. */
  readonly groupIds: readonly string[];
  /**
   * Every org unit the user is placed in, each as its path: root first, ending with the unit itself.
   * Empty for a user placed in none, who counts as sitting at the root (`{ path: [] }`).
   */
  readonly orgUnitPaths: readonly (readonly OrgUnitStep[])[];
}

export interface ScopeDecision {
  readonly inScope: boolean;
  /** Why, in words for the provisioning log and the scope preview. */
  readonly reasons: readonly string[];
}

/**
 * Decides whether a user is in a provisioning's scope (see scope-rule.ts for the rule): structure
 * (org units OR groups, when any are listed) AND filter (when present). Org unit names compare
 * case-insensitively, as directory (LDAP) names do. Pure and total.
 */
export function evaluateScope(scope: Scope, subject: ScopeSubject): ScopeDecision {
  const reasons: string[] = [];
  const orgUnits = scope.orgUnits ?? [];
  const groups = scope.groups ?? [];
  let inScope = true;
  if (orgUnits.length > 0 || groups.length > 0) {
    const orgUnit = orgUnits.find((rule) => matchesAnyOrgUnit(rule, subject.orgUnitPaths));
    const groupSet = new Set(subject.groupIds);
    const group = groups.find((id) => groupSet.has(id));
    if (orgUnit !== undefined) reasons.push(`in org unit ${describeOrgUnit(orgUnit)}`);
    if (group !== undefined) reasons.push(`member of group ${group}`);
    if (orgUnit === undefined && group === undefined) {
      inScope = false;
      reasons.push("in none of the scope's org units and groups");
    }
  }
  if (scope.filter !== undefined) {
    const all = 'all' in scope.filter;
    const clauses = 'all' in scope.filter ? scope.filter.all : scope.filter.any;
    const results = clauses.map((clause) => evaluateScopeClause(clause, subject.user));
    const holds = all ? results.every(Boolean) : results.some(Boolean);
    if (holds)
      reasons.push(
        all
          ? `filter: all ${clauses.length} clauses hold`
          : `filter: ${describeClause(clauses[results.indexOf(true)]!, subject.user)} holds`,
      );
    else {
      inScope = false;
      const failing = all ? clauses.filter((_, index) => !results[index]) : clauses;
      for (const clause of failing)
        reasons.push(`filter: ${describeClause(clause, subject.user)} does not hold`);
    }
  }
  if (reasons.length === 0) reasons.push('the scope is empty: everyone is in scope');
  return { inScope, reasons };
}

/** The rule holds for one of the user's org units; a user placed in none sits at the root. */
function matchesAnyOrgUnit(rule: OrgUnitRule, paths: readonly (readonly OrgUnitStep[])[]): boolean {
  return (paths.length === 0 ? [[]] : paths).some((path) => matchesOrgUnit(rule, path));
}

function matchesOrgUnit(rule: OrgUnitRule, path: readonly OrgUnitStep[]): boolean {
  if ('id' in rule) {
    const position = path.findIndex((step) => step.id === rule.id);
    return position >= 0 && (rule.includeSubtree || position === path.length - 1);
  }
  if (path.length < rule.path.length || (!rule.includeSubtree && path.length !== rule.path.length))
    return false;
  return rule.path.every((name, index) => path[index]?.name.toLowerCase() === name.toLowerCase());
}

function describeOrgUnit(rule: OrgUnitRule): string {
  const what = 'id' in rule ? rule.id : `/${rule.path.join('/')}`;
  return rule.includeSubtree ? `${what} (with its sub-tree)` : what;
}

function describeClause(clause: ScopeClause, user: Readonly<Record<string, unknown>>): string {
  const value = isUnaryOperator(clause.operator) ? '' : ` ${JSON.stringify(clause.value ?? '')}`;
  const actual = readValues(user, clause.attribute).map(textOf);
  const found = actual.length === 0 ? 'null' : actual.map((text) => JSON.stringify(text)).join(', ');
  return `${clause.attribute} ${clause.operator}${value} (${clause.attribute} is ${found})`;
}

export interface ScopeCheckError {
  /** Where in the scope: `filter.all[2].attribute`. */
  readonly path: string;
  readonly message: string;
}

/** What the schema cannot check: every clause's attribute must be a known source attribute. */
export function checkScope(scope: Scope): { ok: true } | { ok: false; errors: readonly ScopeCheckError[] } {
  if (scope.filter === undefined) return { ok: true };
  const key = 'all' in scope.filter ? 'all' : 'any';
  const clauses = 'all' in scope.filter ? scope.filter.all : scope.filter.any;
  const errors: ScopeCheckError[] = [];
  clauses.forEach((clause, index) => {
    if (resolveSourceAttribute('User', clause.attribute) === undefined) {
      errors.push({
        path: `filter.${key}[${index}].attribute`,
        message: `unknown source attribute "${clause.attribute}"`,
      });
    }
  });
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
