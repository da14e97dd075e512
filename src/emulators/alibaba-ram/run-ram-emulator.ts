import { createRamEmulator, type RamEmulator } from './create-ram-emulator.ts';
import { SCIM_SCOPE } from './oauth-registry.ts';
import { type RpcCallerKeyInput, RpcCallerKeySchema } from './rpc-caller-keys.ts';

export interface RamEmulatorSettings {
  port: number;
  host?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tokenValiditySeconds?: number | undefined;
  publicUrl?: string | undefined;
  /** The RPC API's full-access AccessKey (generated when absent). */
  accessKeyId?: string | undefined;
  accessKeySecret?: string | undefined;
  /** An optional read-only AccessKey (both halves or neither). */
  readOnlyAccessKeyId?: string | undefined;
  readOnlyAccessKeySecret?: string | undefined;
  /** More RPC AccessKeys, typically with their own RAM action lists (`parseAccessKeyOption`). */
  extraAccessKeys?: readonly RpcCallerKeyInput[] | undefined;
}

export interface RunningRamEmulator {
  emulator: RamEmulator;
  url: string;
  /** What to tell the person who started it: URLs and the OAuth app's credentials (demos only). */
  banner: string[];
}

/**
 * Starts an emulator with one OAuth app for `/acs/scim`, a full-access AccessKey for the RPC API and,
 * when given, a read-only one, and describes it; the caller prints.
 */
export async function runRamEmulator(settings: RamEmulatorSettings): Promise<RunningRamEmulator> {
  if ((settings.readOnlyAccessKeyId === undefined) !== (settings.readOnlyAccessKeySecret === undefined)) {
    throw new RangeError('Give both --read-only-access-key-id and --read-only-access-key-secret, or neither');
  }
  const emulator = createRamEmulator({
    rpcKeys: [
      {
        ...(settings.accessKeyId !== undefined ? { accessKeyId: settings.accessKeyId } : {}),
        ...(settings.accessKeySecret !== undefined ? { accessKeySecret: settings.accessKeySecret } : {}),
        permission: 'full',
      },
      ...(settings.readOnlyAccessKeyId !== undefined && settings.readOnlyAccessKeySecret !== undefined
        ? [
            {
              accessKeyId: settings.readOnlyAccessKeyId,
              accessKeySecret: settings.readOnlyAccessKeySecret,
              permission: 'readOnly' as const,
            },
          ]
        : []),
      ...(settings.extraAccessKeys ?? []),
    ],
    apps: [
      {
        ...(settings.clientId !== undefined ? { clientId: settings.clientId } : {}),
        ...(settings.clientSecret !== undefined ? { clientSecret: settings.clientSecret } : {}),
        ...(settings.tokenValiditySeconds !== undefined
          ? { accessTokenValiditySeconds: settings.tokenValiditySeconds }
          : {}),
        scopes: [SCIM_SCOPE],
      },
    ],
    ...(settings.host !== undefined ? { host: settings.host } : {}),
    ...(settings.publicUrl !== undefined ? { publicUrl: settings.publicUrl } : {}),
  });
  const { url } = await emulator.start(settings.port);
  const [app] = emulator.state.oauth.listApps();
  const fullKey = emulator.state.rpcKeys.find(emulator.state.rpcKeys.list()[0]?.accessKeyId ?? '');
  const rpcHost = url.replace(/^http:\/\//, '');
  const banner = [
    `Alibaba Cloud RAM emulator listening on ${url}`,
    `  SCIM base URL:  ${url}  (RAM: https://scim.aliyun.com)`,
    `  Token endpoint: ${url}/v1/token  (RAM: https://oauth.aliyun.com/v1/token)`,
    `  Client id:      ${app?.clientId ?? ''}`,
    `  Client secret:  ${app?.clientSecret ?? ''}`,
    `  Scope ${SCIM_SCOPE}; access tokens valid ${app?.accessTokenValiditySeconds ?? ''} s`,
    `  RPC endpoint:   ${rpcHost}  (RAM: ram.aliyuncs.com; SDK config endpoint, protocol http)`,
    `  AccessKey id:   ${fullKey?.accessKeyId ?? ''}  (full access)`,
    `  AccessKey secret: ${fullKey?.accessKeySecret ?? ''}`,
    ...(settings.readOnlyAccessKeyId !== undefined
      ? [`  Read-only AccessKey id: ${settings.readOnlyAccessKeyId}`]
      : []),
    ...emulator.state.rpcKeys
      .list()
      .filter((key) => key.permission === 'custom')
      .map((key) => `  AccessKey id: ${key.accessKeyId}  (allowed: ${key.actions.join(', ')})`),
    `  Emulator state: ${url}/_emulator/state`,
  ];
  return { emulator, url, banner };
}

/**
 * Reads one `--rpc-access-key` value: a JSON object such as
 * `{"accessKeyId":"LTAI…","accessKeySecret":"…","actions":["ram:Get*","ram:List*","ram:DeleteUser"]}`
 * (`RpcCallerKeySchema`; `permission: "full" | "readOnly"` instead of `actions` also works).
 */
export function parseAccessKeyOption(text: string, source: string): RpcCallerKeyInput {
  return readAccessKey(parseJson(text, source), source);
}

/** A JSON array of `--rpc-access-key` objects; none when `text` is undefined or empty. */
export function parseAccessKeyList(text: string | undefined, source: string): RpcCallerKeyInput[] {
  if (text === undefined || text === '') return [];
  const value = parseJson(text, source);
  if (!Array.isArray(value)) throw new RangeError(`${source} must be a JSON array of AccessKey objects`);
  return value.map((key) => readAccessKey(key, source));
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RangeError(`${source} must be JSON, e.g. {"accessKeyId":"…","actions":["ram:Get*"]}`);
  }
}

function readAccessKey(value: unknown, source: string): RpcCallerKeyInput {
  const parsed = RpcCallerKeySchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(key)'}: ${issue.message}`,
    );
    throw new RangeError(`${source} is not a valid AccessKey: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Reads a port, validating it; undefined when `text` is undefined or empty. */
export function parsePort(text: string | undefined, source: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`${source} must be a port number from 0 to 65535 (got "${text}")`);
  }
  return port;
}
