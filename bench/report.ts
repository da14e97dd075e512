import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessMemory } from './child-process.ts';
import type { LoadResult } from './load.ts';
import type { SeedResult } from './seed-directory.ts';

/** The goals for what is not a throughput ratio. */
export const RSS_GOAL_BYTES = 400 * 1024 * 1024;
export const SEEDING_GOAL_SECONDS = 60;

export interface ScenarioReport extends LoadResult {
  /** Throughput as a ratio to the bare server's. */
  readonly ratio: number;
  readonly goal: number | undefined;
  /** Undefined when there is no goal; false too when the scenario had errors. */
  readonly met: boolean | undefined;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly settings: Record<string, unknown>;
  readonly environment: Record<string, unknown>;
  readonly seeding: SeedResult & { readonly met: boolean; readonly goalSeconds: number };
  readonly scenarios: readonly ScenarioReport[];
  /** A second bare run after the others: how much the machine drifted during the run. */
  readonly bareAgain: LoadResult | undefined;
  readonly memory: ProcessMemory & {
    readonly before: ProcessMemory;
    readonly goalBytes: number;
    readonly met: boolean;
  };
}

export function buildScenarioReport(
  result: LoadResult,
  bare: LoadResult,
  goal: number | undefined,
): ScenarioReport {
  const ratio = result.requestsPerSecond / bare.requestsPerSecond;
  const clean = result.errors === 0 && result.unexpectedStatus === 0;
  return { ...result, ratio, goal, met: goal === undefined ? undefined : clean && ratio >= goal };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'yes' : 'NO');

/** The table of the issue: scenario, req/s, p50 / p99 latency, ratio to bare, goal, met; then RSS and seeding. */
export function formatReport(report: BenchReport): string {
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'goal', 'met?', 'non-expected']];
  for (const s of report.scenarios) {
    rows.push([
      s.scenario,
      s.requestsPerSecond.toFixed(0),
      String(s.latencyMs.p50),
      String(s.latencyMs.p99),
      `${s.ratio.toFixed(2)}×`,
      s.goal === undefined ? '—' : `≥ ${s.goal}×`,
      verdict(s.met),
      s.errors + s.unexpectedStatus === 0 ? '0' : `${s.unexpectedStatus} status, ${s.errors} errors`,
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));

  const { memory, seeding, bareAgain } = report;
  const bare = report.scenarios[0];
  if (bareAgain !== undefined && bare !== undefined) {
    const drift = (bareAgain.requestsPerSecond / bare.requestsPerSecond - 1) * 100;
    lines.push(
      '',
      `bare node:http again at the end: ${bareAgain.requestsPerSecond.toFixed(0)} req/s (${drift >= 0 ? '+' : ''}${drift.toFixed(0)}% drift)`,
    );
  }
  lines.push(
    '',
    `server RSS after load: ${mb(memory.rssBytes)}, peak (VmHWM): ${mb(memory.peakRssBytes)} ` +
      `(idle before load ${mb(memory.before.rssBytes)}); goal peak ≤ ${mb(memory.goalBytes)}: ${verdict(memory.met)}`,
    `seeding: ${seeding.users} users + ${seeding.groups} groups (${seeding.memberships} memberships) in ` +
      `${seeding.seconds.toFixed(1)} s (users ${seeding.userSeconds.toFixed(1)} s, ` +
      `${Math.round(seeding.users / seeding.userSeconds)} users/s); goal ≤ ${seeding.goalSeconds} s: ${verdict(seeding.met)}`,
  );
  for (const s of report.scenarios) {
    if (s.errors + s.unexpectedStatus > 0) {
      lines.push(
        '',
        `!!! ${s.scenario}: ${s.unexpectedStatus} responses with an unexpected status, ${s.errors} connection errors/timeouts ` +
          `(statuses: ${JSON.stringify(s.statusCounts)}). ITS FIGURES ARE NOT VALID.`,
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
