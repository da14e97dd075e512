import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.ts';
import type { SqlDialect } from './sql-dialect.ts';

const SENTINEL = '\u0000param:';

/**
 * A query built and compiled once per dialect, then run with new parameter values: the hot lookups
 * (a user by id, a token by hash) skip Kysely's builder and compiler, which cost as much as SQLite's
 * own index lookup. `build` receives `param(name)` for each value that varies; it must use each one
 * as a plain bound value (not inside a computed expression).
 */
export function preparedQuery<Name extends string, Row>(
  build: (db: Kysely<DatabaseSchema>, param: (name: Name) => string, dialect: SqlDialect) => Compilable<Row>,
): (
  executor: Kysely<DatabaseSchema>,
  dialect: SqlDialect,
  values: Readonly<Record<Name, unknown>>,
) => Promise<Row[]> {
  const compiled = new Map<
    SqlDialect['name'],
    { sql: string; slots: readonly (Name | { value: unknown })[] }
  >();
  return async (executor, dialect, values) => {
    let entry = compiled.get(dialect.name);
    if (entry === undefined) {
      const query = build(executor, (name) => `${SENTINEL}${name}`, dialect).compile();
      const slots = query.parameters.map((parameter) =>
        typeof parameter === 'string' && parameter.startsWith(SENTINEL)
          ? (parameter.slice(SENTINEL.length) as Name)
          : { value: parameter },
      );
      entry = { sql: query.sql, slots };
      compiled.set(dialect.name, entry);
    }
    const parameters = entry.slots.map((slot) => (typeof slot === 'string' ? values[slot] : slot.value));
    const result = await executor.executeQuery<Row>(CompiledQuery.raw(entry.sql, parameters));
    return result.rows;
  };
}
