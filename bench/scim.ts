import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, parseBenchOptions, USAGE } from './bench-options.ts';
import { type BenchTarget, createBenchTarget } from './bench-target.ts';
import { findFreePort, type ServerProcess, startServerProcess } from './child-process.ts';
import { type LoadResult, type LoadSettings, runLoad, stopLoad } from './load.ts';
import { readProcessMemory } from './process-stats.ts';
import { buildReport, formatReport, writeReportJson } from './report.ts';
import { createScenarios, type Scenario } from './scenarios.ts';
import { seedDirectory } from './seed-directory.ts';
import { verifySample } from './verify-sample.ts';

/**
 * `npm run bench:scim`: seeds a directory straight into the store, starts the real server and a bare
 * `node:http` baseline as child processes, loads both with the same autocannon settings and prints
 * every throughput as a ratio to the baseline (the machine is shared and noisy; ratios travel better
 * than absolute figures), with the server's RSS and the seeding time against the goals.
 */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO_ROOT, 'src', 'cli', 'main.ts');
const BARE_SERVER = join(REPO_ROOT, 'bench', 'bare-server.ts');
const RESULTS_DIR = join(REPO_ROOT, '.bench');
/** Inherited settings that would point the server elsewhere or change what is measured. */
const SERVER_ENV_OVERRIDDEN = /^(LOCKSTEP_.*|DATABASE_URL|PORT|HOST|LOG_LEVEL)$/;

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;

/** Runs every registered clean-up once, newest first (children before the data they use). */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`Clean-up failed: ${String(error)}`);
      }
    }
  })();
  return cleaning;
}

let interrupted = false;

async function interrupt(signal: string): Promise<void> {
  interrupted = true;
  console.error(`\n${signal}: stopping the load and cleaning up…`);
  stopLoad();
  await cleanUp();
  process.exit(130);
}

function serverEnv(target: BenchTarget, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!SERVER_ENV_OVERRIDDEN.test(name)) env[name] = value;
  return { ...env, ...target.serverEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
}

async function startServers(
  options: BenchOptions,
  target: BenchTarget,
  filter: Scenario,
  headers: Record<string, string>,
) {
  const profileArgs = options.cpuProf
    ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS_DIR, 'profiles')}`]
    : [];
  const serverPort = await findFreePort();
  const server = await startServerProcess({
    name: 'lockstep serve',
    args: [...profileArgs, CLI, 'serve'],
    env: serverEnv(target, serverPort),
    port: serverPort,
    readyPath: '/healthz',
  });
  cleanups.push(() => server.stop());

  // The baseline answers with a real filter answer, so both send the same bytes.
  const request = filter.nextRequest();
  const answer = await fetch(`${server.url}${request.path}`, { headers });
  const bodyFile = join(target.tempDir, 'bare-body.json');
  writeFileSync(bodyFile, Buffer.from(await answer.arrayBuffer()));
  const barePort = await findFreePort();
  const bare = await startServerProcess({
    name: 'bare node:http',
    args: [BARE_SERVER, bodyFile],
    env: { ...process.env, PORT: String(barePort) },
    port: barePort,
    readyPath: '/',
  });
  cleanups.push(() => bare.stop());
  return { server, bare };
}

async function run(options: BenchOptions): Promise<number> {
  const startedAt = new Date().toISOString();
  const target = createBenchTarget({ postgres: options.postgres, databaseUrl: process.env.DATABASE_URL });
  cleanups.push(async () => {
    if (options.keep) console.log(`Kept the data: ${target.description} (temp dir ${target.tempDir})`);
    else await target.dispose();
  });

  console.log(
    `Seeding ${options.users} users (${options.transactionRows} per transaction) and ${options.groups} groups ` +
      `into ${target.description}`,
  );
  const seed = await seedDirectory(target.storage, options, (message) => console.log(`  ${message}`));

  const headers = {
    authorization: `Bearer ${seed.token}`,
    accept: 'application/scim+json',
    'content-type': 'application/scim+json',
  };
  const scenarios = createScenarios({ tenantId: seed.tenantId, users: seed.users });
  const [bareScenario, filterScenario] = scenarios;
  if (bareScenario === undefined || filterScenario === undefined) throw new Error('No scenarios');
  const { server, bare } = await startServers(options, target, filterScenario, headers);
  const processOf = (scenario: Scenario) => (scenario.target === 'bare' ? bare : server);

  for (const scenario of scenarios) await verifySample(processOf(scenario).url, scenario, headers);
  const idleMemory = readProcessMemory(server.pid);

  const settings: LoadSettings = {
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
    headers,
  };
  console.log(
    `\nLoad: ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s per scenario`,
  );
  const results = [];
  for (const scenario of scenarios) {
    results.push({ result: await measure(processOf(scenario), scenario, settings), goal: scenario.goal });
  }
  const bareAgain = await measure(bare, { ...bareScenario, name: 'bare node:http (again)' }, settings);
  const memory = readProcessMemory(server.pid);

  const report = buildReport({
    startedAt,
    settings: { ...options },
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadAverageAtEnd: loadavg(),
      storage: target.kind,
    },
    seed,
    results,
    bareAgain,
    idleMemory,
    memory,
  });
  console.log(`\n${formatReport(report)}`);
  console.log(`\nResults written to ${writeReportJson(RESULTS_DIR, report)}`);
  return [...report.scenarios, bareAgain].some((s) => s.errors + s.unexpectedStatus > 0) ? 1 : 0;
}

async function measure(
  target: ServerProcess,
  scenario: Scenario,
  settings: LoadSettings,
): Promise<LoadResult> {
  const result = await runLoad(target.url, target.pid, scenario, settings);
  const problems = result.errors + result.unexpectedStatus;
  console.log(
    `  ${scenario.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, ` +
      `p99 ${result.latencyMs.p99} ms, ${result.serverCpuMicrosPerRequest.toFixed(0)} µs CPU/req` +
      (problems > 0 ? `  !!! ${problems} ERRORS ${JSON.stringify(result.statusCounts)}` : ''),
  );
  return result;
}

let options: BenchOptions | undefined;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (options === undefined) {
  console.log(USAGE);
} else {
  process.once('SIGINT', () => void interrupt('SIGINT'));
  process.once('SIGTERM', () => void interrupt('SIGTERM'));
  try {
    process.exitCode = await run(options);
  } catch (error) {
    if (!interrupted)
      console.error(
        `\nBenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
