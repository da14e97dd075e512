import { DEFAULT_CONCURRENCY } from '../../targets/profiles/target-profile.ts';
import type { RateLimit } from '../../targets/scim-client/request-pacer.ts';

export interface TargetSettings {
  /**
   * Requests in flight to this target at once: its jobs running at once, every process together (the
   * job group's limit, see `applyConcurrencyLimits`).
   */
  readonly concurrency: number;
  /**
   * Requests per second to this target (every process sharing a PostgreSQL database together), with
   * an optional burst; requests over it wait for their turn. Null or absent: no limit.
   */
  readonly rateLimit?: RateLimit | null;
}

/** A target's kind may ask for another concurrency (`TargetProfile.defaultConcurrency`). */
export const DEFAULT_TARGET_SETTINGS: TargetSettings = { concurrency: DEFAULT_CONCURRENCY, rateLimit: null };

/** The `settings` column as stored (JSON text in SQLite, jsonb in PostgreSQL). */
export function storedSettingsOf(value: unknown): Partial<TargetSettings> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Partial<TargetSettings>;
}

/** A stored value that is no whole number of at least 1 (never accepted by the API) counts as the default. */
export function concurrencyOf(settings: unknown): number {
  const { concurrency } = storedSettingsOf(settings);
  return Number.isInteger(concurrency) && (concurrency as number) >= 1
    ? (concurrency as number)
    : DEFAULT_TARGET_SETTINGS.concurrency;
}
