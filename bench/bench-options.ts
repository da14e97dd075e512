import { parseArgs } from 'node:util';
import { DEFAULT_TRANSACTION_ROWS } from './seed-directory.ts';

export interface BenchOptions {
  readonly users: number;
  readonly groups: number;
  /** Seconds per measured scenario. */
  readonly duration: number;
  /** Seconds of warm-up before each measured scenario. */
  readonly warmup: number;
  readonly connections: number;
  /** Users per seeding transaction. */
  readonly transactionRows: number;
  readonly postgres: boolean;
  /** Keep the temp dir (and the PostgreSQL schema) after the run. */
  readonly keep: boolean;
  /** Write a V8 CPU profile of the server to `.bench/profiles/`. */
  readonly cpuProf: boolean;
}

export const USAGE = `Usage: node bench/scim.ts [options]

  --users N         users to seed (default 1000000)
  --groups N        groups to seed, ~10 members each (default 10000)
  --duration S      seconds per measured scenario (default 10)
  --warmup S        seconds of warm-up before each scenario (default 3)
  --connections C   concurrent connections (default 32)
  --transaction-rows N  users per seeding transaction (default 50000)
  --postgres        PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, fresh schema)
                    instead of SQLite in a fresh temp dir
  --keep            keep the temp data
  --cpu-prof        write a CPU profile of the server to .bench/profiles/
  --help            this text`;

/** Parses the command line; throws an Error naming the bad option. Returns undefined for --help. */
export function parseBenchOptions(args: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: {
      users: { type: 'string', default: '1000000' },
      groups: { type: 'string', default: '10000' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      'transaction-rows': { type: 'string', default: String(DEFAULT_TRANSACTION_ROWS) },
      postgres: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  return Object.freeze({
    users: integer('users', values.users, 1),
    groups: integer('groups', values.groups, 0),
    duration: integer('duration', values.duration, 1),
    warmup: integer('warmup', values.warmup, 0),
    connections: integer('connections', values.connections, 1),
    transactionRows: integer('transaction-rows', values['transaction-rows'], 1),
    postgres: values.postgres,
    keep: values.keep,
    cpuProf: values['cpu-prof'],
  });
}

function integer(name: string, text: string, min: number): number {
  const value = Number(text.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return value;
}
