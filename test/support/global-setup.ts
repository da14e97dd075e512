/**
 * Runs once around all test files (`node --test --test-global-setup`):
 * - probes PostgreSQL so that a machine without it prints one line saying why its suites are
 *   skipped, and CI (which requires it) fails at once. Test files read the verdict from the
 *   environment they inherit;
 * - gives every test process one directory to capture log lines and seen secrets in, and at the end
 *   fails the run if any secret appeared in any log line (issue 3: secrets never in logs).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE_DIR_ENV, leakedSecrets } from './log-capture.ts';
import { POSTGRES_UNAVAILABLE_ENV, postgresTestUrl, probePostgres } from './postgres-probe.ts';

let captureDir: string | undefined;

export async function globalSetup(): Promise<void> {
  captureDir = mkdtempSync(join(tmpdir(), 'lockstep-test-capture-'));
  process.env[CAPTURE_DIR_ENV] = captureDir;
  const url = postgresTestUrl();
  const unreachable = await probePostgres(url);
  if (unreachable === undefined) return;
  if (process.env.LOCKSTEP_REQUIRE_POSTGRES === '1') {
    throw new Error(`${unreachable}; CI requires the PostgreSQL pass`);
  }
  process.env[POSTGRES_UNAVAILABLE_ENV] = unreachable;
  console.log(`# skipping the PostgreSQL pass of the storage and SCIM suites: ${unreachable}`);
}

export async function globalTeardown(): Promise<void> {
  if (captureDir === undefined) return;
  const files = readdirSync(captureDir);
  const leaks = leakedSecrets(captureDir);
  rmSync(captureDir, { recursive: true, force: true });
  if (leaks.length > 0) {
    const named = leaks.map((leak) => `${leak.secret.slice(0, 8)}… in ${leak.file}`);
    const message = `Secrets appeared in log lines produced by the test suite: ${named.join(', ')}`;
    // The runner exits non-zero on a teardown error but does not print it: say it here.
    console.error(`# FAILED secrets-in-logs check: ${message}`);
    process.exitCode = 1;
    throw new Error(message);
  }
  const secretFiles = files.filter((name) => name.startsWith('secrets-')).length;
  const logFiles = files.filter((name) => name.startsWith('logs-')).length;
  console.log(
    `# secrets-in-logs check: no secret in the logs of ${logFiles} test processes (${secretFiles} processes saw secrets)`,
  );
}
