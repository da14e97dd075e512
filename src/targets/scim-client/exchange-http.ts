import { classifyFetchFailure } from './classify-fetch-failure.ts';
import {
  createScimClientError,
  describeRequest,
  type RequestPhase,
  type ScimClientError,
} from './scim-client-error.ts';

export type FetchFunction = typeof globalThis.fetch;

export interface HttpExchange {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  readonly timeoutMs: number;
  readonly phase: RequestPhase;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON; undefined when empty or not JSON. */
  readonly json: unknown;
}

/**
 * One HTTP request, answered or failed as a value: any status is an answer; a refused connection,
 * a TLS failure or no complete answer within `timeoutMs` (headers and body) is an error.
 */
export async function exchangeHttp(
  fetch: FetchFunction,
  exchange: HttpExchange,
): Promise<{ ok: true; value: HttpAnswer } | { ok: false; error: ScimClientError }> {
  const request = describeRequest(exchange.method, exchange.url);
  try {
    const response = await fetch(exchange.url, {
      method: exchange.method,
      headers: exchange.headers,
      ...(exchange.body !== undefined ? { body: exchange.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(exchange.timeoutMs),
    });
    const text = await response.text();
    return {
      ok: true,
      value: { status: response.status, headers: response.headers, text, json: parseJson(text) },
    };
  } catch (error) {
    const failure = classifyFetchFailure(error);
    const reason =
      failure.kind === 'timeout'
        ? `no complete answer within ${formatSeconds(exchange.timeoutMs)}`
        : failure.reason;
    return {
      ok: false,
      error: createScimClientError({
        kind: failure.kind,
        phase: exchange.phase,
        networkCode: failure.networkCode,
        request,
        message: `${request}: ${reason}`,
      }),
    };
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
