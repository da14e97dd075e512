import type { ScimClientError } from './scim-client-error.ts';

/**
 * How many times, and how long apart, one request is tried in-process. Longer waits (a Retry-After
 * beyond `maxRetryAfterMs`, a target that stays down) are the engine's business: it reschedules the
 * operation, so a worker never sleeps for minutes.
 */
export interface RetryPolicy {
  /** Tries in all, the first included; 1 means never retry. */
  readonly maxAttempts: number;
  /** The back-off ceiling of the first retry; it doubles per retry. */
  readonly baseDelayMs: number;
  /** No back-off ceiling grows past this. */
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for here: the error goes back to the caller. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 30_000,
});

export const NO_RETRY_POLICY: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY_POLICY, maxAttempts: 1 });

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long' };

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Failures before a connection existed: the request was certainly not sent. */
const CONNECT_PHASE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether trying again is safe and may help. Safe: the request was never processed (a token-phase
 * failure, a refused connection, 429, 503) or repeating it changes nothing (idempotent methods).
 * A POST or PATCH that timed out or met a 500 may have taken effect, so it is not repeated blindly.
 * 501 and every 4xx but 429 will answer the same again.
 */
export function isRetryable(error: ScimClientError, method: string): boolean {
  const idempotent = error.phase === 'token' || IDEMPOTENT_METHODS.has(method.toUpperCase());
  switch (error.kind) {
    case 'rate_limited':
      return true;
    case 'unreachable':
      return idempotent || CONNECT_PHASE_CODES.has(error.networkCode ?? '');
    case 'timeout':
      return idempotent;
    case 'server_error':
      return error.status === 503 || (idempotent && error.status !== 501);
    default:
      return false;
  }
}

/**
 * After `attempt` failed tries (1 after the first), retry or not, and after how long: exponential
 * back-off with full jitter — a uniform delay in [0, min(maxDelayMs, baseDelayMs·2^(attempt−1))) —
 * but never sooner than the target's Retry-After.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function decideRetry(
  policy: RetryPolicy,
  failure: { attempt: number; method: string; error: ScimClientError },
  random: () => number = Math.random,
): RetryDecision {
  if (!isRetryable(failure.error, failure.method)) return { retry: false, reason: 'not_retryable' };
  if (failure.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const retryAfterMs = failure.error.retryAfterMs;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs)
    return { retry: false, reason: 'retry_after_too_long' };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failure.attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return { retry: true, delayMs: Math.max(retryAfterMs ?? 0, jittered) };
}
