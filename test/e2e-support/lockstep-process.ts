/**
 * A real Lockstep server in its own process (`bin/lockstep.js serve`), for end-to-end tests: its own
 * SQLite data directory, killed (SIGKILL for crash tests) and restarted on the same data and port.
 * SQLite only: the configuration has no setting for a PostgreSQL schema, so two servers on one
 * DATABASE_URL would share their tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../cli/cli-process.ts';
import { captureLogs, captureSecrets, findSecrets, logLinesOf } from '../support/log-capture.ts';
import { type Answer, createTokenCache, sendJson } from './http-answer.ts';
import { spawnWatched, type WatchedProcess } from './spawn-watched.ts';

export const DEFAULT_TENANT = 'default';

export interface LockstepProcessOptions {
  /** Data directory (SQLite); default a new temporary one, removed by stop(). */
  readonly dataDir?: string;
  /** Extra environment (e.g. LOCKSTEP_TOKEN_RATE_PER_APP); wins over the defaults. */
  readonly env?: Record<string, string>;
}

export interface AppCredentials {
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface LockstepProcess {
  /** `http://127.0.0.1:<port>`; the same after restart(). */
  readonly url: string;
  readonly dataDir: string;
  /** The admin token printed on first start (kept across restarts). */
  readonly adminToken: string;
  /** The app first start created in tenant `default`. */
  readonly defaultApp: AppCredentials;
  readonly pid: number | undefined;
  /** All output of every run so far. */
  output(): string;
  /** The JSON log lines of every run so far, parsed. */
  logs(): Record<string, unknown>[];
  /** `<url>/api<path>` with the admin token, e.g. `adminApi('POST', '/tenants', { id: 'acme' })`. */
  adminApi(method: string, path: string, body?: unknown): Promise<Answer>;
  /** A new access token from `POST /t/<tenant>/oauth2/token` (client credentials, HTTP Basic). */
  tokenFor(clientId: string, clientSecret: string, tenant?: string): Promise<string>;
  /** `<url>/t/<tenant>/scim/v2<path>` with a bearer token of `app` (default: the default app). */
  scim(method: string, path: string, body?: unknown, app?: AppCredentials): Promise<Answer>;
  /** Creates a tenant and an app with scope `scim` through the admin API. */
  createTenantWithApp(tenant: string, appName?: string): Promise<AppCredentials>;
  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same data directory and port (stops it first if it runs). */
  restart(): Promise<void>;
  running(): boolean;
  /** SIGTERM, waits, hands its logs to the secrets-in-logs check, removes a temporary data dir. */
  stop(): Promise<void>;
}

const READY = /Client secret \(shown once[^\n]*\n|Create an app \(client id and secret\)[^\n]*\n/;

/** The environment without anything of ours the caller did not pass (as in test/cli/cli-process.ts). */
function baseEnv(): Record<string, string | undefined> {
  const { LOCKSTEP_ADMIN_TOKEN, LOCKSTEP_URL, DATABASE_URL, ...rest } = process.env;
  return rest;
}

export async function startLockstepProcess(options: LockstepProcessOptions = {}): Promise<LockstepProcess> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lockstep-e2e-'));
  const env = { ...baseEnv(), LOCKSTEP_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...options.env };
  const runs: WatchedProcess[] = [];
  let current: WatchedProcess | undefined;

  const launch = async (port: number) => {
    const run = spawnWatched([BIN, 'serve', '--port', String(port)], env);
    run.child.once('close', () => {
      captureSecrets(findSecrets(run.output()));
      captureLogs(logLinesOf(run.output()));
    });
    runs.push(run);
    current = run;
    await run.waitFor(READY, 30_000);
    return run.output();
  };

  const first = await launch(0).catch((error: unknown) => {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  const adminToken =
    /Admin token \(shown once[^:]*\): (\S+)/.exec(first)?.[1] ?? options.env?.LOCKSTEP_ADMIN_TOKEN;
  const clientId = /Client id:\s+(\S+)/.exec(first)?.[1];
  const clientSecret = /Client secret \(shown once[^:]*\): (\S+)/.exec(first)?.[1];
  if (url === undefined || adminToken === undefined || clientId === undefined || clientSecret === undefined) {
    await current?.kill('SIGKILL');
    throw new Error(
      `lockstep serve did not print its URL, admin token and default app (a used data dir?):\n${first}`,
    );
  }
  const port = Number(new URL(url).port);
  const tokens = createTokenCache();
  const defaultApp: AppCredentials = { tenant: DEFAULT_TENANT, clientId, clientSecret };

  const requestToken = async (clientId: string, clientSecret: string, tenant: string) => {
    const answer = await sendJson(`${url}/t/${tenant}/oauth2/token`, 'POST', {
      body: 'grant_type=client_credentials',
      contentType: 'application/x-www-form-urlencoded',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    });
    if (answer.status !== 200)
      throw new Error(
        `token request for ${tenant}/${clientId} failed: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    return { token: answer.body.access_token as string, expiresIn: Number(answer.body.expires_in) };
  };

  const server: LockstepProcess = {
    url,
    dataDir,
    adminToken,
    defaultApp,
    get pid() {
      return current?.child.pid;
    },
    output: () => runs.map((run) => run.output()).join(''),
    logs: () => logLinesOf(server.output()).map((line) => JSON.parse(line) as Record<string, unknown>),
    adminApi: (method, path, body) =>
      sendJson(`${url}${path.startsWith('/api/') ? '' : '/api'}${path}`, method, {
        body,
        headers: { authorization: `Bearer ${adminToken}` },
      }),
    tokenFor: async (clientId, clientSecret, tenant = DEFAULT_TENANT) =>
      (await requestToken(clientId, clientSecret, tenant)).token,
    async scim(method, path, body, app = defaultApp) {
      const key = `${app.tenant}/${app.clientId}`;
      const send = async () => {
        const token = await tokens.get(key, () => requestToken(app.clientId, app.clientSecret, app.tenant));
        return sendJson(`${url}/t/${app.tenant}/scim/v2${path}`, method, {
          body,
          contentType: 'application/scim+json',
          headers: { authorization: `Bearer ${token}` },
        });
      };
      const answer = await send();
      if (answer.status !== 401) return answer;
      tokens.forget(key);
      return send();
    },
    async createTenantWithApp(tenant, appName = 'e2e') {
      const created = await server.adminApi('POST', '/tenants', { id: tenant });
      if (created.status !== 201)
        throw new Error(`creating tenant ${tenant}: ${JSON.stringify(created.body)}`);
      const app = await server.adminApi('POST', `/tenants/${tenant}/apps`, {
        name: appName,
        scopes: ['scim'],
      });
      if (app.status !== 201) throw new Error(`creating an app in ${tenant}: ${JSON.stringify(app.body)}`);
      return { tenant, clientId: app.body.app.clientId, clientSecret: app.body.secret.value };
    },
    kill: async (signal = 'SIGKILL') => {
      await current?.kill(signal);
    },
    async restart() {
      await current?.kill('SIGTERM');
      await launch(port);
    },
    running: () => current !== undefined && !current.exited(),
    async stop() {
      await current?.kill('SIGTERM');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
