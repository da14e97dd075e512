import { sql } from 'kysely';
import type {
  AttributePath,
  CompareOperator,
  ComparisonValue,
  Filter,
} from '../../scim/filter/filter-ast.ts';
import type { AttributeDefinition, ResourceTypeDefinition } from '../../scim/schema/attribute-definition.ts';
import { SCHEMAS_ATTRIBUTE } from '../../scim/schema/common-attributes.ts';
import { findSubAttribute, resolveAttribute } from '../../scim/schema/schema-registry.ts';
import type { SqlExpression } from '../../storage/sql-dialect.ts';
import type { ElementSource, FilterSqlContext, ResourceSqlMapping } from './resource-sql-mapping.ts';
import { jsonScalarAccess, type ScalarAccess, textAccess } from './scalar-access.ts';

const TRUE = sql`(1 = 1)`;
const FALSE = sql`(1 = 0)`;

/**
 * Compiles a resolved SCIM filter to one SQL boolean expression over the mapping's table. The whole
 * filter becomes SQL — nothing is filtered after the fact — so counts and pages are exact. Lookups
 * clients make on every request (id, userName, externalId, emails.value, displayName, members.value,
 * meta.lastModified) land on indexed columns. Semantics are those of `evaluateFilter`; the property tests
 * compare the two on random data.
 * @see RFC 7644 §3.4.2.2
 */
export function compileFilterSql(
  filter: Filter,
  resourceType: ResourceTypeDefinition,
  mapping: ResourceSqlMapping,
  context: FilterSqlContext,
): SqlExpression {
  const compile = (node: Filter): SqlExpression => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return joinBalanced(node.kind, flattenChain(node).map(compile));
      case 'not':
        return negate(compile(node.filter));
      case 'present':
        return compileTopLevel(node.path, (access) => access.present);
      case 'compare': {
        const fast = compileIndexedMembership(node, resourceType, mapping, context);
        if (fast !== undefined) return fast;
        return compileComparison(node.op, node.value, (predicate) => compileTopLevel(node.path, predicate));
      }
      case 'valuePath':
        return compileValuePath(node.path, node.filter);
    }
  };

  /** Applies `predicate` to the value(s) at a top-level path: any element for multi-valued ones. */
  const compileTopLevel = (
    path: AttributePath,
    predicate: (access: ScalarAccess, definition: AttributeDefinition) => SqlExpression,
  ): SqlExpression => {
    const resolved = requireResolved(resourceType, path);
    const leaf = resolved.subDefinition ?? resolved.definition;
    if (resolved.definition === SCHEMAS_ATTRIBUTE) return compileSchemas(predicate);
    const column = mapping.column(path, context);
    if (column !== undefined) return predicate(column, leaf);
    const elements = elementSource(path, resolved.definition);
    if (elements !== undefined) {
      if (resolved.subDefinition === undefined) {
        // `emails pr`: the array has an element.
        return existsIn(elements, TRUE);
      }
      return existsIn(elements, predicate(elements.field(resolved.subDefinition), leaf));
    }
    const keys = path.sub === undefined ? documentKeys(path) : [...documentKeys(path), path.sub];
    return predicate(jsonScalarAccess(context.dialect, mapping.doc, keys, leaf), leaf);
  };

  /** `schemas`: the core URN, plus each extension URN whose attributes the document holds. */
  const compileSchemas = (
    predicate: (access: ScalarAccess, definition: AttributeDefinition) => SqlExpression,
  ): SqlExpression => {
    // Typed: PostgreSQL cannot infer the type of a bare parameter (`schemas pr` is `$1 is not null`).
    const urn = (schema: string) => textAccess(sql`cast(${schema} as text)`);
    const candidates = [predicate(urn(resourceType.schema), SCHEMAS_ATTRIBUTE)];
    for (const { schema } of resourceType.schemaExtensions) {
      const present = context.dialect.jsonExists(mapping.doc, [schema]);
      candidates.push(sql`(${present} and ${predicate(urn(schema), SCHEMAS_ATTRIBUTE)})`);
    }
    return joinBalanced('or', candidates);
  };

  const compileValuePath = (path: AttributePath, inner: Filter): SqlExpression => {
    const resolved = requireResolved(resourceType, path);
    const elements = elementSource(path, resolved.definition);
    if (elements !== undefined)
      return existsIn(elements, compileElement(inner, resolved.definition, elements.field));
    // A single-valued complex attribute: the filter applies to the object itself.
    const keys = documentKeys(path);
    const field = (sub: AttributeDefinition) =>
      jsonScalarAccess(context.dialect, mapping.doc, [...keys, sub.name], sub);
    return sql`(${context.dialect.jsonExists(mapping.doc, keys)} and ${compileElement(inner, resolved.definition, field)})`;
  };

  const compileElement = (
    node: Filter,
    parent: AttributeDefinition,
    field: (sub: AttributeDefinition) => ScalarAccess,
  ): SqlExpression => {
    const recurse = (child: Filter) => compileElement(child, parent, field);
    switch (node.kind) {
      case 'and':
      case 'or':
        return joinBalanced(node.kind, flattenChain(node).map(recurse));
      case 'not':
        return negate(recurse(node.filter));
      case 'valuePath':
        throw new Error('Nested value paths are rejected by the parser');
      case 'present':
        return field(requireSub(parent, node.path.name)).present;
      case 'compare': {
        const sub = requireSub(parent, node.path.name);
        return compileComparison(node.op, node.value, (predicate) => predicate(field(sub), sub));
      }
    }
  };

  const elementSource = (path: AttributePath, definition: AttributeDefinition): ElementSource | undefined => {
    const derived = mapping.derivedElements(path, context);
    if (derived !== undefined) return derived;
    if (!definition.multiValued) return undefined;
    const alias = context.nextAlias();
    const element = sql.raw(`${alias}.value`);
    return {
      from: context.dialect.jsonArrayElements(mapping.doc, documentKeys(path), alias),
      field: (sub) => jsonScalarAccess(context.dialect, element, [sub.name], sub),
    };
  };

  const compileComparison = (
    op: CompareOperator,
    value: ComparisonValue,
    at: (
      predicate: (access: ScalarAccess, definition: AttributeDefinition) => SqlExpression,
    ) => SqlExpression,
  ): SqlExpression => {
    if (value === null) {
      // `eq null` is "not present", `ne null` is "present" (resolution allows null with eq / ne only).
      const present = at((access) => access.present);
      return op === 'ne' ? present : sql`(not ${present})`;
    }
    if (op === 'ne')
      return negate(at((access, definition) => comparePredicate('eq', value, access, definition)));
    return at((access, definition) => comparePredicate(op, value, access, definition));
  };

  const comparePredicate = (
    op: Exclude<CompareOperator, 'ne'>,
    value: Exclude<ComparisonValue, null>,
    access: ScalarAccess,
    definition: AttributeDefinition,
  ): SqlExpression => {
    const { dialect } = context;
    if (access.booleanIs !== undefined) {
      return typeof value === 'boolean' && op === 'eq' ? access.booleanIs(value) : FALSE;
    }
    if (access.number !== undefined) {
      if (typeof value !== 'number') return FALSE;
      return sql`(${access.number} is not null and ${access.number} ${sql.raw(SQL_OPERATORS[op] ?? '=')} ${value})`;
    }
    if (access.text === undefined || typeof value !== 'string') return FALSE;
    const fold = foldsCase(definition);
    const subject = fold ? (access.folded ?? dialect.foldCase(access.text)) : access.text;
    const literal = fold ? value.toLowerCase() : value;
    const guarded = (test: SqlExpression) => sql`(${subject} is not null and ${test})`;
    switch (op) {
      case 'eq':
        // Unguarded: `=` is never true for a missing value, and negation is null-safe (`negate`). A
        // guard here hides `or` chains of equalities from SQLite's index planner (a scan per lookup).
        return sql`(${subject} = ${literal})`;
      case 'co':
        return guarded(dialect.contains(subject, literal));
      case 'sw':
        return guarded(dialect.startsWith(subject, literal));
      case 'ew':
        return guarded(dialect.endsWith(subject, literal));
      default:
        return guarded(sql`${dialect.codePointOrder(subject)} ${sql.raw(SQL_OPERATORS[op])} ${literal}`);
    }
  };

  return compile(filter);
}

/**
 * `not`, true for a row whose inner predicate is false or unknown (SQL's NULL, e.g. a comparison with a
 * missing value): a SCIM filter either matches a resource or does not.
 */
function negate(inner: SqlExpression): SqlExpression {
  return sql`(not coalesce(${inner}, false))`;
}

const SQL_OPERATORS: Record<'eq' | 'gt' | 'ge' | 'lt' | 'le', string> & Partial<Record<string, string>> = {
  eq: '=',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/**
 * Whether comparisons fold case: strings that are not caseExact. dateTime values are canonical
 * instants, compared as they are (and so through their index).
 */
export function foldsCase(definition: AttributeDefinition): boolean {
  return !definition.caseExact && definition.type !== 'dateTime';
}

/** The operands of a chain of the same connective: `a and b and c` → [a, b, c]. */
function flattenChain(node: Extract<Filter, { kind: 'and' | 'or' }>): Filter[] {
  const operands: Filter[] = [];
  const stack: Filter[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.kind === node.kind) stack.push(current.right, current.left);
    else operands.push(current);
  }
  return operands;
}

/**
 * Joins operands as a balanced tree: SQLite refuses expressions deeper than 1,000, and a long
 * `or` chain (a client listing many ids) would otherwise nest one level per term.
 */
function joinBalanced(connective: 'and' | 'or', operands: readonly SqlExpression[]): SqlExpression {
  if (operands.length === 1) return operands[0]!;
  const middle = Math.ceil(operands.length / 2);
  const left = joinBalanced(connective, operands.slice(0, middle));
  const right = joinBalanced(connective, operands.slice(middle));
  return sql`(${left} ${sql.raw(connective)} ${right})`;
}

function existsIn(elements: ElementSource, condition: SqlExpression): SqlExpression {
  const where = elements.where === undefined ? condition : sql`${elements.where} and ${condition}`;
  return sql`exists (select 1 from ${elements.from} where ${where})`;
}

/**
 * `emails.value eq "x"` and `members.value eq "id"` through the indexed side tables instead of
 * walking JSON or membership rows per resource.
 */
function compileIndexedMembership(
  node: Extract<Filter, { kind: 'compare' }>,
  resourceType: ResourceTypeDefinition,
  mapping: ResourceSqlMapping,
  context: FilterSqlContext,
): SqlExpression | undefined {
  if (node.op !== 'eq' || typeof node.value !== 'string' || node.path.sub !== 'value') return undefined;
  if (node.path.uri !== undefined && node.path.uri !== resourceType.schema) return undefined;
  const alias = sql.raw(mapping.alias);
  if (resourceType.id === 'User' && node.path.name === 'emails') {
    return sql`(${alias}.id in (select user_id from user_emails where tenant_id = ${context.tenantId} and value_ci = ${node.value.toLowerCase()}))`;
  }
  if (resourceType.id === 'Group' && node.path.name === 'members') {
    return sql`(${alias}.id in (select group_id from group_members where tenant_id = ${context.tenantId} and member_id = ${node.value}))`;
  }
  return undefined;
}

/** The JSON keys of a path inside the stored document: extension attributes sit under their URN. */
export function documentKeys(path: AttributePath): string[] {
  return path.uri !== undefined && !path.uri.includes(':core:2.0:') ? [path.uri, path.name] : [path.name];
}

function requireResolved(resourceType: ResourceTypeDefinition, path: AttributePath) {
  const resolved = resolveAttribute(resourceType, path);
  if (resolved === undefined) throw new Error(`Unresolved filter path ${path.uri ?? ''}:${path.name}`);
  return resolved;
}

function requireSub(parent: AttributeDefinition, name: string): AttributeDefinition {
  const sub = findSubAttribute(parent, name);
  if (sub === undefined) throw new Error(`Unresolved sub-attribute ${parent.name}.${name}`);
  return sub;
}
