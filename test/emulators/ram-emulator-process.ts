/**
 * Runs the RAM emulator the way Lockstep's scenario tests will: its own process
 * (`node src/emulators/alibaba-ram/main.ts --port 0`), reached over HTTP with `fetch`, the URL read
 * from the line it prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before } from 'node:test';

const MAIN = join(import.meta.dirname, '../../src/emulators/alibaba-ram/main.ts');

export const CLIENT_ID = '4637905686741830001';
export const CLIENT_SECRET = 'emulator-test-secret-0123456789';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

export interface EmulatorProcess {
  readonly url: string;
  readonly output: () => string;
  /** The documented token request: query-string parameters and HTTP Basic client authentication. */
  requestToken(clientId?: string, clientSecret?: string): Promise<Answer>;
  /** An access token from the configured app. */
  token(): Promise<string>;
  /** A SCIM request with a Bearer token (a fresh one unless given; `null` sends none). */
  scim(method: string, path: string, options?: { body?: unknown; token?: string | null }): Promise<Answer>;
  /** The emulator's own API under /_emulator. */
  control(method: string, path: string, body?: unknown): Promise<Answer>;
  send(url: string, init: RequestInit): Promise<Answer>;
}

export function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

/** Starts one emulator for the enclosing suite and stops it after; state is reset before each use by the caller. */
export function useEmulatorProcess(extraArgs: string[] = []): EmulatorProcess {
  let child: ChildProcess | undefined;
  let output = '';
  let url = '';

  before(async () => {
    child = spawn(
      process.execPath,
      [MAIN, '--port', '0', '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        url = match[1];
        break;
      }
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`The emulator did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  const send = async (target: string, init: RequestInit): Promise<Answer> => {
    const response = await fetch(target, init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  };

  const requestToken = (clientId = CLIENT_ID, clientSecret = CLIENT_SECRET) =>
    send(`${url}/v1/token?grant_type=client_credentials&client_id=${clientId}`, {
      method: 'POST',
      headers: { authorization: basic(clientId, clientSecret) },
    });

  const token = async () => {
    const answer = await requestToken();
    if (answer.status !== 200) throw new Error(`token request failed: ${JSON.stringify(answer.body)}`);
    return answer.body.access_token as string;
  };

  return {
    get url() {
      return url;
    },
    output: () => output,
    requestToken,
    token,
    async scim(method, path, options = {}) {
      const bearer = options.token === undefined ? await token() : options.token;
      const headers: Record<string, string> = {};
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return send(`${url}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    },
    control: (method, path, body) =>
      send(`${url}/_emulator${path}`, {
        method,
        ...(body !== undefined
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
          : {}),
      }),
    send,
  };
}

/** `/Users?filter=…` with the filter percent-encoded, as clients send it. */
export function filterPath(filter: string, extra = ''): string {
  return `/Users?filter=${encodeURIComponent(filter)}${extra}`;
}

/** A user body as RAM's guide writes one. */
export function userBody(
  userName: string,
  displayName: string,
  externalId?: string,
): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    userName,
    displayName,
    ...(externalId !== undefined ? { externalId } : {}),
  };
}
