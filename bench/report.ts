import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load.ts';
import type { ProcessMemory } from './process-stats.ts';
import type { SeedResult } from './seed-directory.ts';

/** The goals for what is not a throughput ratio. */
export const RSS_GOAL_BYTES = 400 * 1024 * 1024;
export const SEEDING_GOAL_SECONDS = 60;

export interface ScenarioReport extends LoadResult {
  /** Throughput as a ratio to the bare server's (the mean of its two runs). */
  readonly ratio: number;
  /** Server CPU time per request as a multiple of the bare server's. */
  readonly cpuCostRatio: number;
  readonly goal: number | undefined;
  /** Undefined when there is no goal; false too when the scenario had errors. */
  readonly met: boolean | undefined;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly environment: Readonly<Record<string, unknown>>;
  /** The seeding figures, without the bearer token (the report is a file that outlives the run). */
  readonly seeding: Omit<SeedResult, 'token'> & { readonly goalSeconds: number; readonly met: boolean };
  /** The bare server's throughput the ratios divide by: the mean of its runs at the start and the end. */
  readonly baselineRequestsPerSecond: number;
  readonly baselineCpuMicrosPerRequest: number;
  readonly scenarios: readonly ScenarioReport[];
  /** The bare server again after the others: how much the machine drifted during the run. */
  readonly bareAgain: LoadResult;
  readonly memory: ProcessMemory & {
    readonly idle: ProcessMemory;
    readonly goalBytes: number;
    readonly met: boolean;
  };
}

export interface ReportInput {
  readonly startedAt: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly environment: Readonly<Record<string, unknown>>;
  readonly seed: SeedResult;
  /** Results in scenario order, the bare server's first. */
  readonly results: readonly { readonly result: LoadResult; readonly goal: number | undefined }[];
  readonly bareAgain: LoadResult;
  readonly idleMemory: ProcessMemory;
  readonly memory: ProcessMemory;
}

export function buildReport(input: ReportInput): BenchReport {
  const bare = input.results[0]?.result;
  if (bare === undefined) throw new Error('No bare server result');
  const baselineRequestsPerSecond = (bare.requestsPerSecond + input.bareAgain.requestsPerSecond) / 2;
  const baselineCpuMicrosPerRequest =
    (bare.serverCpuMicrosPerRequest + input.bareAgain.serverCpuMicrosPerRequest) / 2;
  const { token: _token, ...seed } = input.seed;
  return {
    startedAt: input.startedAt,
    settings: input.settings,
    environment: input.environment,
    seeding: {
      ...seed,
      goalSeconds: SEEDING_GOAL_SECONDS,
      met: input.seed.seconds <= SEEDING_GOAL_SECONDS,
    },
    baselineRequestsPerSecond,
    baselineCpuMicrosPerRequest,
    scenarios: input.results.map(({ result, goal }) => {
      const ratio = result.requestsPerSecond / baselineRequestsPerSecond;
      const clean = result.errors === 0 && result.unexpectedStatus === 0;
      return {
        ...result,
        ratio,
        cpuCostRatio: result.serverCpuMicrosPerRequest / baselineCpuMicrosPerRequest,
        goal,
        met: goal === undefined ? undefined : clean && ratio >= goal,
      };
    }),
    bareAgain: input.bareAgain,
    memory: {
      ...input.memory,
      idle: input.idleMemory,
      goalBytes: RSS_GOAL_BYTES,
      met: input.memory.peakRssBytes <= RSS_GOAL_BYTES,
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'yes' : 'NO');

/**
 * The table (scenario, req/s, p50 / p99 latency, ratio to bare, goal, met?) plus the CPU the
 * answering process spent per request, then RSS and seeding time against their goals.
 */
export function formatReport(report: BenchReport): string {
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'ratio',
    'goal',
    'met?',
    'CPU µs/req',
    'CPU ×',
    'server/gen cores',
    'errors',
  ];
  const rows = [header];
  for (const s of report.scenarios) {
    rows.push([
      s.scenario,
      s.requestsPerSecond.toFixed(0),
      String(s.latencyMs.p50),
      String(s.latencyMs.p99),
      `${s.ratio.toFixed(3)}×`,
      s.goal === undefined ? '—' : `≥ ${s.goal}×`,
      verdict(s.met),
      s.serverCpuMicrosPerRequest.toFixed(0),
      `${s.cpuCostRatio.toFixed(1)}×`,
      `${s.serverCores.toFixed(2)} / ${s.loadGeneratorCores.toFixed(2)}`,
      String(s.errors + s.unexpectedStatus),
    ]);
  }
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));

  const { memory, seeding, bareAgain } = report;
  const first = report.scenarios[0];
  const drift = first === undefined ? 0 : (bareAgain.requestsPerSecond / first.requestsPerSecond - 1) * 100;
  lines.push(
    '',
    `baseline: bare node:http ${report.baselineRequestsPerSecond.toFixed(0)} req/s, the mean of the first run and one ` +
      `at the end (${bareAgain.requestsPerSecond.toFixed(0)} req/s, ${drift >= 0 ? '+' : ''}${drift.toFixed(0)}% drift)`,
    `server RSS after load ${mb(memory.rssBytes)}, peak (VmHWM) ${mb(memory.peakRssBytes)}, idle before load ` +
      `${mb(memory.idle.rssBytes)}; goal peak ≤ ${mb(memory.goalBytes)}: ${verdict(memory.met)}`,
    `seeding ${seeding.users} users + ${seeding.groups} groups (${seeding.memberships} memberships): ` +
      `${seeding.seconds.toFixed(1)} s, ${seeding.cpuSeconds.toFixed(1)} s CPU (users ${seeding.userSeconds.toFixed(1)} s, ` +
      `${Math.round(seeding.users / seeding.userSeconds)} users/s); goal ≤ ${seeding.goalSeconds} s: ${verdict(seeding.met)}`,
  );
  for (const s of [...report.scenarios, { ...bareAgain, scenario: 'bare node:http (again)' }]) {
    if (s.errors + s.unexpectedStatus > 0) {
      lines.push(
        '',
        `!!! ${s.scenario}: ${s.unexpectedStatus} responses with an unexpected status and ${s.errors} connection ` +
          `errors or timeouts (statuses ${JSON.stringify(s.statusCounts)}). ITS FIGURES ARE NOT VALID.`,
      );
    }
  }
  return lines.join('\n');
}

/** Writes the report to `<dir>/scim-<timestamp>.json`; returns the file's path. */
export function writeReportJson(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `scim-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
