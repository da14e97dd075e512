import { sql } from 'kysely';
import type { SqlDialect } from '../../sql-dialect.ts';

/** `$."a"."b"`: quoted labels, because URN keys contain `:` and `.`. */
function jsonPath(keys: readonly string[]): string {
  return `$${keys.map((key) => `."${key.replaceAll('"', '\\"')}"`).join('')}`;
}

/** SQLite's side of {@link SqlDialect}; `scim_fold` is registered by `openSqliteFile`. */
export const SQLITE_SQL_DIALECT: SqlDialect = {
  name: 'sqlite',
  foldCase: (text) => sql`scim_fold(${text})`,
  // SQLite's default BINARY collation compares UTF-8 bytes, which is code point order.
  codePointOrder: (text) => text,
  jsonText: (json, keys) =>
    sql`(case when json_type(${json}, ${jsonPath(keys)}) = 'text' then json_extract(${json}, ${jsonPath(keys)}) end)`,
  jsonNumber: (json, keys) =>
    sql`(case when json_type(${json}, ${jsonPath(keys)}) in ('integer', 'real') then json_extract(${json}, ${jsonPath(keys)}) end)`,
  jsonBooleanIs: (json, keys, value) =>
    sql`(coalesce(json_type(${json}, ${jsonPath(keys)}), '') = ${value ? 'true' : 'false'})`,
  jsonExists: (json, keys) => sql`(coalesce(json_type(${json}, ${jsonPath(keys)}), 'null') <> 'null')`,
  jsonArrayElements: (json, keys, alias) => sql`json_each(${json}, ${jsonPath(keys)}) as ${sql.raw(alias)}`,
  contains: (haystack, needle) => sql`(instr(${haystack}, ${needle}) > 0)`,
  // Lengths are computed in SQL from the bound literal, so the statement text never depends on it.
  startsWith: (text, prefix) =>
    prefix === '' ? sql`(${text} is not null)` : sql`(substr(${text}, 1, length(${prefix})) = ${prefix})`,
  endsWith: (text, suffix) =>
    suffix === ''
      ? sql`(${text} is not null)`
      : sql`(length(${text}) >= length(${suffix}) and substr(${text}, -length(${suffix})) = ${suffix})`,
  jsonArrayAggregate: (fields, orderBy) =>
    sql`json_group_array(json_object(${sql.join(fields.map(([key, value]) => sql`${sql.lit(key)}, ${value}`))}) order by ${orderBy})`,
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
  uniqueViolation: (error) => {
    if (!(error instanceof Error)) return undefined;
    const match = /UNIQUE constraint failed: (.+)$/.exec(error.message);
    return match?.[1];
  },
};
