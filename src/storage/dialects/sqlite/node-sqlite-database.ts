import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const STATEMENT_CACHE_SIZE = 512;

/**
 * Kysely's SQLite driver speaks to a better-sqlite3-shaped object; this adapts Node's built-in
 * `node:sqlite` to it. Statements are cached by SQL text: preparing is a measurable share of a
 * simple indexed lookup, and the SCIM hot paths reuse a handful of statement shapes.
 */
export function createNodeSqliteDatabase(database: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      // Keeps the planner's statistics current (https://sqlite.org/lang_analyze.html#pragopt).
      database.exec('PRAGMA optimize');
      database.close();
    },
    prepare: (sqlText) => {
      const cached = cache.get(sqlText);
      if (cached !== undefined) return cached;
      const statement = wrapStatement(database.prepare(sqlText));
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(sqlText, statement);
      return statement;
    },
  };
}

function wrapStatement(statement: StatementSync): SqliteStatement {
  const reader = statement.columns().length > 0;
  return {
    reader,
    all: (parameters) => statement.all(...toSqliteValues(parameters)),
    run: (parameters) => statement.run(...toSqliteValues(parameters)),
    iterate: (parameters) => statement.iterate(...toSqliteValues(parameters)),
  };
}

function toSqliteValues(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map((value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    if (value === undefined) return null;
    return value as SQLInputValue;
  });
}

export interface SqliteFileOptions {
  /** A file path, or `:memory:`. */
  readonly path: string;
}

/** Opens the database with the pragmas this project relies on, and the JS case-folding function. */
export function openSqliteFile(options: SqliteFileOptions): DatabaseSync {
  const database = new DatabaseSync(options.path);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA synchronous = NORMAL');
  database.exec('PRAGMA foreign_keys = ON');
  database.exec('PRAGMA busy_timeout = 5000');
  database.exec('PRAGMA cache_size = -32000');
  // Statement journals (a multi-row upsert inside a transaction needs one) spill to a new file in
  // /var/tmp past 64 KiB, one per statement: a page's link upsert wrote as many pages there as to
  // the WAL. In memory they cost nothing the kernel has to zero and copy.
  // https://sqlite.org/tempfiles.html#statement_journals
  database.exec('PRAGMA temp_store = MEMORY');
  // After a checkpoint, a WAL that grew during a large import is cut back to this size.
  database.exec('PRAGMA journal_size_limit = 67108864');
  database.exec('PRAGMA optimize = 0x10002');
  database.function('scim_fold', { deterministic: true }, (text) =>
    typeof text === 'string' ? text.toLowerCase() : text,
  );
  return database;
}
