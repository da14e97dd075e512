import { type Command, Option } from 'commander';
import { parseWholeNumber } from './admin-command.ts';
import { UsageError } from './cli-output.ts';
import type { Target } from './provisioning-api-types.ts';

/** Where a target's secret may come from besides a flag, so that it stays out of shell history. */
export const TARGET_SECRET_ENV = 'LOCKSTEP_TARGET_SECRET';

/** The connection flags of `target create` and `target update`. */
export interface ConnectionOptions {
  baseUrl?: string;
  bearerToken?: string;
  bearerTokenStdin?: boolean;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  clientAuth?: 'client_secret_basic' | 'client_secret_post';
  paramsIn?: 'body' | 'query';
  scope?: string;
  timeoutMs?: number;
}

type Authentication =
  | { kind: 'bearer'; token?: string }
  | {
      kind: 'oauth_client_credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret?: string;
      clientAuthentication?: string;
      parametersIn?: string;
      scope?: string;
    };

/** The connection as the admin API takes it (a secret left out on update keeps the stored one). */
export interface ConnectionInput {
  baseUrl: string;
  authentication: Authentication;
  timeoutMs?: number;
}

export function addConnectionOptions(command: Command, baseUrlRequired: boolean): Command {
  const baseUrl = '--base-url <url>';
  const baseUrlHelp = "the target's SCIM base URL, e.g. https://scim.example.com/scim/v2";
  return (
    baseUrlRequired ? command.requiredOption(baseUrl, baseUrlHelp) : command.option(baseUrl, baseUrlHelp)
  )
    .option(
      '--bearer-token <token>',
      `a static bearer token (better: $${TARGET_SECRET_ENV} or --bearer-token-stdin)`,
    )
    .option('--bearer-token-stdin', 'read the bearer token from standard input')
    .option('--token-url <url>', 'OAuth 2.0 token endpoint (client credentials)')
    .option('--client-id <id>', 'OAuth 2.0 client id')
    .option(
      '--client-secret <secret>',
      `OAuth 2.0 client secret (better: $${TARGET_SECRET_ENV} or --client-secret-stdin)`,
    )
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .addOption(
      new Option('--client-auth <method>', 'how the client authenticates at the token endpoint').choices([
        'client_secret_basic',
        'client_secret_post',
      ]),
    )
    .addOption(
      new Option('--params-in <where>', 'where grant_type, client_id and scope go').choices([
        'body',
        'query',
      ]),
    )
    .option('--scope <scope>', "space-separated scopes to ask for (default: the profile's)")
    .option('--timeout-ms <ms>', 'per request timeout in milliseconds (default: 30000)', parseWholeNumber);
}

/** True when any connection flag was given (an update then sends a connection). */
export function hasConnectionOptions(options: ConnectionOptions): boolean {
  return [
    options.baseUrl,
    options.bearerToken,
    options.bearerTokenStdin,
    options.tokenUrl,
    options.clientId,
    options.clientSecret,
    options.clientSecretStdin,
    options.clientAuth,
    options.paramsIn,
    options.scope,
    options.timeoutMs,
  ].some((value) => value !== undefined);
}

/**
 * The connection of a new target, or (with `current`) the changed connection of an existing one. The
 * secret comes from its flag, else standard input, else $LOCKSTEP_TARGET_SECRET; an update that keeps
 * the authentication kind and names no new secret keeps the stored one.
 */
export async function buildConnection(
  options: ConnectionOptions,
  current?: Target,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConnectionInput> {
  if (options.bearerTokenStdin && options.clientSecretStdin)
    throw new UsageError('Give only one of --bearer-token-stdin and --client-secret-stdin');
  const bearer = options.bearerToken !== undefined || options.bearerTokenStdin === true;
  const oauth = [
    options.tokenUrl,
    options.clientId,
    options.clientSecret,
    options.clientSecretStdin,
    options.clientAuth,
    options.paramsIn,
    options.scope,
  ].some((value) => value !== undefined);
  if (bearer && oauth)
    throw new UsageError(
      'Give either a bearer token or OAuth client credentials (--token-url ...), not both',
    );
  const kind =
    bearer || (!oauth && current === undefined)
      ? 'bearer'
      : oauth
        ? 'oauth_client_credentials'
        : (current?.authentication.kind ?? 'bearer');
  const kindChanged = current === undefined || current.authentication.kind !== kind;
  const envSecret = kindChanged ? env[TARGET_SECRET_ENV]?.trim() || undefined : undefined;
  const baseUrl = options.baseUrl ?? current?.baseUrl;
  if (baseUrl === undefined) throw new UsageError('Give the SCIM base URL with --base-url');
  const timeoutMs = options.timeoutMs ?? current?.timeoutMs;
  const timeout = timeoutMs !== undefined ? { timeoutMs } : {};

  if (kind === 'bearer') {
    const token =
      options.bearerToken ??
      (options.bearerTokenStdin ? await readSecretFromStdin('bearer token') : envSecret);
    if (token === undefined && kindChanged)
      throw new UsageError(
        `No credentials: give --bearer-token, --bearer-token-stdin or $${TARGET_SECRET_ENV}, ` +
          'or OAuth client credentials with --token-url, --client-id and a client secret',
      );
    return { baseUrl, authentication: { kind, ...(token !== undefined ? { token } : {}) }, ...timeout };
  }

  const was =
    current?.authentication.kind === 'oauth_client_credentials' ? current.authentication : undefined;
  const tokenUrl = options.tokenUrl ?? was?.tokenUrl;
  const clientId = options.clientId ?? was?.clientId;
  if (tokenUrl === undefined || clientId === undefined)
    throw new UsageError('OAuth client credentials need --token-url and --client-id');
  const clientSecret =
    options.clientSecret ??
    (options.clientSecretStdin ? await readSecretFromStdin('client secret') : envSecret);
  if (clientSecret === undefined && kindChanged)
    throw new UsageError(
      `No client secret: give --client-secret, --client-secret-stdin or $${TARGET_SECRET_ENV}`,
    );
  const optional = {
    clientAuthentication: options.clientAuth ?? was?.clientAuthentication ?? undefined,
    parametersIn: options.paramsIn ?? was?.parametersIn ?? undefined,
    scope: options.scope ?? was?.scope ?? undefined,
    clientSecret,
  };
  return {
    baseUrl,
    authentication: {
      kind,
      tokenUrl,
      clientId,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    },
    ...timeout,
  };
}

/** Reads a secret piped in (`... --client-secret-stdin < file`); one trailing newline is dropped. */
async function readSecretFromStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`Paste the ${what}, then press Enter and Ctrl-D: `);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  const secret = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (secret.trim() === '') throw new UsageError(`No ${what} on standard input`);
  return secret;
}
