import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadResult } from './load.ts';
import { buildReport, formatReport, type ReportInput } from './report.ts';

const load = (scenario: string, requestsPerSecond: number, extra: Partial<LoadResult> = {}): LoadResult => ({
  scenario,
  requests: requestsPerSecond * 10,
  requestsPerSecond,
  latencyMs: { average: 1, p50: 1, p99: 3, max: 9 },
  statusCounts: { '200': requestsPerSecond * 10 },
  unexpectedStatus: 0,
  errors: 0,
  serverCpuMicrosPerRequest: 1e6 / requestsPerSecond,
  serverCores: 1,
  loadGeneratorCores: 0.5,
  ...extra,
});

const input = (results: ReportInput['results']): ReportInput => ({
  startedAt: '2026-01-01T00:00:00.000Z',
  settings: {},
  environment: {},
  seed: {
    tenantId: 'bench',
    token: 'lst_x',
    users: 1000,
    groups: 10,
    memberships: 100,
    seconds: 61,
    cpuSeconds: 50,
    userSeconds: 60,
    groupSeconds: 1,
  },
  results,
  bareAgain: load('bare again', 30_000),
  idleMemory: { rssBytes: 100e6, peakRssBytes: 100e6 },
  memory: { rssBytes: 200e6, peakRssBytes: 450 * 1024 * 1024 },
});

describe('buildReport', () => {
  it('divides by the mean of the two bare runs and checks each goal', () => {
    const report = buildReport(
      input([
        { result: load('bare', 10_000), goal: undefined },
        { result: load('filter', 10_000), goal: 0.5 },
        { result: load('post', 3_000), goal: 0.2 },
      ]),
    );
    assert.equal(report.baselineRequestsPerSecond, 20_000);
    assert.deepEqual(
      report.scenarios.map((s) => [s.ratio, s.met]),
      [
        [0.5, undefined],
        [0.5, true],
        [0.15, false],
      ],
    );
    assert.equal(report.memory.met, false);
    assert.equal(report.seeding.met, false);
    assert.equal('token' in report.seeding, false);
  });

  it('fails a goal and says so loudly when the scenario had errors', () => {
    const report = buildReport(
      input([
        { result: load('bare', 10_000), goal: undefined },
        {
          result: load('filter', 30_000, { unexpectedStatus: 3, statusCounts: { '200': 9, '401': 3 } }),
          goal: 0.5,
        },
      ]),
    );
    assert.equal(report.scenarios[1]?.met, false);
    const text = formatReport(report);
    assert.match(text, /!!! filter: 3 responses with an unexpected status .* NOT VALID/);
    assert.match(text, /goal peak ≤ 400 MB: NO/);
    assert.match(text, /goal ≤ 60 s: NO/);
  });
});
