import { parseArgs } from 'node:util';

/** Deletion-to-gone times of one kind of run, ms. */
export interface GoneFigures {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Nearest-rank percentiles (the smallest value with at least p of the values at or below it): with
 * 50 runs, p99 is the largest value and p95 the 48th.
 */
export function goneFigures(values: readonly number[]): GoneFigures {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? Number.NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function formatFigures(figures: GoneFigures): string {
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return `p50 ${ms(figures.p50)}, p95 ${ms(figures.p95)}, p99 ${ms(figures.p99)}, max ${ms(figures.max)} (${figures.count} runs)`;
}

export interface DeprovisionOptions {
  /** Runs of each kind (with special states, without). */
  readonly runs: number;
  /** How often the emulator is asked whether the RAM user is gone. */
  readonly pollMs: number;
  readonly keep: boolean;
}

export const DEPROVISION_USAGE = `Usage: node bench/deprovision.ts [options]

  --runs N      deletions of each kind: with every special state, and without (default 50)
  --poll-ms M   how often the emulator is asked whether the RAM user is gone (default 5)
  --keep        keep the hub's temp data dir
  --help        this text`;

export function parseDeprovisionOptions(args: readonly string[]): DeprovisionOptions | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: {
      runs: { type: 'string', default: '50' },
      'poll-ms': { type: 'string', default: '5' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const whole = (name: string, raw: string, min: number) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return value;
  };
  return {
    runs: whole('runs', values.runs, 1),
    pollMs: whole('poll-ms', values['poll-ms'], 1),
    keep: values.keep,
  };
}
