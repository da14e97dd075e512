import { randomBytes } from 'node:crypto';
import { type LogEvent, sql } from 'kysely';
import { withMigrationLock } from '../../src/storage/dialects/postgres/migration-lock.ts';
import { openStorage, type Storage } from '../../src/storage/open-storage.ts';
import { POSTGRES_UNAVAILABLE_ENV, postgresTestUrl, probePostgres } from './postgres-probe.ts';

let postgresProbe: Promise<string | undefined> | undefined;

export interface TestDialect {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty database of this dialect; `log` sees every statement it executes. */
  open(options?: { log?: (event: LogEvent) => void }): Promise<Storage>;
}

/**
 * The dialects the storage and SCIM suites run on: SQLite always; PostgreSQL when it answers at
 * LOCKSTEP_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). With
 * LOCKSTEP_REQUIRE_POSTGRES=1 (CI) an unreachable PostgreSQL is an error, not a skip.
 */
export async function testDialects(): Promise<{ dialects: TestDialect[]; skipped?: string }> {
  const url = postgresTestUrl();
  // The global setup probed once for the whole run; a file run alone probes for itself.
  postgresProbe ??= Promise.resolve(process.env[POSTGRES_UNAVAILABLE_ENV] ?? probePostgres(url));
  const unreachable = await postgresProbe;
  const sqlite: TestDialect = {
    name: 'sqlite',
    open: (options = {}) => openStorage({ kind: 'sqlite', path: ':memory:', ...options }),
  };
  if (unreachable !== undefined) {
    if (process.env.LOCKSTEP_REQUIRE_POSTGRES === '1')
      throw new Error(`${unreachable}; CI requires the PostgreSQL pass`);
    // Said once by the global setup when the whole suite runs; by this file when it runs alone.
    const saidOnce = process.env[POSTGRES_UNAVAILABLE_ENV] !== undefined;
    return { dialects: [sqlite], ...(saidOnce ? {} : { skipped: `skipping PostgreSQL: ${unreachable}` }) };
  }
  const postgres: TestDialect = {
    name: 'postgres',
    async open(options = {}) {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const storage = await openStorage({ kind: 'postgres', url, schema, poolSize: 4, ...options });
      return {
        ...storage,
        async close() {
          // Under the migration lock: another process's migrator introspects every schema meanwhile.
          await withMigrationLock(url, () =>
            // The job queue (pg-boss) keeps its tables in a schema of its own beside ours.
            sql`drop schema if exists ${sql.raw(schema)}, ${sql.raw(`${schema}_pgboss`)} cascade`.execute(
              storage.db,
            ),
          ).catch(() => {});
          await storage.close();
        },
      };
    },
  };
  return { dialects: [sqlite, postgres] };
}
