import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, type LogEvent, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseSchema } from './database-schema.ts';
import { withMigrationLock } from './dialects/postgres/migration-lock.ts';
import { createPostgresSignals } from './dialects/postgres/postgres-signals.ts';
import { createPostgresSqlDialect } from './dialects/postgres/postgres-sql-dialect.ts';
import { startBackgroundCheckpoints } from './dialects/sqlite/background-checkpoints.ts';
import { createNodeSqliteDatabase, openSqliteFile } from './dialects/sqlite/node-sqlite-database.ts';
import { SQLITE_SQL_DIALECT } from './dialects/sqlite/sqlite-sql-dialect.ts';
import { createMigrationProvider } from './migrations/migration-provider.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { createLocalSignals, type StorageSignals } from './storage-signals.ts';
import { createWriteBatcher } from './write-batcher.ts';

/** Settings both dialects take. */
interface CommonStorageConfig {
  /** Kysely's log hook: every executed statement (`query`) and failure (`error`), e.g. for tests that count SQL. */
  readonly log?: (event: LogEvent) => void;
}

export type StorageConfig = CommonStorageConfig &
  (
    | {
        readonly kind: 'sqlite';
        readonly path: string;
        /** Checkpoint the WAL from a worker thread instead of inside commits (long-running servers). */
        readonly backgroundCheckpoints?: boolean;
      }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        /** A schema of its own (created if missing), e.g. one per test file. */
        readonly schema?: string;
        readonly poolSize?: number;
      }
  );

/** The database, opened and migrated: the only door to SQL for the rest of the code. */
export interface Storage {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: SqlDialect;
  /**
   * Runs `work` in a transaction. On SQLite, concurrent writes share a commit (group commit, see
   * `write-batcher.ts`); on PostgreSQL each gets its own transaction from the pool.
   */
  write<T>(work: (trx: Kysely<DatabaseSchema>) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** Change signals shared by every process on this database. */
  readonly signals: StorageSignals;
  /** PostgreSQL only: the connection URL and schema, for libraries that connect on their own (the job queue). */
  readonly postgres?: { readonly url: string; readonly schema: string | undefined };
  close(): Promise<void>;
}

export interface WriteOptions {
  /**
   * SQLite: how long a write that finds no transaction running may wait for others to share its
   * commit (write-batcher.ts). For large writes no one waits on; ignored on PostgreSQL.
   */
  readonly lingerMs?: number;
}

export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/** Opens the configured database and applies pending migrations. */
export async function openStorage(config: StorageConfig): Promise<Storage> {
  if (config.kind === 'sqlite') {
    const storage = openSqlite(config);
    await migrate(storage);
    return storage;
  }
  const storage = await openPostgres(config);
  await withMigrationLock(config.url, () => migrate(storage));
  return storage;
}

function openSqlite(config: Extract<StorageConfig, { kind: 'sqlite' }>): Storage {
  const { path } = config;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = openSqliteFile({ path });
  const db = new Kysely<DatabaseSchema>({
    dialect: new SqliteDialect({ database: createNodeSqliteDatabase(database) }),
    ...(config.log !== undefined ? { log: config.log } : {}),
  });
  const batcher = createWriteBatcher(db);
  const checkpoints =
    config.backgroundCheckpoints === true && path !== ':memory:'
      ? startBackgroundCheckpoints(database, path)
      : undefined;
  return {
    db,
    dialect: SQLITE_SQL_DIALECT,
    write: batcher.write,
    signals: createLocalSignals(),
    close: async () => {
      await checkpoints?.stop();
      await db.destroy();
    },
  };
}

async function openPostgres(config: Extract<StorageConfig, { kind: 'postgres' }>): Promise<Storage> {
  const schema = config.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new StorageError(`Invalid PostgreSQL schema name "${schema}"`);
  }
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString: config.url });
    await connectOrExplain(client, config.url);
    try {
      await client.query(`create schema if not exists ${schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<DatabaseSchema>({
    dialect: new PostgresDialect({ pool }),
    ...(config.log !== undefined ? { log: config.log } : {}),
  });
  const icu = await sql<{
    found: number;
  }>`select count(*)::int as found from pg_collation where collname = 'und-x-icu'`
    .execute(db)
    .then((result) => (result.rows[0]?.found ?? 0) > 0)
    .catch(async (error: unknown) => {
      await db.destroy();
      throw new StorageError(`Cannot reach PostgreSQL at ${redactUrl(config.url)}: ${String(error)}`);
    });
  const signals = createPostgresSignals(config.url, schema ?? 'public', (statement) =>
    sql.raw(statement).execute(db),
  );
  return {
    db,
    dialect: createPostgresSqlDialect({ icu }),
    write: (work) => db.transaction().execute(work),
    signals,
    postgres: { url: config.url, schema },
    close: async () => {
      await signals.close();
      await db.destroy();
    },
  };
}

async function connectOrExplain(client: pg.Client, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    throw new StorageError(`Cannot reach PostgreSQL at ${redactUrl(url)}: ${String(error)}`);
  }
}

async function migrate(storage: Storage): Promise<void> {
  const migrator = new Migrator({
    db: storage.db,
    provider: createMigrationProvider({ dialect: storage.dialect.name }),
    // Kysely looks for its migration tables in every schema unless told which: another schema's
    // tables (another tenant database, a parallel test) would make it skip creating ours.
    ...(storage.dialect.name === 'postgres' ? { migrationTableSchema: await currentSchema(storage) } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    await storage.close();
    throw new StorageError(`Database migration ${failed} failed: ${String(error)}`);
  }
}

async function currentSchema(storage: Storage): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(storage.db);
  const name = rows[0]?.name;
  if (name === undefined) throw new StorageError('PostgreSQL has no current schema: check search_path');
  return name;
}

/** A connection URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}
