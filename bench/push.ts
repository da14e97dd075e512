import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { USER_PAGE_SIZE } from '../src/provisioning/engine/user-page-handler.ts';
import { CLIENT_CPU, pinningPossible, pinProcess, TARGET_CPU, unpinProcess } from './cpu-pinning.ts';
import { cpuSeconds, formatCpuPerItem, readProcessCpu, waitUntilIdle } from './process-stats.ts';
import {
  countScimWrites,
  countUsers,
  createTenantWithApp,
  digestUsers,
  expectStatus,
  requestAccessToken,
  sendJson,
  type UserSetDigest,
} from './push-http.ts';
import { measureChangeLatency } from './push-latency.ts';
import { PUSH_USAGE, type PushOptions, parsePushOptions } from './push-options.ts';
import { buildPageReplay, replayPages } from './push-page-replay.ts';
import { findProfileOf, formatProfile, summarizeProfile } from './push-profile.ts';
import { buildReplayRequests, type ReplayResult, replayPush } from './push-replay.ts';
import {
  ADMIN_TOKEN,
  type LockstepServer,
  newDataDir,
  PROFILE_DIR,
  removeDataDir,
  startLockstep,
} from './push-servers.ts';
import { BENCH_TENANT, seedDirectory } from './seed-directory.ts';

/**
 * `npm run bench:push` (issue 4): a full push of N users from a hub to a second Lockstep on this
 * machine, against two raw replays by a plain load generator, each to another fresh Lockstep in the
 * same run: the same requests the push sends (per page of users its OR-ed lookups and one
 * `POST /Bulk`, as many pages in flight as the engine has; the issue's ratio), and one matching lookup
 * and one create per user (what a client sending one user at a time costs the target). Then
 * change-to-target latency of single changes under a steady background of changes.
 */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, '.bench');
const PUSH_GOAL_SECONDS_PER_100K = 60;
const RATIO_GOAL = 1.25;
const LATENCY_P99_GOAL_MS = 1000;
const FINISHED = ['success', 'partial_success', 'failed', 'cancelled'];

const cleanups: (() => Promise<void> | void)[] = [];
/** The 1-minute load average when each phase started and ended: other processes on the two cores skew a phase. */
const phaseLoads: Record<string, { start: number; end: number }> = {};

async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = loadavg()[0] ?? 0;
  const result = await work();
  phaseLoads[name] = { start, end: loadavg()[0] ?? 0 };
  return result;
}
const log = (message: string) => console.log(message);

/** Every server this run started (stopped ones count as idle). */
const servers: LockstepServer[] = [];

/**
 * Before a measured phase: waits until this process and every server are idle, so that what the
 * previous phase left to do (a target's WAL checkpoint, its collector) does not run on the CPU the
 * next phase uses. Pinned, every target shares CPU 1.
 */
async function settle(): Promise<void> {
  const waited = await waitUntilIdle([process.pid, ...servers.map((server) => server.pid)]);
  if (waited > 1) log(`  (waited ${waited.toFixed(1)} s for the other processes to go idle)`);
}

async function startTarget(label: string, options: PushOptions, cpuProf = false): Promise<LockstepServer> {
  const dataDir = newDataDir(label);
  const server = await startLockstep(`lockstep ${label}`, dataDir, cpuProf);
  servers.push(server);
  cleanups.push(async () => {
    await server.stop();
    if (!options.keep) removeDataDir(dataDir);
  });
  if (options.pin) pinProcess(server.pid, TARGET_CPU);
  return server;
}

async function runReplay(
  label: string,
  options: PushOptions,
  requests: ReturnType<typeof buildReplayRequests>,
  createsOnly: boolean,
) {
  const target = await startTarget(label, options);
  const app = await createTenantWithApp(target.url, ADMIN_TOKEN, 'replay');
  const token = await requestAccessToken(target.url, app);
  await settle();
  const cpuBefore = readProcessCpu(target.pid);
  const result = await replayPush(requests, {
    baseUrl: `${target.url}/t/replay/scim/v2`,
    token,
    concurrency: options.concurrency,
    createsOnly,
  });
  const cpuAfter = readProcessCpu(target.pid);
  const targetCpu = cpuSeconds(cpuBefore, cpuAfter);
  const count = await countUsers(target.url, 'replay', token);
  log(
    `  ${label}: ${result.users} users in ${result.seconds.toFixed(1)} s = ${result.usersPerSecond.toFixed(0)} users/s; ` +
      `target CPU ${formatCpuPerItem(cpuBefore, cpuAfter, result.users)}; statuses ${JSON.stringify(result.statusCounts)}; ` +
      `target holds ${count}`,
  );
  if (count !== result.users || result.unexpected > 0)
    throw new Error(`${label}: the replay did not create every user`);
  // Read what the checks need, then stop it: an idle server still shares the CPU the next phase uses.
  const check = await checkTarget(target.url, 'replay', token);
  await target.stop();
  return { result, targetCpuSeconds: targetCpu, check };
}

/** The same requests as the push, page by page at the engine's pages in flight, to a fresh target. */
async function runPageReplay(options: PushOptions) {
  const pages = buildPageReplay(options.users);
  const target = await startTarget('same-requests replay target', options);
  const app = await createTenantWithApp(target.url, ADMIN_TOKEN, 'replay');
  const token = await requestAccessToken(target.url, app);
  await settle();
  const cpuBefore = readProcessCpu(target.pid);
  const result = await replayPages(pages, {
    baseUrl: `${target.url}/t/replay/scim/v2`,
    token,
    concurrency: options.pageConcurrency,
  });
  const cpuAfter = readProcessCpu(target.pid);
  const targetCpu = cpuSeconds(cpuBefore, cpuAfter);
  const count = await countUsers(target.url, 'replay', token);
  const { tally } = result;
  log(
    `  same-requests replay: ${result.users} users in ${result.seconds.toFixed(1)} s = ${result.usersPerSecond.toFixed(0)} users/s; ` +
      `${result.pages} pages, ${tally.lookups} lookups of ${tally.lookupTerms} terms, ${tally.bulks} Bulk requests of ` +
      `${tally.bulkOperations} creates; target CPU ${formatCpuPerItem(cpuBefore, cpuAfter, result.users)}; ` +
      `statuses ${JSON.stringify(result.statusCounts)}; target holds ${count}`,
  );
  if (count !== options.users || result.users !== options.users || result.unexpected > 0)
    throw new Error('same-requests replay: the replay did not create every user');
  const check = await checkTarget(target.url, 'replay', token);
  await target.stop();
  return { result, targetCpuSeconds: targetCpu, check };
}

async function runPush(options: PushOptions, hub: LockstepServer, target: LockstepServer) {
  const app = await createTenantWithApp(target.url, ADMIN_TOKEN, 'push');
  const admin = (method: string, path: string, body?: unknown) =>
    sendJson(`${hub.url}/api/tenants/${BENCH_TENANT}${path}`, method, { body, token: ADMIN_TOKEN });
  const created = expectStatus(
    await admin('POST', '/targets', {
      name: 'push target',
      profile: 'lockstep',
      connection: {
        baseUrl: `${target.url}/t/push/scim/v2`,
        authentication: {
          kind: 'oauth_client_credentials',
          tokenUrl: `${target.url}/t/push/oauth2/token`,
          clientId: app.clientId,
          clientSecret: app.clientSecret,
        },
      },
    }),
    201,
    'creating the target',
  );
  await settle();
  const hubCpuBefore = readProcessCpu(hub.pid);
  const targetCpuBefore = readProcessCpu(target.pid);
  const started = performance.now();
  const provisioning = expectStatus(
    await admin('POST', '/provisionings', { name: 'push', targetId: created.body.id }),
    201,
    'creating the provisioning',
  );
  const runs = expectStatus(
    await admin('GET', `/provisionings/${provisioning.body.id}/runs`),
    200,
    'listing runs',
  );
  const runId = runs.body.items?.[0]?.id as string | undefined;
  if (runId === undefined) throw new Error('Creating an enabled provisioning started no run');
  let run = runs.body.items[0];
  let lastReport = performance.now();
  while (!FINISHED.includes(run.status)) {
    // Once a second: each read counts the run's items on the hub (the time is the run's own).
    await sleep(1000);
    run = expectStatus(await admin('GET', `/runs/${runId}`), 200, 'reading the run').body;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const s = run.statistics;
      log(
        `  … ${((performance.now() - started) / 1000).toFixed(0)} s: planned ${s.planned}, pending ${s.pending}, ` +
          `created ${s.created.success}, failed ${s.created.failed}`,
      );
    }
  }
  const observedSeconds = (performance.now() - started) / 1000;
  const hubCpuAfter = readProcessCpu(hub.pid);
  const targetCpuAfter = readProcessCpu(target.pid);
  const hubCpu = cpuSeconds(hubCpuBefore, hubCpuAfter);
  const targetCpu = cpuSeconds(targetCpuBefore, targetCpuAfter);
  const seconds = (Date.parse(run.finishedAt) - Date.parse(run.createdAt)) / 1000;
  const token = await requestAccessToken(target.url, app);
  const count = await countUsers(target.url, 'push', token);
  log(
    `  full push: run ${run.status} in ${seconds.toFixed(1)} s (created → finished; ${observedSeconds.toFixed(1)} s as ` +
      `polled) = ${(options.users / seconds).toFixed(0)} users/s; hub CPU ${formatCpuPerItem(hubCpuBefore, hubCpuAfter, options.users)}, ` +
      `target CPU ${formatCpuPerItem(targetCpuBefore, targetCpuAfter, options.users)}; statistics ${JSON.stringify(run.statistics)}; ` +
      `target holds ${count}`,
  );
  if (count !== options.users) throw new Error(`The target holds ${count} users, not ${options.users}`);
  return {
    run,
    seconds,
    hubCpuSeconds: hubCpu,
    targetCpuSeconds: targetCpu,
    provisioningId: provisioning.body.id as string,
    token,
  };
}

/** What a target ended up with, read right after its phase (before it is stopped). */
interface TargetCheck {
  /** SCIM writes by `action status` from its audit log. */
  readonly writes: Record<string, number>;
  readonly digest: UserSetDigest;
  /** user1 without what each server assigns (id, meta). */
  readonly sample: string;
}

async function checkTarget(url: string, tenant: string, token: string): Promise<TargetCheck> {
  const filter = encodeURIComponent('userName eq "user1@example.com"');
  const answer = await sendJson(`${url}/t/${tenant}/scim/v2/Users?filter=${filter}`, 'GET', { token });
  const { id: _id, meta: _meta, ...rest } = answer.body.Resources[0];
  return {
    writes: await countScimWrites(url, ADMIN_TOKEN, tenant),
    digest: await digestUsers(url, tenant, token),
    sample: JSON.stringify(rest),
  };
}

/**
 * That every round's same-requests replay sent what its push sent, seen from the targets: the same
 * SCIM writes in their audit logs (one `POST /Bulk` per page, no single create), and the same final
 * users as the per-user replay too (every document, without the ids and `meta` each server assigns).
 */
function verifySameRequests(
  options: PushOptions,
  replay: TargetCheck,
  rounds: readonly { push: TargetCheck; pageReplay: TargetCheck; pages: number }[],
) {
  const short = (check: TargetCheck) => `${check.digest.count} (${check.digest.sha256.slice(0, 12)})`;
  log(
    `\nTargets' SCIM writes (audit log): ${rounds
      .map(
        (round, index) =>
          `round ${index + 1} push ${JSON.stringify(round.push.writes)}, same-requests replay ${JSON.stringify(round.pageReplay.writes)}`,
      )
      .join('; ')}; per-user replay ${JSON.stringify(replay.writes)}\nTargets' users: ${rounds
      .map(
        (round, index) =>
          `round ${index + 1} push ${short(round.push)}, same-requests replay ${short(round.pageReplay)}`,
      )
      .join('; ')}; per-user replay ${short(replay)}`,
  );
  if (JSON.stringify(replay.writes) !== JSON.stringify({ 'scim.user.create 201': options.users }))
    throw new Error(`The per-user replay did not send ${options.users} single creates`);
  for (const [index, round] of rounds.entries()) {
    const expectedWrites = JSON.stringify({ 'scim.bulk 200': round.pages });
    if (
      JSON.stringify(round.push.writes) !== expectedWrites ||
      JSON.stringify(round.pageReplay.writes) !== expectedWrites
    )
      throw new Error(
        `Round ${index + 1}: the push and the same-requests replay did not both send ${expectedWrites}`,
      );
    if (
      round.push.digest.count !== options.users ||
      round.pageReplay.digest.sha256 !== round.push.digest.sha256 ||
      replay.digest.sha256 !== round.push.digest.sha256
    )
      throw new Error(`Round ${index + 1}: the targets do not hold the same users`);
    for (const [name, check] of [
      ['same-requests replay', round.pageReplay],
      ['per-user replay', replay],
    ] as const)
      if (check.sample !== round.push.sample)
        throw new Error(
          `Round ${index + 1}: the ${name}'s user differs from the pushed one:\n${round.push.sample}\n${check.sample}`,
        );
  }
  return { replay, rounds };
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * A push from a fresh copy of the seeded hub to a fresh target; both are stopped after it unless
 * `keepRunning` (the last round's serve the latency phase).
 */
async function pushRound(options: PushOptions, seededHubDir: string, round: number, keepRunning: boolean) {
  const hubDir = newDataDir(`hub-${round}`);
  cpSync(seededHubDir, hubDir, { recursive: true });
  const target = await startTarget('push target', options, options.cpuProf);
  const hub = await startLockstep('hub', hubDir, options.cpuProf);
  servers.push(hub);
  cleanups.push(async () => {
    await hub.stop();
    if (options.keep) log(`Kept the hub's data of round ${round} in ${hubDir}`);
    else removeDataDir(hubDir);
  });
  if (options.pin) pinProcess(hub.pid, CLIENT_CPU);
  const push = await runPush(options, hub, target);
  const check = await checkTarget(target.url, 'push', push.token);
  if (!keepRunning) {
    await hub.stop();
    await target.stop();
  }
  return { ...push, hub, target, check };
}

async function run(options: PushOptions): Promise<number> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  const pinned = options.pin && pinningPossible();
  if (options.pin && !pinned)
    log('Not pinning: this needs Linux, taskset and at least two CPUs (the ratio is less fair)');
  options = { ...options, pin: pinned };
  // The load generators run in this process: pinned, they share CPU 0 with the hub, never a target's.
  if (options.pin) pinProcess(process.pid, CLIENT_CPU);
  const seededHubDir = newDataDir('hub-seeded');
  cleanups.push(() => removeDataDir(seededHubDir));
  log(`Seeding ${options.users} users into the hub (${seededHubDir}; each push starts from a copy)`);
  const seed = await seedDirectory(
    { kind: 'sqlite', path: join(seededHubDir, 'lockstep.db') },
    { users: options.users, groups: 0 },
  );
  log(`  ${seed.seconds.toFixed(1)} s`);

  let requests = buildReplayRequests(options.users);
  log(
    `\nRaw replay: per user the engine's matching lookup (GET /Users?filter=userName eq …) and create (POST /Users), ${options.concurrency} connections, fresh target`,
  );
  const replay = await phase('per-user replay', () => runReplay('replay target', options, requests, false));
  let createsOnly: ReplayResult | undefined;
  if (options.createsOnly)
    createsOnly = (await runReplay('creates-only replay target', options, requests, true)).result;
  requests = [];

  const rounds: {
    pageReplay: Awaited<ReturnType<typeof runPageReplay>>;
    push?: Awaited<ReturnType<typeof pushRound>>;
  }[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const last = round === options.rounds;
    // Alternating the order cancels a drift of the machine's speed over the rounds.
    const pushFirst = round % 2 === 0 && !options.replayOnly;
    log(
      `\nRound ${round} of ${options.rounds}${pushFirst ? ' (push first)' : ''}: same-requests replay — per page of ${USER_PAGE_SIZE} users (directory id order) the engine's OR-ed lookups (GET /Users?filter=… or …, 100 terms each) and POST /Bulk, ${options.pageConcurrency} pages in flight, fresh target — and full push: hub → fresh target (lockstep profile, OAuth client credentials)`,
    );
    const doReplay = () => phase(`same-requests replay ${round}`, () => runPageReplay(options));
    const doPush = () => phase(`push ${round}`, () => pushRound(options, seededHubDir, round, last));
    let pageReplay: Awaited<ReturnType<typeof runPageReplay>>;
    let push: Awaited<ReturnType<typeof pushRound>> | undefined;
    if (pushFirst) {
      push = await doPush();
      pageReplay = await doReplay();
    } else {
      pageReplay = await doReplay();
      if (!options.replayOnly) push = await doPush();
    }
    rounds.push({ pageReplay, ...(push !== undefined ? { push } : {}) });
    if (push !== undefined)
      log(
        `  round ${round}: push ÷ same-requests replay ${(push.seconds / pageReplay.result.seconds).toFixed(2)}×`,
      );
  }
  if (options.replayOnly) return 0;
  const final = rounds[rounds.length - 1];
  const pageReplay = final?.pageReplay;
  const push = final?.push;
  if (pageReplay === undefined || push === undefined) throw new Error('No round ran');
  const { hub, target } = push;
  const verification = verifySameRequests(
    options,
    replay.check,
    rounds.flatMap((entry) =>
      entry.push === undefined
        ? []
        : [
            {
              push: entry.push.check,
              pageReplay: entry.pageReplay.check,
              pages: entry.pageReplay.result.pages,
            },
          ],
    ),
  );

  let latency: Awaited<ReturnType<typeof measureChangeLatency>> | undefined;
  if (options.latencySeconds > 0) {
    // Pinning is for the throughput ratio: latency is measured as deployed, every process on every CPU
    // (pinned, the hub, its checkpoint and the load generator would share one CPU).
    if (options.pin) for (const pid of [process.pid, hub.pid, target.pid]) unpinProcess(pid);
    log(
      `\nLatency: ${options.changesPerSecond} changes/s (PATCH displayName of distinct random users) for ${options.latencySeconds} s`,
    );
    latency = await phase('latency', () =>
      measureChangeLatency({
        hubUrl: hub.url,
        hubTenant: BENCH_TENANT,
        hubToken: seed.token,
        adminToken: ADMIN_TOKEN,
        provisioningId: push.provisioningId,
        targetUrl: target.url,
        targetTenant: 'push',
        targetToken: push.token,
        users: options.users,
        changesPerSecond: options.changesPerSecond,
        seconds: options.latencySeconds,
        sampleEvery: options.sampleEvery,
      }),
    );
  }

  const pairs = rounds.flatMap(({ pageReplay: replayed, push: pushed }) =>
    pushed === undefined ? [] : [{ push: pushed.seconds, replay: replayed.result.seconds }],
  );
  const ratio = push.seconds / replay.result.seconds;
  const sameRequestsRatio = median(pairs.map((pair) => pair.push / pair.replay));
  const goalSeconds = (PUSH_GOAL_SECONDS_PER_100K * options.users) / 100_000;
  const verdict = (met: boolean) => (met ? 'yes' : 'NO');
  const lines = [
    '',
    `last round:`,
    `full push      ${options.users} users  ${push.seconds.toFixed(1)} s  ${(options.users / push.seconds).toFixed(0)} users/s`,
    `same requests  ${options.users} users  ${pageReplay.result.seconds.toFixed(1)} s  ${pageReplay.result.usersPerSecond.toFixed(0)} users/s (per ${USER_PAGE_SIZE} users the OR-ed lookups + one Bulk, ${options.pageConcurrency} pages in flight)`,
    `raw replay     ${options.users} users  ${replay.result.seconds.toFixed(1)} s  ${replay.result.usersPerSecond.toFixed(0)} users/s (lookup + create per user, ${options.concurrency} connections)`,
    ...(createsOnly === undefined
      ? []
      : [
          `creates only   ${options.users} users  ${createsOnly.seconds.toFixed(1)} s  ${createsOnly.usersPerSecond.toFixed(0)} users/s (push ÷ it: ${(push.seconds / createsOnly.seconds).toFixed(2)}×)`,
        ]),
    `rounds (push s ÷ same-requests replay s): ${pairs.map((pair) => `${pair.push.toFixed(1)} ÷ ${pair.replay.toFixed(1)} = ${(pair.push / pair.replay).toFixed(2)}×`).join('; ')}`,
    `ratio push ÷ same-requests replay ${sameRequestsRatio.toFixed(2)}× (median of ${pairs.length} round${pairs.length === 1 ? '' : 's'}); goal ≤ ${RATIO_GOAL}×: ${verdict(sameRequestsRatio <= RATIO_GOAL)}`,
    `ratio push ÷ per-user replay ${ratio.toFixed(2)}× (last round's push; a client sending one user at a time)`,
    `push time ${push.seconds.toFixed(1)} s; goal ≤ ${goalSeconds.toFixed(0)} s for ${options.users} users (60 s per 100,000): ${verdict(push.seconds <= goalSeconds)}` +
      (options.users === 100_000
        ? ''
        : `; at this rate 100,000 users take ~${((100_000 * push.seconds) / options.users).toFixed(0)} s (EXTRAPOLATED)`),
  ];
  if (latency !== undefined) {
    const ms = (p: { p50: number; p99: number; max: number; count: number }) =>
      `p50 ${p.p50.toFixed(0)} ms, p99 ${p.p99.toFixed(0)} ms, max ${p.max.toFixed(0)} ms (${p.count})`;
    lines.push(
      `latency (hub 2xx → engine's update log entry, after the target's 2xx): ${ms(latency.logMs)}; goal p99 ≤ ${LATENCY_P99_GOAL_MS} ms: ${verdict(latency.logMs.p99 <= LATENCY_P99_GOAL_MS && latency.missing === 0)}`,
      `latency (hub 2xx → seen by polling the target every 20 ms, sampled): ${ms(latency.pollMs)}`,
      `  ${latency.changes} changes sent at ${latency.sentPerSecond.toFixed(0)}/s; hub PATCH ${ms(latency.hubWriteMs)}; failed writes ${latency.failedWrites}; missing ${latency.missing}`,
    );
  }
  lines.push(
    options.pin
      ? `CPUs: every target alone on CPU ${TARGET_CPU}; the hub and the load generators on CPU ${CLIENT_CPU} (--pin)`
      : "CPUs: shared by all processes (a replay's target may also use the CPU the hub needs during the push; --pin separates them)",
    `machine: ${cpus().length} × ${cpus()[0]?.model}; load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `1-minute load average at the start → end of each phase: ${Object.entries(phaseLoads)
      .map(([name, load]) => `${name} ${load.start.toFixed(2)} → ${load.end.toFixed(2)}`)
      .join(', ')}`,
  );
  log(lines.join('\n'));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `push-${startedAt.replace(/[:.]/g, '-')}.json`);
  const { token: _token, ...seedFigures } = seed;
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, options, node: process.version, cpus: cpus().length, loadAtStart, loadAtEnd: loadavg(), phaseLoads, seed: seedFigures, replay: { ...replay.result, targetCpuSeconds: replay.targetCpuSeconds }, pageReplay: { ...pageReplay.result, concurrency: options.pageConcurrency, targetCpuSeconds: pageReplay.targetCpuSeconds }, createsOnly, push: { seconds: push.seconds, run: push.run, hubCpuSeconds: push.hubCpuSeconds, targetCpuSeconds: push.targetCpuSeconds }, rounds: pairs, ratio, sameRequestsRatio, verification, latency }, null, 2)}\n`,
  );
  log(`Results written to ${file}`);
  if (options.cpuProf) {
    await hub.stop();
    await target.stop();
    for (const [title, server] of [
      ['hub', hub],
      ['push target', target],
    ] as const) {
      const profile = findProfileOf(PROFILE_DIR, server.pid);
      if (profile !== undefined)
        log(`\n${formatProfile(`CPU profile of the ${title}`, summarizeProfile(profile, REPO_ROOT))}`);
    }
  }
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

let options: PushOptions | undefined;
try {
  options = parsePushOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${PUSH_USAGE}`);
  process.exit(2);
}
if (options === undefined) console.log(PUSH_USAGE);
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
