import { sql } from 'kysely';
import type { SqlDialect } from '../../sql-dialect.ts';

/**
 * PostgreSQL's side of {@link SqlDialect}. Case folding uses the ICU root collation when the server has
 * it, because that matches JavaScript's full Unicode `toLowerCase`; a libc `lower` under a `C` locale
 * folds ASCII only.
 */
export function createPostgresSqlDialect(options: { readonly icu: boolean }): SqlDialect {
  const path = (keys: readonly string[]) => sql`${[...keys]}::text[]`;
  return {
    name: 'postgres',
    foldCase: options.icu ? (text) => sql`lower(${text} collate "und-x-icu")` : (text) => sql`lower(${text})`,
    codePointOrder: (text) => sql`(${text} collate "C")`,
    jsonText: (json, keys) =>
      sql`(case when jsonb_typeof(${json} #> ${path(keys)}) = 'string' then ${json} #>> ${path(keys)} end)`,
    jsonNumber: (json, keys) =>
      sql`(case when jsonb_typeof(${json} #> ${path(keys)}) = 'number' then (${json} #>> ${path(keys)})::numeric end)`,
    jsonBooleanIs: (json, keys, value) =>
      sql`(coalesce(jsonb_typeof(${json} #> ${path(keys)}), '') = 'boolean' and (${json} #>> ${path(keys)}) = ${value ? 'true' : 'false'})`,
    jsonExists: (json, keys) => sql`(coalesce(jsonb_typeof(${json} #> ${path(keys)}), 'null') <> 'null')`,
    jsonArrayElements: (json, keys, alias) =>
      sql`jsonb_array_elements(case when jsonb_typeof(${json} #> ${path(keys)}) = 'array' then ${json} #> ${path(keys)} else '[]'::jsonb end) as ${sql.raw(alias)}`,
    contains: (haystack, needle) => sql`(strpos(${haystack}, ${needle}::text) > 0)`,
    startsWith: (text, prefix) =>
      prefix === '' ? sql`(${text} is not null)` : sql`starts_with(${text}, ${prefix}::text)`,
    endsWith: (text, suffix) =>
      suffix === ''
        ? sql`(${text} is not null)`
        : sql`(right(${text}, length(${suffix}::text)) = ${suffix}::text)`,
    jsonArrayAggregate: (fields, orderBy) =>
      sql`coalesce(json_agg(json_build_object(${sql.join(fields.map(([key, value]) => sql`${sql.lit(key)}::text, ${value}`))}) order by ${orderBy}), '[]'::json)`,
    encodeJson: (value) => JSON.stringify(value),
    decodeJson: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
    uniqueViolation: (error) => {
      if (typeof error !== 'object' || error === null) return undefined;
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      return code === '23505' && typeof constraint === 'string' ? constraint : undefined;
    },
  };
}
