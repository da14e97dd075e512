import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { parseWholeNumber } from './admin-command.ts';
import { UsageError } from './cli-output.ts';

/** The native API flags of `target create` and `target update` (alibaba-ram: RAM's OpenAPI). */
export interface NativeApiOptions {
  nativeEndpoint?: string;
  nativeProtocol?: 'https' | 'http';
  nativeRegion?: string;
  nativeAccessKeyId?: string;
  nativeAccessKeySecret?: string;
  nativeAccessKeySecretFile?: string;
  nativeTimeoutMs?: number;
  removeNativeApi?: boolean;
}

/** The native API as the admin API takes it; on update, the fields given change the stored ones. */
export interface NativeApiBody {
  endpoint?: string;
  protocol?: 'https' | 'http';
  regionId?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  readTimeoutMs?: number;
}

export function addNativeApiOptions(command: Command, update: boolean): Command {
  const added = command
    .option(
      '--native-endpoint <host[:port]>',
      "alibaba-ram: RAM's OpenAPI endpoint, without a scheme (default ram.aliyuncs.com)",
    )
    .addOption(
      new Option('--native-protocol <protocol>', 'alibaba-ram: https (default) or http').choices([
        'https',
        'http',
      ]),
    )
    .option('--native-region <id>', 'alibaba-ram: the region the SDK signs for (default cn-hangzhou)')
    .option(
      '--native-access-key-id <id>',
      'alibaba-ram: the AccessKey id Lockstep clears special states with (e.g. LTAI...)',
    )
    .option(
      '--native-access-key-secret <secret>',
      'its AccessKey secret (better: --native-access-key-secret-file)',
    )
    .option('--native-access-key-secret-file <path>', 'read the AccessKey secret from a file')
    .option(
      '--native-timeout-ms <ms>',
      'per request read timeout of the native API (default 10000)',
      parseWholeNumber,
    );
  return update ? added.option('--remove-native-api', 'remove the native API and its AccessKey') : added;
}

/**
 * The native API the flags describe: undefined when none was given, null to remove it. A new native
 * API needs an AccessKey id and secret; an update sends only what changes (a secret left out is kept).
 */
export async function buildNativeApi(
  options: NativeApiOptions,
  creating: boolean,
): Promise<NativeApiBody | null | undefined> {
  if (options.nativeAccessKeySecret !== undefined && options.nativeAccessKeySecretFile !== undefined)
    throw new UsageError('Give only one of --native-access-key-secret and --native-access-key-secret-file');
  const accessKeySecret =
    options.nativeAccessKeySecretFile !== undefined
      ? await readSecretFile(options.nativeAccessKeySecretFile)
      : options.nativeAccessKeySecret;
  const body: NativeApiBody = Object.fromEntries(
    Object.entries({
      endpoint: options.nativeEndpoint,
      protocol: options.nativeProtocol,
      regionId: options.nativeRegion,
      accessKeyId: options.nativeAccessKeyId,
      accessKeySecret,
      readTimeoutMs: options.nativeTimeoutMs,
    }).filter(([, value]) => value !== undefined),
  );
  const given = Object.keys(body).length > 0;
  if (options.removeNativeApi) {
    if (given) throw new UsageError('Give either --remove-native-api or native API options, not both');
    return null;
  }
  if (!given) return undefined;
  if (creating && (body.accessKeyId === undefined || body.accessKeySecret === undefined))
    throw new UsageError('A native API needs --native-access-key-id and --native-access-key-secret(-file)');
  return body;
}

/** The secret in a file, one trailing newline dropped. */
async function readSecretFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read --native-access-key-secret-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.trim() === '') throw new UsageError(`No AccessKey secret in ${path}`);
  return secret;
}
