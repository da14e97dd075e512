import { z } from 'zod';
import type { TokenRequestConvention } from '../profiles/target-profile.ts';
import { exchangeHttp, type FetchFunction } from './exchange-http.ts';
import { parseRetryAfter } from './parse-retry-after.ts';
import {
  createScimClientError,
  describeRequest,
  errorKindForStatus,
  type ScimClientError,
} from './scim-client-error.ts';
import type { OauthClientCredentials } from './scim-connection.ts';
import type { IssuedAccessToken } from './token-cache.ts';

/**
 * A token response (RFC 6749 §5.1). `expires_in` may be a string: RAM answers `"expires_in":"3599"`
 * (REFERENCE.md §4). A `token_type` other than Bearer is refused: it could not be used as one.
 */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z
    .string()
    .refine((type) => type.toLowerCase() === 'bearer', 'token_type must be Bearer')
    .optional(),
  expires_in: z
    .union([
      z.number().min(0),
      z
        .string()
        .regex(/^\s*\d+(\.\d+)?\s*$/)
        .transform(Number),
    ])
    .optional(),
});

export interface TokenRequestSettings {
  readonly fetch: FetchFunction;
  readonly credentials: OauthClientCredentials;
  readonly convention: TokenRequestConvention;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/**
 * Asks the token endpoint for an access token by the client-credentials grant (RFC 6749 §4.4).
 * With `client_secret_basic` the secret goes in `Authorization: Basic base64(id:secret)` — the id and
 * secret unencoded, as RAM's guide shows and most endpoints expect — and the other parameters in the
 * form body or, for RAM, the query string. With `client_secret_post` everything goes in the body.
 */
export async function requestOauthToken(
  settings: TokenRequestSettings,
): Promise<{ ok: true; value: IssuedAccessToken } | { ok: false; error: ScimClientError }> {
  const { credentials, convention } = settings;
  const clientAuthentication = credentials.clientAuthentication ?? convention.clientAuthentication;
  const parametersIn =
    clientAuthentication === 'client_secret_post'
      ? 'body'
      : (credentials.parametersIn ?? convention.parametersIn);
  const scope = credentials.scope ?? convention.defaultScope;
  const parameters = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
  });
  if (scope !== undefined) parameters.set('scope', scope);
  if (clientAuthentication === 'client_secret_post')
    parameters.set('client_secret', credentials.clientSecret);

  const url = new URL(credentials.tokenUrl);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (clientAuthentication === 'client_secret_basic') {
    const pair = `${credentials.clientId}:${credentials.clientSecret}`;
    headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  let body: string | undefined;
  if (parametersIn === 'query') {
    for (const [name, value] of parameters) url.searchParams.set(name, value);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = parameters.toString();
  }

  const request = describeRequest('POST', url);
  const exchanged = await exchangeHttp(settings.fetch, {
    method: 'POST',
    url,
    headers,
    body,
    timeoutMs: settings.timeoutMs,
    phase: 'token',
  });
  if (!exchanged.ok) return exchanged;
  const answer = exchanged.value;
  if (answer.status >= 200 && answer.status < 300) {
    const parsed = TokenResponseSchema.safeParse(answer.json);
    if (!parsed.success) {
      return {
        ok: false,
        error: createScimClientError({
          kind: 'bad_response',
          phase: 'token',
          status: answer.status,
          request,
          message: `${request}: answered ${answer.status} without a usable access token (${parsed.error.issues[0]?.message ?? 'not JSON'})`,
        }),
      };
    }
    return {
      ok: true,
      value: { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in },
    };
  }
  const { error, description } = readOauthErrorBody(answer.json);
  // RFC 6749 §5.2 allows invalid_client with 400 as well as 401; it means wrong credentials either way.
  const kind =
    error === 'invalid_client'
      ? 'unauthorized'
      : answer.status >= 300 && answer.status < 400
        ? 'bad_response'
        : errorKindForStatus(answer.status);
  const words = [error, description].filter((part) => part !== undefined).join(': ');
  return {
    ok: false,
    error: createScimClientError({
      kind,
      phase: 'token',
      status: answer.status,
      oauthError: error,
      detail: description,
      retryAfterMs:
        answer.status === 429 || answer.status === 503
          ? parseRetryAfter(answer.headers.get('retry-after'), settings.now())
          : undefined,
      request,
      message: `${request}: answered ${answer.status}${words === '' ? '' : ` (${words})`}`,
    }),
  };
}

function readOauthErrorBody(body: unknown): { error: string | undefined; description: string | undefined } {
  if (typeof body !== 'object' || body === null) return { error: undefined, description: undefined };
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  return {
    error: typeof error === 'string' && /^[\x20-\x7e]{1,100}$/.test(error) ? error : undefined,
    description: typeof description === 'string' ? description.slice(0, 500) : undefined,
  };
}
