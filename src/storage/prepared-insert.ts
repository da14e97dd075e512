import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.ts';

const SENTINEL = '\u0000row:';

/**
 * A multi-row insert built and compiled once per dialect and row count, then run with new rows: a
 * page of a full push writes 100 links or log rows per statement, and Kysely's builder and compiler
 * (a value node per cell) cost about as much as SQLite's insert itself. `build` receives `rows`,
 * whose cells are placeholders to pass to `.values()` unchanged; every row must have every column.
 * The statement is the one Kysely would build for the same rows, only its text is reused.
 */
export function preparedInsert<Column extends string>(
  columns: readonly Column[],
  build: (
    db: Kysely<DatabaseSchema>,
    rows: readonly Readonly<Record<Column, string>>[],
  ) => Compilable<unknown>,
): (db: Kysely<DatabaseSchema>, rows: readonly Readonly<Record<Column, unknown>>[]) => Promise<void> {
  /** By the dialect's adapter class, then by row count. */
  const compiled = new Map<unknown, Map<number, { sql: string; slots: readonly Slot<Column>[] }>>();
  return async (db, rows) => {
    if (rows.length === 0) return;
    const dialect = db.getExecutor().adapter.constructor;
    let byCount = compiled.get(dialect);
    if (byCount === undefined) {
      byCount = new Map();
      compiled.set(dialect, byCount);
    }
    let entry = byCount.get(rows.length);
    if (entry === undefined) {
      const placeholders = rows.map((_, index) =>
        Object.fromEntries(columns.map((column) => [column, `${SENTINEL}${index}:${column}`])),
      ) as Record<Column, string>[];
      const query = build(db, placeholders).compile();
      const slots = query.parameters.map((parameter): Slot<Column> => {
        if (typeof parameter !== 'string' || !parameter.startsWith(SENTINEL)) return { value: parameter };
        const [index, column] = parameter.slice(SENTINEL.length).split(':') as [string, Column];
        return { row: Number(index), column };
      });
      entry = { sql: query.sql, slots };
      byCount.set(rows.length, entry);
    }
    const parameters = entry.slots.map((slot) =>
      'value' in slot ? slot.value : (rows[slot.row] as Record<Column, unknown>)[slot.column],
    );
    await db.executeQuery(CompiledQuery.raw(entry.sql, parameters));
  };
}

type Slot<Column extends string> =
  | { readonly value: unknown }
  | { readonly row: number; readonly column: Column };
