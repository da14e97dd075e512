import type { ScimClientError } from './scim-client-error.ts';

export interface IssuedAccessToken {
  readonly accessToken: string;
  /** Lifetime from the token response; undefined when the endpoint did not say. */
  readonly expiresInSeconds: number | undefined;
}

export type TokenResult = { ok: true; value: string } | { ok: false; error: ScimClientError };
export type TokenFetch = () => Promise<
  { ok: true; value: IssuedAccessToken } | { ok: false; error: ScimClientError }
>;

export interface TokenCacheOptions {
  readonly fetchToken: TokenFetch;
  readonly now?: () => number;
  /** Assumed lifetime of a token whose response has no `expires_in` (RFC 6749 §5.1 makes it optional). */
  readonly defaultLifetimeMs?: number;
}

export interface TokenCache {
  /** A live token: the cached one, or a new one shared by every caller that asks meanwhile. */
  get(): Promise<TokenResult>;
  /** Forgets `token` (after the target refused it); a newer token than the refused one is kept. */
  invalidate(token: string): void;
  /** Forgets whatever is cached, so the next `get` asks the endpoint (connectivity tests). */
  clear(): void;
  /** When the cached token will be renewed (ms since the epoch), or undefined when none is cached. */
  renewsAt(): number | undefined;
}

const DEFAULT_LIFETIME_MS = 300_000;
const MAX_RENEWAL_MARGIN_MS = 60_000;
const RENEWAL_MARGIN_SHARE = 0.2;

/**
 * When a token obtained at `obtainedAt` with `lifetimeMs` to live is replaced: 60 s before it
 * expires, or at 80 % of its life when that is earlier (short-lived tokens). The life is counted from
 * before the token request was sent, so clock skew and transit eat into the margin, not past it.
 */
export function computeRenewalTime(obtainedAt: number, lifetimeMs: number): number {
  const margin = Math.min(MAX_RENEWAL_MARGIN_MS, lifetimeMs * RENEWAL_MARGIN_SHARE);
  return obtainedAt + Math.max(0, lifetimeMs - margin);
}

/**
 * Caches one OAuth access token, renews it before it expires, and makes concurrent callers share one
 * token request (single flight). A failed request is not cached: the next caller tries again.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const now = options.now ?? Date.now;
  const defaultLifetimeMs = options.defaultLifetimeMs ?? DEFAULT_LIFETIME_MS;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<TokenResult> | undefined;

  const refresh = async (): Promise<TokenResult> => {
    const startedAt = now();
    const result = await options.fetchToken();
    if (!result.ok) return result;
    const { accessToken, expiresInSeconds } = result.value;
    const lifetimeMs = expiresInSeconds === undefined ? defaultLifetimeMs : expiresInSeconds * 1000;
    cached = { token: accessToken, renewAt: computeRenewalTime(startedAt, lifetimeMs) };
    return { ok: true, value: accessToken };
  };

  return {
    get() {
      if (cached !== undefined && now() < cached.renewAt)
        return Promise.resolve({ ok: true, value: cached.token });
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
    clear() {
      cached = undefined;
    },
    renewsAt: () => cached?.renewAt,
  };
}
