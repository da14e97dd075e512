import pg from 'pg';

/** Advisory lock key shared by every Lockstep process on a database ("Lkst"). */
const MIGRATION_LOCK_KEY = 0x4c6b7374;

/**
 * Runs `work` while holding a session advisory lock on its own connection, so that processes opening
 * the same database migrate one at a time. Kysely's migrator first introspects every schema, which fails
 * if another session drops a schema meanwhile; schema drops (tests) take the same lock.
 */
export async function withMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}
