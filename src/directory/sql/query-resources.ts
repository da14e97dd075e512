import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AttributePath, Filter } from '../../scim/filter/filter-ast.ts';
import { printAttributePath } from '../../scim/filter/print-filter.ts';
import type { ResourceTypeDefinition } from '../../scim/schema/attribute-definition.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import type { SqlDialect, SqlExpression } from '../../storage/sql-dialect.ts';
import { compileFilterSql } from './compile-filter-sql.ts';
import { compileSortKeySql } from './compile-sort-sql.ts';
import { statementsForShape } from './query-shape-cache.ts';
import type { FilterSqlContext, ResourceSqlMapping } from './resource-sql-mapping.ts';

/** A list query, already validated and resolved by the SCIM layer. */
export interface ResourceQuery {
  readonly filter?: Filter;
  readonly sortBy?: AttributePath;
  readonly descending?: boolean;
  /** 0-based (SCIM's startIndex minus one). */
  readonly offset: number;
  readonly limit: number;
  /** Also select the mapping's derived columns (a user's `groups`). */
  readonly derived?: boolean;
}

export interface QueryScope {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: SqlDialect;
  readonly tenantId: string;
  readonly baseUrl: string;
}

/** The two statements of a list query: the page (sorted, limited) and the count. */
export function buildResourceQuerySql(
  scope: Omit<QueryScope, 'db'>,
  resourceType: ResourceTypeDefinition,
  mapping: ResourceSqlMapping,
  query: ResourceQuery,
): { page: RawBuilder<unknown>; count: RawBuilder<{ n: number | string }> } {
  let counter = 0;
  const context: FilterSqlContext = {
    dialect: scope.dialect,
    tenantId: scope.tenantId,
    baseUrl: scope.baseUrl,
    nextAlias: () => `x${++counter}`,
  };
  const alias = sql.raw(mapping.alias);
  const table = sql.raw(mapping.table);
  const conditions: SqlExpression[] = [sql`${alias}.tenant_id = ${scope.tenantId}`];
  if (query.filter !== undefined)
    conditions.push(compileFilterSql(query.filter, resourceType, mapping, context));
  const where = sql.join(conditions, sql` and `);
  const order: SqlExpression[] = [];
  if (query.sortBy !== undefined) {
    const key = compileSortKeySql(query.sortBy, resourceType, mapping, context);
    order.push(query.descending === true ? sql`${key} desc nulls first` : sql`${key} asc nulls last`);
  }
  order.push(sql`${mapping.seq} asc`);
  const columns = [
    sql`${alias}.*`,
    ...(query.derived === true ? (mapping.derivedColumns?.(scope.dialect) ?? []) : []),
  ];
  // LIMIT and OFFSET are inlined: bound, they made SQLite re-prepare the statement on every run.
  if (!Number.isSafeInteger(query.limit) || !Number.isSafeInteger(query.offset))
    throw new Error('Invalid page');
  return {
    page: sql`select ${sql.join(columns)} from ${table} ${alias} where ${where}
      order by ${sql.join(order, sql`, `)} limit ${sql.lit(query.limit)} offset ${sql.lit(query.offset)}`,
    count: sql<{ n: number | string }>`select count(*) as n from ${table} ${alias} where ${where}`,
  };
}

/**
 * Runs a filtered, sorted, paged query and its count. Order is always total and stable: the sort key,
 * then insertion order, so paging with startIndex never skips or repeats a resource.
 * @see RFC 7644 §3.4.2.3, §3.4.2.4
 */
export async function queryResourceRows<Row>(
  scope: QueryScope,
  resourceType: ResourceTypeDefinition,
  mapping: ResourceSqlMapping,
  query: ResourceQuery,
): Promise<{ total: number; rows: Row[] }> {
  const statements = statementsForShape({
    query,
    tenantId: scope.tenantId,
    baseUrl: scope.baseUrl,
    owner: scope.dialect,
    key: [
      resourceType.id,
      query.sortBy === undefined ? '' : printAttributePath(query.sortBy),
      query.descending === true,
      query.limit,
      query.offset,
      query.derived === true,
    ].join(' '),
    compile: (shaped, marks) => {
      const built = buildResourceQuerySql(
        { dialect: scope.dialect, ...marks },
        resourceType,
        mapping,
        shaped,
      );
      return { page: built.page.compile(scope.db), count: built.count.compile(scope.db) };
    },
  });
  const count = async () =>
    Number((await scope.db.executeQuery<{ n: number | string }>(statements.count)).rows[0]?.n ?? 0);
  if (query.limit <= 0) return { total: await count(), rows: [] };
  const result = await scope.db.executeQuery<Row>(statements.page);
  const rows = result.rows;
  // A short first page is the whole result: the usual `userName eq` lookup needs no second query.
  const complete = rows.length < query.limit && (query.offset === 0 || rows.length > 0);
  const total = complete ? query.offset + rows.length : await count();
  return { total, rows };
}
