/**
 * Runs the Alibaba Cloud RAM emulator as its own process:
 *
 *     node src/emulators/alibaba-ram/main.ts [--port N] [--host H] [--client-id X] [--client-secret Y]
 *                                            [--token-validity SECONDS] [--public-url URL]
 *                                            [--access-key-id ID --access-key-secret S]
 *                                            [--read-only-access-key-id ID --read-only-access-key-secret S]
 *                                            [--rpc-access-key JSON]...
 *
 * The port also comes from RAM_EMULATOR_PORT (default 0: any free port); the client id and secret
 * from RAM_EMULATOR_CLIENT_ID / RAM_EMULATOR_CLIENT_SECRET (generated when absent); the RPC API's
 * full-access AccessKey from RAM_EMULATOR_ACCESS_KEY_ID / RAM_EMULATOR_ACCESS_KEY_SECRET (generated
 * when absent), the read-only one from RAM_EMULATOR_READ_ONLY_ACCESS_KEY_ID / _SECRET. Each
 * `--rpc-access-key` (repeatable) adds a key with its own RAM actions, as JSON:
 * `{"accessKeyId":"…","accessKeySecret":"…","actions":["ram:Get*","ram:List*","ram:DeleteUser"]}`;
 * RAM_EMULATOR_RPC_ACCESS_KEYS may hold a JSON array of the same. The first line
 * printed is `Alibaba Cloud RAM emulator listening on <url>`; tests read the URL from it.
 */
import { parseArgs } from 'node:util';
import { parseAccessKeyList, parseAccessKeyOption, parsePort, runRamEmulator } from './run-ram-emulator.ts';

try {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'token-validity': { type: 'string' },
      'public-url': { type: 'string' },
      'access-key-id': { type: 'string' },
      'access-key-secret': { type: 'string' },
      'read-only-access-key-id': { type: 'string' },
      'read-only-access-key-secret': { type: 'string' },
      'rpc-access-key': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const validity = values['token-validity'] === undefined ? undefined : Number(values['token-validity']);
  if (validity !== undefined && !(validity > 0))
    throw new RangeError('--token-validity must be a positive number of seconds');
  const extraAccessKeys = [
    ...parseAccessKeyList(process.env.RAM_EMULATOR_RPC_ACCESS_KEYS, 'RAM_EMULATOR_RPC_ACCESS_KEYS'),
    ...(values['rpc-access-key'] ?? []).map((text) => parseAccessKeyOption(text, '--rpc-access-key')),
  ];
  const running = await runRamEmulator({
    port:
      parsePort(values.port, '--port') ?? parsePort(process.env.RAM_EMULATOR_PORT, 'RAM_EMULATOR_PORT') ?? 0,
    host: values.host,
    clientId: values['client-id'] ?? process.env.RAM_EMULATOR_CLIENT_ID,
    clientSecret: values['client-secret'] ?? process.env.RAM_EMULATOR_CLIENT_SECRET,
    tokenValiditySeconds: validity,
    publicUrl: values['public-url'],
    accessKeyId: values['access-key-id'] ?? process.env.RAM_EMULATOR_ACCESS_KEY_ID,
    accessKeySecret: values['access-key-secret'] ?? process.env.RAM_EMULATOR_ACCESS_KEY_SECRET,
    readOnlyAccessKeyId:
      values['read-only-access-key-id'] ?? process.env.RAM_EMULATOR_READ_ONLY_ACCESS_KEY_ID,
    readOnlyAccessKeySecret:
      values['read-only-access-key-secret'] ?? process.env.RAM_EMULATOR_READ_ONLY_ACCESS_KEY_SECRET,
    extraAccessKeys,
  });
  for (const line of running.banner) process.stdout.write(`${line}\n`);
  const stop = async () => {
    await running.emulator.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
} catch (error) {
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
