import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  DEPROVISION_USAGE,
  type DeprovisionOptions,
  formatFigures,
  goneFigures,
  parseDeprovisionOptions,
} from './deprovision-figures.ts';
import {
  HUB_TENANT,
  type HubSetup,
  type RamEmulatorServer,
  setUpHub,
  startRamEmulator,
} from './deprovision-servers.ts';
import { expectStatus, sendJson } from './push-http.ts';
import { newDataDir, removeDataDir, startLockstep } from './push-servers.ts';

/**
 * `npm run bench:deprovision` (issue 5): the seed scenario, measured. A hub Lockstep (its own
 * process) provisions to the Alibaba Cloud RAM emulator (its own process) over SCIM, with RAM's
 * OpenAPI as the native API. Each run creates a hub user, waits for its RAM user, gives it an MFA
 * device, two AccessKeys, two groups, two policies and a login profile through the emulator's
 * control API, deletes the hub user and times until the RAM user is gone (the emulator polled every
 * few ms). Runs without any special state, interleaved, are the baseline. Loopback only.
 */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, '.bench');
const GOAL_P99_MS = 2000;
const RUN_TIMEOUT_MS = 30_000;
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Every kind of special state RAM refuses a delete for: 2 AccessKeys, 2 policies, 2 groups, a login profile, an MFA device. */
const SEED_STATES = {
  accessKeys: 2,
  policies: ['AliyunOSSReadOnlyAccess', { policyName: 'lockstep-bench-custom', policyType: 'Custom' }],
  groups: ['lockstep-bench-a', 'lockstep-bench-b'],
  loginProfile: { passwordResetRequired: true },
  mfaDevice: true,
};

type RunKind = 'cleanup' | 'plain';

const cleanups: (() => Promise<void> | void)[] = [];
const log = (message: string) => console.log(message);

async function until<T>(what: string, poll: () => Promise<T | undefined>, intervalMs: number): Promise<T> {
  const deadline = performance.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const value = await poll();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** One run: a hub user provisioned to RAM (with every special state for `cleanup`), deleted; ms until RAM says 404. */
async function measureOne(
  kind: RunKind,
  n: number,
  hubUrl: string,
  ram: RamEmulatorServer,
  setup: HubSetup,
  options: DeprovisionOptions,
): Promise<number> {
  const scim = `${hubUrl}/t/${HUB_TENANT}/scim/v2`;
  const created = expectStatus(
    await sendJson(`${scim}/Users`, 'POST', {
      token: setup.scimToken,
      contentType: 'application/scim+json',
      body: { schemas: [USER_SCHEMA], userName: `${kind}${n}@example.com`, displayName: `${kind} ${n}` },
    }),
    201,
    'creating a hub user',
  );
  const userId = created.body.id as string;
  const accountId = await until(
    `the RAM user of ${userId}`,
    async () => {
      const links = await setup.admin('GET', `/provisionings/${setup.provisioningId}/links?object=${userId}`);
      const link = links.body.items?.[0];
      return link?.state === 'active' && typeof link.accountId === 'string'
        ? (link.accountId as string)
        : undefined;
    },
    10,
  );
  const ramUser = `${ram.url}/_emulator/users/${accountId}`;
  if (kind === 'cleanup')
    expectStatus(
      await sendJson(`${ramUser}/dependents`, 'POST', { body: SEED_STATES }),
      200,
      'seeding special states',
    );
  expectStatus(await sendJson(`${ramUser}`, 'GET'), 200, 'reading the RAM user');

  const started = performance.now();
  const deleted = await fetch(`${scim}/Users/${userId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${setup.scimToken}` },
  });
  await deleted.arrayBuffer();
  if (deleted.status !== 204) throw new Error(`Deleting the hub user answered ${deleted.status}`);
  await until(
    `RAM user ${accountId} gone`,
    async () => {
      const answer = await fetch(ramUser);
      await answer.arrayBuffer();
      return answer.status === 404 ? true : undefined;
    },
    options.pollMs,
  );
  return performance.now() - started;
}

/** What the hub recorded: backups, cleanup steps in the log, failed events (should be none). */
async function readRecord(setup: HubSetup) {
  let backups = 0;
  let before: string | null = null;
  do {
    const query: string = `provisioning=${setup.provisioningId}&limit=200${before === null ? '' : `&before=${encodeURIComponent(before)}`}`;
    const page = expectStatus(await setup.admin('GET', `/backups?${query}`), 200, 'listing backups');
    backups += page.body.items.length;
    before = page.body.next;
  } while (before !== null);
  const cleanupSteps = expectStatus(
    await setup.admin('GET', `/provisionings/${setup.provisioningId}/log?action=cleanup&limit=1000`),
    200,
    'reading the log',
  ).body.items.length as number;
  const failedEvents = expectStatus(
    await setup.admin('GET', `/provisionings/${setup.provisioningId}/events`),
    200,
    'reading failed events',
  ).body.items.length as number;
  return { backups, cleanupSteps, failedEvents };
}

async function run(options: DeprovisionOptions): Promise<number> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  const ram = await startRamEmulator();
  cleanups.push(() => ram.stop());
  const hubDir = newDataDir('deprovision-hub');
  cleanups.push(() => (options.keep ? log(`Kept the hub's data in ${hubDir}`) : removeDataDir(hubDir)));
  const hub = await startLockstep('hub', hubDir, false);
  cleanups.push(() => hub.stop());
  const setup = await setUpHub(hub, ram);
  log(
    `Hub ${hub.url} → RAM emulator ${ram.url} (SCIM + OpenAPI on loopback); ${options.runs} runs of each kind, ` +
      `interleaved; the deletion guard is off for the provisioning (it would stop a hundred deletes in a row)`,
  );

  const times: Record<RunKind, number[]> = { cleanup: [], plain: [] };
  for (let n = 1; n <= options.runs; n++) {
    for (const kind of ['cleanup', 'plain'] as const)
      times[kind].push(await measureOne(kind, n, hub.url, ram, setup, options));
    if (n % 10 === 0 || n === options.runs)
      log(
        `  ${n}/${options.runs}: with cleanup ${times.cleanup.at(-1)?.toFixed(0)} ms, without ${times.plain.at(-1)?.toFixed(0)} ms`,
      );
  }
  const record = await readRecord(setup);

  const withCleanup = goneFigures(times.cleanup);
  const without = goneFigures(times.plain);
  const met = withCleanup.p99 <= GOAL_P99_MS;
  log(
    [
      '',
      `deletion in the hub → RAM user gone (emulator answers 404), polled every ${options.pollMs} ms:`,
      `  with cleanup (MFA device, 2 AccessKeys, 2 groups, 2 policies, login profile): ${formatFigures(withCleanup)}`,
      `  without special states (baseline):                                         ${formatFigures(without)}`,
      `  ratio with ÷ without: p50 ${(withCleanup.p50 / without.p50).toFixed(2)}×, p99 ${(withCleanup.p99 / without.p99).toFixed(2)}×`,
      `  goal p99 ≤ ${GOAL_P99_MS} ms with cleanup: ${met ? 'met' : 'NOT met'}`,
      `recorded by the hub: ${record.backups} backups, ${record.cleanupSteps} cleanup steps in the log ` +
        `(${9 * options.runs} expected: 2 AccessKeys, 2 policies, 2 groups, login profile, MFA unbind and device delete per run), ` +
        `${record.failedEvents} failed events`,
      `machine: ${cpus().length} × ${cpus()[0]?.model}; load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, ` +
        `at end ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    ].join('\n'),
  );

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `deprovision-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt,
        options,
        node: process.version,
        cpus: cpus().length,
        loadAtStart,
        loadAtEnd: loadavg(),
        goalP99Ms: GOAL_P99_MS,
        met,
        withCleanup,
        without,
        record,
        timesMs: times,
      },
      null,
      2,
    )}\n`,
  );
  log(`Results written to ${file}`);
  return 0;
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`Clean-up failed: ${String(error)}`);
    }
  }
}

let options: DeprovisionOptions | undefined;
try {
  options = parseDeprovisionOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${DEPROVISION_USAGE}`);
  process.exit(2);
}
if (options === undefined) console.log(DEPROVISION_USAGE);
else {
  const interrupt = async (signal: string) => {
    console.error(`\n${signal}: cleaning up…`);
    await cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', () => void interrupt('SIGINT'));
  process.once('SIGTERM', () => void interrupt('SIGTERM'));
  try {
    process.exitCode = await run(options);
  } catch (error) {
    console.error(
      `\nBenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
