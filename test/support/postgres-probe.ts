import pg from 'pg';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Set by the global setup when PostgreSQL does not answer: the reason, for the suites to skip it. */
export const POSTGRES_UNAVAILABLE_ENV = 'LOCKSTEP_TEST_POSTGRES_UNAVAILABLE';

export function postgresTestUrl(): string {
  return process.env.LOCKSTEP_TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
}

/** Undefined when PostgreSQL answers at `url`; otherwise why not. */
export async function probePostgres(url: string): Promise<string | undefined> {
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
