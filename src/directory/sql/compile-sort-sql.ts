import { sql } from 'kysely';
import type { AttributePath } from '../../scim/filter/filter-ast.ts';
import type { AttributeDefinition, ResourceTypeDefinition } from '../../scim/schema/attribute-definition.ts';
import { findSubAttribute, resolveAttribute } from '../../scim/schema/schema-registry.ts';
import type { SqlExpression } from '../../storage/sql-dialect.ts';
import { documentKeys, foldsCase } from './compile-filter-sql.ts';
import type { ElementSource, FilterSqlContext, ResourceSqlMapping } from './resource-sql-mapping.ts';
import { jsonScalarAccess, type ScalarAccess } from './scalar-access.ts';

/**
 * The key of an attribute that has no sortable value (`schemas`, whose first value is always the
 * core URN): every resource ties, so the insertion order decides. A typed NULL, because PostgreSQL
 * refuses a bare constant in ORDER BY ("non-integer constant in ORDER BY").
 */
const NO_KEY = sql`cast(null as text)`;

/**
 * The SQL value a resource sorts by for `sortBy` (RFC 7644 §3.4.2.3): the attribute's value, folded
 * when it is not caseExact; for a multi-valued attribute the primary element's value, else the first
 * present one. Resources without a value give NULL, which the query orders last when ascending and
 * first when descending.
 */
export function compileSortKeySql(
  path: AttributePath,
  resourceType: ResourceTypeDefinition,
  mapping: ResourceSqlMapping,
  context: FilterSqlContext,
): SqlExpression {
  const resolved = resolveAttribute(resourceType, path);
  if (resolved === undefined) throw new Error(`Unresolved sortBy path ${path.name}`);
  const { definition } = resolved;
  const column = mapping.column(path, context);
  if (column !== undefined) return keyOf(column, resolved.subDefinition ?? definition, context);

  const derived = mapping.derivedElements(path, context);
  if (derived !== undefined || definition.multiValued) {
    const sub = resolved.subDefinition ?? findSubAttribute(definition, 'value');
    if (sub === undefined) return NO_KEY;
    const source = () => derived ?? jsonElements(path, mapping, context);
    const fieldKey = (elements: ElementSource) => keyOf(elements.field(sub), sub, context);
    const firstPresent = (elements: ElementSource, extra: SqlExpression | undefined) => {
      const key = fieldKey(elements);
      const conditions = [elements.where, extra, sql`${key} is not null`].filter((c) => c !== undefined);
      return sql`(select ${key} from ${elements.from} where ${sql.join(conditions, sql` and `)} limit 1)`;
    };
    const primary = findSubAttribute(definition, 'primary');
    if (derived !== undefined || primary === undefined) {
      const elements = source();
      const key = fieldKey(elements);
      const where =
        elements.where === undefined
          ? sql`${key} is not null`
          : sql`${elements.where} and ${key} is not null`;
      return sql`(select min(${key}) from ${elements.from} where ${where})`;
    }
    const primaryElements = source();
    const primaryIs = primaryElements.field(primary).booleanIs?.(true);
    return sql`coalesce(${firstPresent(primaryElements, primaryIs)}, ${firstPresent(source(), undefined)})`;
  }
  const keys = path.sub === undefined ? documentKeys(path) : [...documentKeys(path), path.sub];
  const leaf = resolved.subDefinition ?? definition;
  return keyOf(jsonScalarAccess(context.dialect, mapping.doc, keys, leaf), leaf, context);
}

function jsonElements(
  path: AttributePath,
  mapping: ResourceSqlMapping,
  context: FilterSqlContext,
): ElementSource {
  const alias = context.nextAlias();
  const element = sql.raw(`${alias}.value`);
  return {
    from: context.dialect.jsonArrayElements(mapping.doc, documentKeys(path), alias),
    field: (sub) => jsonScalarAccess(context.dialect, element, [sub.name], sub),
  };
}

function keyOf(
  access: ScalarAccess,
  definition: AttributeDefinition,
  context: FilterSqlContext,
): SqlExpression {
  if (access.booleanIs !== undefined) {
    return sql`(case when ${access.booleanIs(true)} then 1 when ${access.booleanIs(false)} then 0 end)`;
  }
  if (access.number !== undefined) return access.number;
  if (access.text === undefined) return NO_KEY;
  const text = foldsCase(definition) ? (access.folded ?? context.dialect.foldCase(access.text)) : access.text;
  return context.dialect.codePointOrder(sql`nullif(${text}, '')`);
}
