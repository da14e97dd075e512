import { InvalidArgumentError } from 'commander';

/** A target's rate limit as the admin API takes it; null removes it. */
export type RateLimitSetting = { requestsPerSecond: number; burst?: number } | null;

/**
 * `--rate-limit`: requests per second, optionally `:burst` (`20`, `0.5`, `20:40`); `off` removes the
 * limit (update only makes sense of it, create simply has none).
 */
export function parseRateLimit(raw: string): RateLimitSetting {
  const text = raw.trim().toLowerCase();
  if (text === 'off' || text === 'none') return null;
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?(?::(\d+))?$/.exec(text);
  const requestsPerSecond = Number(match?.[1]);
  const burst = match?.[2] === undefined ? undefined : Number(match[2]);
  if (match === null || !(requestsPerSecond >= 0.1 && requestsPerSecond <= 100_000))
    throw new InvalidArgumentError(
      'expected requests per second (0.1-100000), e.g. 20 or 20:40 for a burst of 40, or off.',
    );
  if (burst !== undefined && !(Number.isSafeInteger(burst) && burst >= 1 && burst <= 100_000))
    throw new InvalidArgumentError('expected a burst of 1-100000 after the colon, e.g. 20:40.');
  return burst === undefined ? { requestsPerSecond } : { requestsPerSecond, burst };
}

/** How a target's rate limit reads in `target show`. */
export function describeRateLimit(limit: RateLimitSetting | undefined): string {
  if (limit === null || limit === undefined) return 'none';
  const burst = limit.burst !== undefined && limit.burst > 1 ? `, bursts of ${limit.burst}` : '';
  return `${limit.requestsPerSecond} requests/s${burst} (all processes together on PostgreSQL)`;
}
