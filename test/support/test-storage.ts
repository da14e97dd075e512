import { randomBytes } from 'node:crypto';
import { type LogEvent, sql } from 'kysely';
import pg from 'pg';
import { openStorage, type Storage } from '../../src/storage/open-storage.ts';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDialect {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty database of this dialect; `log` sees every statement it executes. */
  open(options?: { log?: (event: LogEvent) => void }): Promise<Storage>;
}

let postgresProbe: Promise<string | undefined> | undefined;

/** Whether PostgreSQL answers; the reason it is skipped when it does not. */
async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${url} is not reachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The dialects the storage and SCIM suites run on: SQLite always; PostgreSQL when it answers at
 * LOCKSTEP_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). With
 * LOCKSTEP_REQUIRE_POSTGRES=1 (CI) an unreachable PostgreSQL is an error, not a skip.
 */
export async function testDialects(): Promise<{ dialects: TestDialect[]; skipped?: string }> {
  const url = process.env.LOCKSTEP_TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  postgresProbe ??= probePostgres(url);
  const unreachable = await postgresProbe;
  const sqlite: TestDialect = {
    name: 'sqlite',
    open: (options = {}) => openStorage({ kind: 'sqlite', path: ':memory:', ...options }),
  };
  if (unreachable !== undefined) {
    if (process.env.LOCKSTEP_REQUIRE_POSTGRES === '1')
      throw new Error(`${unreachable}; CI requires the PostgreSQL pass`);
    return { dialects: [sqlite], skipped: `skipping PostgreSQL: ${unreachable}` };
  }
  const postgres: TestDialect = {
    name: 'postgres',
    async open(options = {}) {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const storage = await openStorage({ kind: 'postgres', url, schema, poolSize: 4, ...options });
      return {
        ...storage,
        async close() {
          await sql`drop schema if exists ${sql.raw(schema)} cascade`.execute(storage.db).catch(() => {});
          await storage.close();
        },
      };
    },
  };
  return { dialects: [sqlite, postgres] };
}
