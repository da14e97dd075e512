import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/**
 * A target's request rate limit: at most `requestsPerSecond` on average, and at most `burst` at once
 * after a quiet spell (default 1: evenly spaced, so no 1-second window ever holds more than
 * `requestsPerSecond`). @see docs/decisions/0019-target-rate-limits.md
 */
export const RateLimitSchema = z.strictObject({
  requestsPerSecond: z.number().min(0.1).max(100_000),
  burst: z.number().int().min(1).max(100_000).optional(),
});

export type RateLimit = z.infer<typeof RateLimitSchema>;

/**
 * Hands out the moments at which requests to one target may start. `reserve` books the next free
 * slot and says how long until it comes; the caller waits that long and then sends (a wait, never a
 * failure). Implementations: in memory (one process) and in the database (every process sharing it).
 */
export interface RequestPacer {
  /** Milliseconds until the booked slot (0: send now). */
  reserve(): Promise<number>;
  /**
   * The last check, when the slot has come: milliseconds still to wait (0: go, and the start is
   * recorded). Holds back requests whose slots a stalled event loop let fire together.
   */
  admit(now: number): number;
}

/**
 * Slots are spaced this much wider than the rate says. A request starts at its slot or later (a timer
 * firing late in a busy event loop, a database round trip, the network), never earlier, so a late one
 * and an on-time one `requestsPerSecond` slots on could reach the target less than a second apart:
 * the margin is the lateness every 1-second window absorbs, 5 % = 50 ms, for 5 % of the allowed rate.
 */
export const RATE_SAFETY_MARGIN = 0.05;

/** The interval between slots and the burst tolerance (how far ahead of its time a slot may go), in ms. */
export function gcraParameters(limit: RateLimit): { intervalMs: number; toleranceMs: number } {
  const intervalMs = (1000 / limit.requestsPerSecond) * (1 + RATE_SAFETY_MARGIN);
  return { intervalMs, toleranceMs: (Math.max(1, Math.floor(limit.burst ?? 1)) - 1) * intervalMs };
}

/**
 * The generic cell rate algorithm as a booking: `tat` (theoretical arrival time) is where the
 * schedule stands. A request at `now` takes the schedule's next position, `max(tat, now - tolerance)`
 * (a quiet spell banks at most `burst - 1` slots), starts at that position or now, whichever is later,
 * and moves the schedule on by one interval. Pure.
 * @see ITU-T I.371 (GCRA, virtual scheduling)
 */
export function bookSlot(
  tat: number | undefined,
  now: number,
  limit: RateLimit,
): { slot: number; nextTat: number } {
  const { intervalMs, toleranceMs } = gcraParameters(limit);
  const start = Math.max(tat ?? Number.NEGATIVE_INFINITY, now - toleranceMs);
  return { slot: Math.max(start, now), nextTat: start + intervalMs };
}

/**
 * This process's record of when requests to one target actually started: at most the limit's worth
 * (`requestsPerSecond`, plus `burst - 1`) in any window of a second (widened by the margin). Slots are
 * spaced for that already; this catches the ones a late timer lets go together.
 */
export function createStartLog(limit: () => RateLimit): (now: number) => number {
  const starts: number[] = [];
  return (now) => {
    const { requestsPerSecond, burst } = limit();
    const allowed = Math.max(1, Math.floor(requestsPerSecond) + Math.max(1, burst ?? 1) - 1);
    const windowMs = 1000 * (1 + RATE_SAFETY_MARGIN);
    while (starts.length > allowed) starts.shift();
    const oldest = starts.length >= allowed ? starts[starts.length - allowed] : undefined;
    if (oldest !== undefined && now - oldest < windowMs) return windowMs - (now - oldest);
    starts.push(now);
    if (starts.length > allowed) starts.shift();
    return 0;
  };
}

/** A pacer for one process: the state lives in this object (share one per target). */
export function createMemoryPacer(
  limit: () => RateLimit,
  now: () => number = () => performance.now(),
): RequestPacer {
  let tat: number | undefined;
  return {
    async reserve() {
      const at = now();
      const booked = bookSlot(tat, at, limit());
      tat = booked.nextTat;
      return booked.slot - at;
    },
    admit: createStartLog(limit),
  };
}

/** Books a slot and waits for it, then for admission; what the SCIM client does before every request. */
export async function waitForSlot(
  pacer: RequestPacer,
  wait: (ms: number) => Promise<unknown> = sleep,
  now: () => number = () => performance.now(),
): Promise<void> {
  const delayMs = await pacer.reserve();
  if (delayMs > 0) await wait(delayMs);
  for (let more = pacer.admit(now()); more > 0; more = pacer.admit(now())) await wait(more);
}
