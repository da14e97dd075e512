/**
 * A small typed client for the admin REST API (`/api/...`, docs: /api/openapi.json). It turns every
 * answer that is not a success into an {@link AdminApiError} whose kind the CLI maps to an exit code.
 * The admin token goes only into the Authorization header: never into a message.
 */

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const REQUEST_TIMEOUT_MS = 30_000;
/** An upload is applied before the server answers (a large CSV import takes minutes). */
const UPLOAD_TIMEOUT_MS = 15 * 60_000;

export type AdminApiErrorKind =
  | 'config'
  | 'unreachable'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'failure';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export interface Reference {
  readonly kind: string;
  readonly id: string;
  readonly name: string;
}

export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  readonly kind: AdminApiErrorKind;
  readonly status: number | undefined;
  /** Each invalid field of a 400 answer. */
  readonly fields: readonly FieldProblem[];
  /** What still references a tenant that could not be deleted (409). */
  readonly references: readonly Reference[];
  /** Seconds to wait before trying again (429). */
  readonly retryAfter: string | undefined;
  constructor(
    kind: AdminApiErrorKind,
    message: string,
    details: {
      status?: number;
      fields?: readonly FieldProblem[];
      references?: readonly Reference[];
      retryAfter?: string;
    } = {},
  ) {
    super(message);
    this.kind = kind;
    this.status = details.status;
    this.fields = details.fields ?? [];
    this.references = details.references ?? [];
    this.retryAfter = details.retryAfter;
  }
}

export interface AdminClientSettings {
  /** `--url`, else LOCKSTEP_URL, else {@link DEFAULT_URL}. */
  readonly url?: string | undefined;
  /** `--token`, else LOCKSTEP_ADMIN_TOKEN. */
  readonly token?: string | undefined;
}

type Query = Readonly<Record<string, string | number | undefined>>;

export interface AdminClient {
  /** The server's base URL (no trailing slash, no credentials). */
  readonly url: string;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** The answer's JSON body when it has one (a provisioning's removal answers with its run). */
  delete<T = undefined>(path: string): Promise<T | undefined>;
  /** A POST of raw bytes with their content type (a CSV file to import). */
  upload<T>(path: string, body: Uint8Array, contentType: string, query?: Query): Promise<T>;
  /** A GET whose body is read as it arrives (the audit export). */
  stream(path: string, query?: Query): Promise<ReadableStream<Uint8Array>>;
}

/** Resolves URL and token from options and environment; fails with kind `config` when unusable. */
export function createAdminClient(
  settings: AdminClientSettings,
  env: NodeJS.ProcessEnv = process.env,
): AdminClient {
  const url = parseBaseUrl(settings.url ?? env.LOCKSTEP_URL ?? DEFAULT_URL);
  const given = settings.token ?? env.LOCKSTEP_ADMIN_TOKEN;
  if (given === undefined || given.trim() === '') {
    throw new AdminApiError(
      'config',
      'No admin token: set LOCKSTEP_ADMIN_TOKEN or pass --token (serve prints one on first start)',
    );
  }
  const token: string = given.trim();

  async function send(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; raw?: { body: Uint8Array; type: string }; stream?: boolean },
  ) {
    const target = new URL(`${url}/api${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) target.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.raw !== undefined) headers['content-type'] = options.raw.type;
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.raw !== undefined ? { body: options.raw.body } : {}),
        ...(options.stream
          ? {}
          : { signal: AbortSignal.timeout(options.raw ? UPLOAD_TIMEOUT_MS : REQUEST_TIMEOUT_MS) }),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new AdminApiError(
        'unreachable',
        timedOut
          ? `The Lockstep server at ${url} did not answer within ${(options.raw ? UPLOAD_TIMEOUT_MS : REQUEST_TIMEOUT_MS) / 1000} s`
          : `Cannot reach the Lockstep server at ${url} (${describeCause(error)}). ` +
              'Is it running? Start it with "lockstep serve", or point --url / LOCKSTEP_URL at it.',
      );
    }
    if (!response.ok) throw await toError(response, token);
    return response;
  }

  return {
    url,
    async get<T>(path: string, query?: Query) {
      return (await (await send('GET', path, query === undefined ? {} : { query })).json()) as T;
    },
    async post<T>(path: string, body?: unknown) {
      return (await (await send('POST', path, { body: body ?? {} })).json()) as T;
    },
    async patch<T>(path: string, body: unknown) {
      return (await (await send('PATCH', path, { body })).json()) as T;
    },
    async delete<T>(path: string) {
      const text = await (await send('DELETE', path, {})).text();
      return text === '' ? undefined : (JSON.parse(text) as T);
    },
    async upload<T>(path: string, body: Uint8Array, type: string, query?: Query) {
      const raw = { body, type };
      return (await (await send('POST', path, query === undefined ? { raw } : { raw, query })).json()) as T;
    },
    async stream(path: string, query?: Query) {
      const response = await send('GET', path, { stream: true, ...(query === undefined ? {} : { query }) });
      if (response.body === null) throw new AdminApiError('failure', 'The server sent no body');
      return response.body;
    },
  };
}

function parseBaseUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new AdminApiError(
      'config',
      `Invalid server URL "${raw}" (--url / LOCKSTEP_URL): expected e.g. ${DEFAULT_URL}`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AdminApiError('config', `Invalid server URL "${parsed.origin}": use http:// or https://`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new AdminApiError(
      'config',
      'The server URL must not hold credentials: pass the admin token with --token',
    );
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

function describeCause(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

interface ErrorBody {
  error?: unknown;
  message?: unknown;
  fields?: unknown;
  references?: unknown;
}

async function toError(response: Response, token: string): Promise<AdminApiError> {
  const text = await response.text();
  let body: ErrorBody = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as ErrorBody;
  } catch {
    // Not JSON (a proxy's page, say): the status alone has to speak.
  }
  // Whatever the server says, the token is not repeated.
  const said =
    typeof body.message === 'string' && body.message !== ''
      ? body.message.replaceAll(token, '[admin token]')
      : undefined;
  const status = response.status;
  const fields = Array.isArray(body.fields) ? (body.fields as FieldProblem[]) : [];
  const references = Array.isArray(body.references) ? (body.references as Reference[]) : [];
  switch (status) {
    case 400:
    case 422:
      // With fields, the server's message repeats them; the CLI prints them one a line instead.
      return new AdminApiError(
        'invalid',
        fields.length > 0 ? 'Invalid input:' : (said ?? 'The server refused the request as invalid'),
        { status, fields },
      );
    case 401:
      return new AdminApiError(
        'unauthorized',
        'The admin token was refused (set LOCKSTEP_ADMIN_TOKEN or pass --token with a valid lsa_... token)',
        { status },
      );
    case 403:
      return new AdminApiError(
        'forbidden',
        said === undefined
          ? 'The admin token may not do this (it is read-only or bound to another tenant)'
          : `Forbidden: ${said}`,
        { status },
      );
    case 404:
      return new AdminApiError('not_found', said ?? 'Not found', { status });
    case 409:
      return new AdminApiError('conflict', said ?? 'Conflict', { status, references });
    case 429: {
      const retryAfter = response.headers.get('retry-after') ?? undefined;
      return new AdminApiError(
        'rate_limited',
        `Too many requests${retryAfter ? `: try again in ${retryAfter} s` : ''}`,
        retryAfter === undefined ? { status } : { status, retryAfter },
      );
    }
    default:
      return new AdminApiError('failure', `The server answered ${status}${said ? `: ${said}` : ''}`, {
        status,
      });
  }
}
