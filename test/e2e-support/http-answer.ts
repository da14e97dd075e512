/** Small HTTP pieces shared by the process helpers: a parsed answer and a bearer-token cache. */
import { captureSecrets, findSecrets } from '../support/log-capture.ts';

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when it is not JSON, undefined when empty. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

/** `fetch` with a JSON body; every secret in the answer joins the suite-wide secrets-in-logs check. */
export async function sendJson(
  url: string,
  method: string,
  options: { body?: unknown; headers?: Record<string, string>; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= options.contentType ?? 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  captureSecrets(findSecrets(text));
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * Access tokens per key, reused until 30 s before they expire: token endpoints are rate limited
 * (Lockstep: 60 per minute per app by default), and a check that pages through 10,000 users must
 * not spend one token per page.
 */
export function createTokenCache(): {
  get(key: string, fetchToken: () => Promise<{ token: string; expiresIn: number }>): Promise<string>;
  forget(key: string): void;
} {
  const tokens = new Map<string, { token: string; until: number }>();
  return {
    async get(key, fetchToken) {
      const cached = tokens.get(key);
      if (cached !== undefined && cached.until > Date.now()) return cached.token;
      const { token, expiresIn } = await fetchToken();
      tokens.set(key, { token, until: Date.now() + (expiresIn - 30) * 1000 });
      return token;
    },
    forget: (key) => {
      tokens.delete(key);
    },
  };
}
