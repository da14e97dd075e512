import autocannon, { type AutocannonInstance, type AutocannonRequestData } from 'autocannon';
import { readProcessCpuSeconds } from './process-stats.ts';
import type { Scenario } from './scenarios.ts';

export interface LoadSettings {
  readonly connections: number;
  /** Seconds of the measured run. */
  readonly duration: number;
  /** Seconds of the unmeasured run before it (JIT, caches, connection set-up). */
  readonly warmup: number;
  /** Headers of every request (authorization, media types). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly scenario: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Responses by HTTP status. */
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Responses whose status is not the scenario's expected one. */
  readonly unexpectedStatus: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** CPU time the answering process spent per request, in microseconds (robust to a busy machine). */
  readonly serverCpuMicrosPerRequest: number;
  /** CPU cores the answering process kept busy on average (1 = one core). */
  readonly serverCores: number;
  /** CPU cores the load generator (this process) kept busy: near 1 means it was the bottleneck. */
  readonly loadGeneratorCores: number;
}

let running: AutocannonInstance | undefined;
let stopped = false;

/** Stops the load run in progress, if any, and refuses to start another (Ctrl-C). */
export function stopLoad(): void {
  stopped = true;
  running?.stop();
}

/**
 * A warm-up, then a measured run of `scenario` against `url`, answered by process `pid`; the same
 * settings for every scenario.
 */
export async function runLoad(
  url: string,
  pid: number,
  scenario: Scenario,
  settings: LoadSettings,
): Promise<LoadResult> {
  if (settings.warmup > 0) await runAutocannon(url, scenario, settings, settings.warmup);
  const serverCpuBefore = readProcessCpuSeconds(pid);
  const ownCpuBefore = process.cpuUsage();
  const result = await runAutocannon(url, scenario, settings, settings.duration);
  const serverCpu = readProcessCpuSeconds(pid) - serverCpuBefore;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats))
    statusCounts[status] = Number(count);
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
  return {
    scenario: scenario.name,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    latencyMs: {
      average: result.latency.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    statusCounts,
    unexpectedStatus: answered - (statusCounts[String(scenario.expectedStatus)] ?? 0),
    errors: result.errors + result.timeouts,
    serverCpuMicrosPerRequest: (serverCpu * 1e6) / Math.max(1, result.requests.total),
    serverCores: serverCpu / result.duration,
    loadGeneratorCores: (ownCpu.user + ownCpu.system) / 1e6 / result.duration,
  };
}

async function runAutocannon(url: string, scenario: Scenario, settings: LoadSettings, duration: number) {
  if (stopped) throw new Error('The load was stopped');
  const instance = autocannon({
    url,
    connections: settings.connections,
    pipelining: 1,
    duration,
    timeout: 10,
    headers: { ...settings.headers },
    requests: [
      {
        setupRequest: (request: AutocannonRequestData) => {
          const next = scenario.nextRequest();
          request.method = next.method;
          request.path = next.path;
          if (next.body !== undefined) request.body = next.body;
          return request;
        },
      },
    ],
  });
  running = instance;
  try {
    return await instance;
  } finally {
    running = undefined;
  }
}
