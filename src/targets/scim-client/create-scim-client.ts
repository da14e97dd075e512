import { setTimeout as sleep } from 'node:timers/promises';
import { STANDARD_TOKEN_REQUEST, type TokenRequestConvention } from '../profiles/target-profile.ts';
import { exchangeHttp, type FetchFunction } from './exchange-http.ts';
import { readScimAnswer, type ScimResponse } from './read-scim-answer.ts';
import { requestOauthToken } from './request-oauth-token.ts';
import { type RequestPacer, waitForSlot } from './request-pacer.ts';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retry-policy.ts';
import type { ScimClientError } from './scim-client-error.ts';
import { type ScimConnection, type ScimConnectionInput, ScimConnectionSchema } from './scim-connection.ts';
import { createTokenCache, type TokenResult } from './token-cache.ts';

export interface ScimClientOptions {
  /** How the profile's token endpoint wants the request, for what the connection leaves open. */
  readonly tokenConvention?: TokenRequestConvention;
  readonly retryPolicy?: RetryPolicy;
  /**
   * The target's rate limit: every request to the SCIM API (each retry included, token requests not)
   * waits for its slot before it is sent. A wait, never a failure.
   */
  readonly pacer?: RequestPacer;
  /** Seams for tests: the network, the clock, the dice, the wait between tries. */
  readonly fetch?: FetchFunction;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

export interface RequestOptions {
  readonly retryPolicy?: RetryPolicy;
}

export interface ScimClient {
  /** The base URL without a trailing slash. */
  readonly baseUrl: string;
  /**
   * `method` on `baseUrl + path` (path with its query string, e.g. `/Users?filter=…`), with a bearer
   * token, retried by the retry policy. A 401 with an OAuth token drops the token and tries once more
   * with a new one. Never throws.
   */
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<ScimResponse>;
  /** A token now (a new one when `fresh`); for a static bearer token, always ok. */
  authenticate(options?: { fresh?: boolean }): Promise<{ ok: true } | { ok: false; error: ScimClientError }>;
}

const SCIM_MEDIA_TYPES = 'application/scim+json, application/json;q=0.9';

/**
 * The HTTP client for SCIM targets, over Node's global `fetch` (undici): no dependency, keep-alive
 * pooling per origin, AbortSignal timeouts, and error causes with the network code we classify.
 * Throws only for a connection that fails validation (a programming or configuration error caught at
 * the boundary); every request outcome is a value.
 */
export function createScimClient(
  connectionInput: ScimConnectionInput,
  options: ScimClientOptions = {},
): ScimClient {
  const connection: ScimConnection = ScimConnectionSchema.parse(connectionInput);
  const fetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const baseUrl = connection.baseUrl.replace(/\/+$/, '');
  const auth = connection.authentication;
  const tokens =
    auth.kind === 'oauth_client_credentials'
      ? createTokenCache({
          now,
          fetchToken: () =>
            requestOauthToken({
              fetch,
              credentials: auth,
              convention: options.tokenConvention ?? STANDARD_TOKEN_REQUEST,
              timeoutMs: connection.timeoutMs,
              now,
            }),
        })
      : undefined;

  const getToken = (): Promise<TokenResult> =>
    tokens === undefined
      ? Promise.resolve({ ok: true, value: (auth as { token: string }).token })
      : tokens.get();

  const send = async (method: string, path: string, body: unknown, token: string): Promise<ScimResponse> => {
    const url = new URL(`${baseUrl}${path.startsWith('/') ? path : `/${path}`}`);
    const headers: Record<string, string> = { accept: SCIM_MEDIA_TYPES, authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/scim+json';
    if (options.pacer !== undefined) await waitForSlot(options.pacer, wait, now);
    const exchanged = await exchangeHttp(fetch, {
      method,
      url,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: connection.timeoutMs,
      phase: 'scim',
    });
    if (!exchanged.ok) return exchanged;
    return readScimAnswer(exchanged.value, `${method} ${url.origin}${url.pathname}`, now());
  };

  const attempt = async (method: string, path: string, body: unknown): Promise<ScimResponse> => {
    const token = await getToken();
    if (!token.ok) return token;
    const response = await send(method, path, body, token.value);
    if (response.ok || response.error.kind !== 'unauthorized' || tokens === undefined) return response;
    // The target refused a token we thought live (revoked, or its clock runs ahead): one fresh try.
    tokens.invalidate(token.value);
    const renewed = await tokens.get();
    return renewed.ok ? send(method, path, body, renewed.value) : renewed;
  };

  return {
    baseUrl,
    async request(method, path, body, requestOptions = {}) {
      const policy = requestOptions.retryPolicy ?? options.retryPolicy ?? DEFAULT_RETRY_POLICY;
      const verb = method.toUpperCase();
      for (let tries = 1; ; tries++) {
        const response = await attempt(verb, path, body);
        if (response.ok) return response;
        const decision = decideRetry(
          policy,
          { attempt: tries, method: verb, error: response.error },
          options.random,
        );
        if (!decision.retry) return response;
        await wait(decision.delayMs);
      }
    },
    async authenticate(authenticateOptions = {}) {
      if (tokens === undefined) return { ok: true };
      if (authenticateOptions.fresh === true) tokens.clear();
      const token = await tokens.get();
      return token.ok ? { ok: true } : token;
    },
  };
}
