/**
 * The Alibaba Cloud RAM emulator in its own process with a lifetime the test manages (crash tests
 * start and stop things in their own order; test/emulators/ram-emulator-process.ts ties the
 * emulator to a suite's before/after hooks). Its state lives in memory: it is not restartable.
 */
import { join } from 'node:path';
import { basic, CLIENT_ID, CLIENT_SECRET } from '../emulators/ram-emulator-process.ts';
import { type Answer, createTokenCache, sendJson } from './http-answer.ts';
import { spawnWatched } from './spawn-watched.ts';

const MAIN = join(import.meta.dirname, '../../src/emulators/alibaba-ram/main.ts');

/** The RPC API's AccessKeys the emulator starts with unless told otherwise. */
export const RPC_ACCESS_KEY = {
  id: 'LTAI5tEmulatorFullAccess01',
  secret: 'emulator-full-access-secret-0123456789',
};
export const RPC_READ_ONLY_ACCESS_KEY = {
  id: 'LTAI5tEmulatorReadOnly0001',
  secret: 'emulator-read-only-secret-0123456789',
};

export interface RamAccessKeyPair {
  readonly id: string;
  readonly secret: string;
}

export interface RamEmulatorOptions {
  /** The OAuth app the emulator starts with (defaults: the emulator suites' CLIENT_ID / CLIENT_SECRET). */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** The RPC API's full-access and read-only AccessKeys (defaults: RPC_ACCESS_KEY, RPC_READ_ONLY_ACCESS_KEY). */
  readonly accessKey?: RamAccessKeyPair;
  readonly readOnlyAccessKey?: RamAccessKeyPair;
  /** More arguments for main.ts, e.g. `['--token-validity', '60']`. */
  readonly args?: readonly string[];
}

export interface RamEmulator {
  /** The SCIM base URL (RAM's https://scim.aliyun.com): `/Users` is `${url}/Users`. */
  readonly url: string;
  /** RAM's token endpoint: `${url}/v1/token`. */
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** RAM's RPC API endpoint as the SDK's config takes it (`127.0.0.1:<port>`, protocol http). */
  readonly rpcEndpoint: string;
  readonly accessKey: RamAccessKeyPair;
  readonly readOnlyAccessKey: RamAccessKeyPair;
  output(): string;
  /** A new access token (RAM's documented request: query parameters and HTTP Basic). */
  token(): Promise<string>;
  /** A SCIM request with a cached bearer token (fetched again once on a 401). */
  scim(method: string, path: string, body?: unknown): Promise<Answer>;
  /** The emulator's own API: `control('GET', '/state')` is `GET /_emulator/state`. */
  control(method: string, path: string, body?: unknown): Promise<Answer>;
  /** Sends `signal` (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export async function startRamEmulator(options: RamEmulatorOptions = {}): Promise<RamEmulator> {
  const clientId = options.clientId ?? CLIENT_ID;
  const clientSecret = options.clientSecret ?? CLIENT_SECRET;
  const accessKey = options.accessKey ?? RPC_ACCESS_KEY;
  const readOnlyAccessKey = options.readOnlyAccessKey ?? RPC_READ_ONLY_ACCESS_KEY;
  const emulator = spawnWatched([
    MAIN,
    '--port',
    '0',
    '--client-id',
    clientId,
    '--client-secret',
    clientSecret,
    '--access-key-id',
    accessKey.id,
    '--access-key-secret',
    accessKey.secret,
    '--read-only-access-key-id',
    readOnlyAccessKey.id,
    '--read-only-access-key-secret',
    readOnlyAccessKey.secret,
    ...(options.args ?? []),
  ]);
  const url = (await emulator.waitFor(/listening on (http:\/\/\S+)/, 15_000))[1] ?? '';
  const tokens = createTokenCache();
  const requestToken = async () => {
    const answer = await sendJson(
      `${url}/v1/token?grant_type=client_credentials&client_id=${encodeURIComponent(clientId)}`,
      'POST',
      { headers: { authorization: basic(clientId, clientSecret) } },
    );
    if (answer.status !== 200) throw new Error(`RAM token request failed: ${JSON.stringify(answer.body)}`);
    return { token: answer.body.access_token as string, expiresIn: Number(answer.body.expires_in) };
  };
  const scimOnce = async (method: string, path: string, body: unknown) =>
    sendJson(`${url}${path}`, method, {
      body,
      headers: { authorization: `Bearer ${await tokens.get('app', requestToken)}` },
    });
  return {
    url,
    tokenEndpoint: `${url}/v1/token`,
    clientId,
    clientSecret,
    rpcEndpoint: url.replace(/^http:\/\//, ''),
    accessKey,
    readOnlyAccessKey,
    output: emulator.output,
    token: async () => (await requestToken()).token,
    async scim(method, path, body) {
      const answer = await scimOnce(method, path, body);
      if (answer.status !== 401) return answer;
      tokens.forget('app');
      return scimOnce(method, path, body);
    },
    control: (method, path, body) => sendJson(`${url}/_emulator${path}`, method, { body }),
    kill: (signal = 'SIGKILL') => emulator.kill(signal),
    stop: () => emulator.kill('SIGTERM'),
  };
}

/** The admin API body of a `alibaba-ram` target reaching this emulator the way RAM is reached (OAuth client credentials). */
export function ramTargetBody(ram: RamEmulator, name = 'RAM'): Record<string, unknown> {
  return {
    name,
    profile: 'alibaba-ram',
    connection: {
      baseUrl: ram.url,
      authentication: {
        kind: 'oauth_client_credentials',
        tokenUrl: ram.tokenEndpoint,
        clientId: ram.clientId,
        clientSecret: ram.clientSecret,
      },
    },
  };
}

/** The `nativeApi` of an `alibaba-ram` target reaching this emulator's RPC API (RAM's OpenAPI) with an AccessKey. */
export function ramNativeApiBody(
  ram: RamEmulator,
  key: RamAccessKeyPair = ram.accessKey,
): Record<string, unknown> {
  return { endpoint: ram.rpcEndpoint, protocol: 'http', accessKeyId: key.id, accessKeySecret: key.secret };
}
