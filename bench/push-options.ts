import { parseArgs } from 'node:util';
import { LOCKSTEP_PROFILE } from '../src/targets/profiles/lockstep-profile.ts';

/**
 * Requests the engine has in flight to a Lockstep target: its profile's default concurrency, the
 * limit of its jobs running at once (a page of a full push sends one request at a time). Both replays
 * use it: the raw one as connections, the same-requests one as pages in flight.
 */
export const ENGINE_CONCURRENCY = LOCKSTEP_PROFILE.defaultConcurrency;
export const ENGINE_PAGE_CONCURRENCY = LOCKSTEP_PROFILE.defaultConcurrency;

export interface PushOptions {
  readonly users: number;
  /** Connections of the raw per-user replay. */
  readonly concurrency: number;
  /** Pages in flight at once in the same-requests replay. */
  readonly pageConcurrency: number;
  /** Also replay the creates alone (no lookups) against a third, fresh target. */
  readonly createsOnly: boolean;
  readonly changesPerSecond: number;
  /** Seconds of the latency phase; 0 skips it. */
  readonly latencySeconds: number;
  readonly sampleEvery: number;
  readonly cpuProf: boolean;
  readonly keep: boolean;
  /** Only the raw replays (their figures at a size the push would take too long for). */
  readonly replayOnly: boolean;
  /**
   * Each target alone on CPU 1, its client (the hub, or this process as load generator) on CPU 0, so
   * push and replays give the target the same one CPU; unpinned, a replay's target also has the CPU
   * the hub needs during the push. On by default (decision 0016); `--no-pin` turns it off.
   */
  readonly pin: boolean;
  /**
   * Same-requests replay and push pairs, alternating which goes first; the ratio is the median of the
   * rounds' ratios (this machine's speed drifts by ±20 % between phases).
   */
  readonly rounds: number;
}

export const PUSH_USAGE = `Usage: node bench/push.ts [options]

  --users N            users to seed into the hub and push (default 100000)
  --concurrency C      connections of the raw per-user replay (default ${ENGINE_CONCURRENCY}, the engine's requests in flight to a Lockstep target)
  --page-concurrency P pages in flight in the same-requests replay (default ${ENGINE_PAGE_CONCURRENCY}, the same)
  --creates-only       also replay the creates alone (no matching lookups) against another fresh target
  --rate R             changes per second in the latency phase (default 100)
  --latency-seconds S  length of the latency phase; 0 skips it (default 30)
  --sample-every K     poll the target for every K-th change too (default 10)
  --cpu-prof           CPU profiles of the hub and the push target to .bench/profiles/, summarised at the end
  --keep               keep the temp data dirs
  --replay-only        only the raw replay(s), no push and no latency phase
  --rounds N           same-requests replay + push pairs, alternating which runs first; the ratio is their median (default 3)
  --no-pin             let every process use every CPU (default: every target alone on CPU 1; the hub, the load
                       generators and this process on CPU 0, with Linux's taskset, where the machine has two CPUs)
  --help               this text`;

export function parsePushOptions(args: readonly string[]): PushOptions | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: {
      users: { type: 'string', default: '100000' },
      concurrency: { type: 'string', default: String(ENGINE_CONCURRENCY) },
      'page-concurrency': { type: 'string', default: String(ENGINE_PAGE_CONCURRENCY) },
      'creates-only': { type: 'boolean', default: false },
      rate: { type: 'string', default: '100' },
      'latency-seconds': { type: 'string', default: '30' },
      'sample-every': { type: 'string', default: '10' },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'replay-only': { type: 'boolean', default: false },
      pin: { type: 'boolean', default: true },
      rounds: { type: 'string', default: '3' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowNegative: true,
  });
  if (values.help) return undefined;
  return Object.freeze({
    users: integer('users', values.users, 1),
    concurrency: integer('concurrency', values.concurrency, 1),
    pageConcurrency: integer('page-concurrency', values['page-concurrency'], 1),
    createsOnly: values['creates-only'],
    changesPerSecond: integer('rate', values.rate, 1),
    latencySeconds: integer('latency-seconds', values['latency-seconds'], 0),
    sampleEvery: integer('sample-every', values['sample-every'], 1),
    cpuProf: values['cpu-prof'],
    keep: values.keep,
    replayOnly: values['replay-only'],
    pin: values.pin,
    rounds: integer('rounds', values.rounds, 1),
  });
}

function integer(name: string, text: string, min: number): number {
  const value = Number(text.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return value;
}
