import { sql } from 'kysely';
import type { Storage } from '../../storage/open-storage.ts';
import {
  createMemoryPacer,
  gcraParameters,
  type RateLimit,
  type RequestPacer,
} from '../../targets/scim-client/request-pacer.ts';

/**
 * The request pacers of rate-limited targets. On PostgreSQL one schedule per target lives in
 * `target_rate_limits` and every process books its slots there (one statement per request), so the
 * limit holds for the whole deployment; on SQLite (one process) the schedule lives in memory. A
 * database that cannot be reached for a booking falls back to this process's own schedule, so a
 * request is never refused for it. @see docs/decisions/0019-target-rate-limits.md
 */
export function createTargetPacers(
  storage: Storage,
  options: { onFallback?: (error: unknown) => void } = {},
) {
  const limits = new Map<string, RateLimit>();
  const local = new Map<string, RequestPacer>();

  const localPacer = (targetId: string): RequestPacer => {
    let pacer = local.get(targetId);
    if (pacer === undefined) {
      pacer = createMemoryPacer(
        () => limits.get(targetId) ?? { requestsPerSecond: Number.POSITIVE_INFINITY },
      );
      local.set(targetId, pacer);
    }
    return pacer;
  };

  const sharedPacer = (targetId: string): RequestPacer => ({
    // When requests actually start is this process's own record, whoever booked the slots.
    admit: (now) => localPacer(targetId).admit(now),
    async reserve() {
      const limit = limits.get(targetId);
      if (limit === undefined) return 0;
      const { intervalMs, toleranceMs } = gcraParameters(limit);
      try {
        // GCRA booked in one statement on the database's clock, read after the row lock is held (a
        // statement's start time would be stale by the wait for the lock, and the slot late by as much).
        const now = sql`(extract(epoch from clock_timestamp()) * 1000)::float8`;
        const interval = sql`${intervalMs}::float8`;
        const tolerance = sql`${toleranceMs}::float8`;
        const { rows } = await sql<{ delay_ms: number | string }>`
          insert into target_rate_limits (target_id, tat_ms)
          values (${targetId}, ${now} - ${tolerance} + ${interval})
          on conflict (target_id) do update
            set tat_ms = greatest(target_rate_limits.tat_ms, ${now} - ${tolerance}) + ${interval}
          returning tat_ms - ${interval} - ${now} as delay_ms`.execute(storage.db);
        return Math.max(0, Number(rows[0]?.delay_ms ?? 0));
      } catch (error) {
        options.onFallback?.(error);
        return localPacer(targetId).reserve();
      }
    },
  });

  return {
    /** The pacer for `targetId` under `limit` (the latest limit wins); undefined when it has none. */
    pacerFor(targetId: string, limit: RateLimit | null | undefined): RequestPacer | undefined {
      if (limit === null || limit === undefined) {
        limits.delete(targetId);
        return undefined;
      }
      limits.set(targetId, limit);
      return storage.dialect.name === 'postgres' ? sharedPacer(targetId) : localPacer(targetId);
    },
  };
}

export type TargetPacers = ReturnType<typeof createTargetPacers>;

const PACERS = new WeakMap<Storage, TargetPacers>();

/**
 * The pacers of this process for `storage`: one set, so the engine and reconciliation book from the
 * same schedule (on SQLite, where the schedule is in memory, two sets would each allow the full rate).
 */
export function targetPacersOf(storage: Storage, options: { onFallback?: (error: unknown) => void } = {}) {
  let pacers = PACERS.get(storage);
  if (pacers === undefined) {
    pacers = createTargetPacers(storage, options);
    PACERS.set(storage, pacers);
  }
  return pacers;
}
