/**
 * Runs once before all test files (`node --test --test-global-setup`): probes PostgreSQL so that a
 * machine without it prints one line saying why its suites are skipped, and CI (which requires it)
 * fails at once. Test files read the verdict from the environment they inherit.
 */
import { POSTGRES_UNAVAILABLE_ENV, postgresTestUrl, probePostgres } from './postgres-probe.ts';

export async function globalSetup(): Promise<void> {
  const url = postgresTestUrl();
  const unreachable = await probePostgres(url);
  if (unreachable === undefined) return;
  if (process.env.LOCKSTEP_REQUIRE_POSTGRES === '1') {
    throw new Error(`${unreachable}; CI requires the PostgreSQL pass`);
  }
  process.env[POSTGRES_UNAVAILABLE_ENV] = unreachable;
  console.log(`# skipping the PostgreSQL pass of the storage and SCIM suites: ${unreachable}`);
}
