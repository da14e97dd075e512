import type { JobOutcome } from './job-queue.ts';

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 5 * 60_000;

/** Exponential backoff with full jitter: uniform in [0, min(cap, base · 2^(attempt-1))). */
export function computeBackoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export type NextRun =
  | { readonly state: 'done' }
  | { readonly state: 'queued'; readonly runAt: Date; readonly error: string }
  | { readonly state: 'failed'; readonly error: string };

/** What follows a run: done, another attempt (unless `attempt` was the last) or failure. */
export function decideNextRun(outcome: JobOutcome, attempt: number, maxAttempts: number, now: Date): NextRun {
  if (outcome.outcome === 'done') return { state: 'done' };
  if (outcome.outcome === 'failed' || attempt >= maxAttempts)
    return { state: 'failed', error: outcome.error };
  const delay = outcome.afterMs ?? computeBackoffMs(attempt);
  return { state: 'queued', runAt: new Date(now.getTime() + Math.max(0, delay)), error: outcome.error };
}

/** A thrown error as the retry outcome it stands for. */
export function outcomeOfThrow(error: unknown): JobOutcome {
  return { outcome: 'retry', error: error instanceof Error ? error.message : String(error) };
}
