import type { Command } from 'commander';
import { parsePort, runRamEmulator } from '../emulators/alibaba-ram/run-ram-emulator.ts';

/**
 * `lockstep emulate ram`: a local Alibaba Cloud RAM (OAuth token endpoint and SCIM /Users) for demos
 * and manual tests. It prints the base URL and the client id and secret to configure a target with.
 */
export function registerEmulateCommand(program: Command): void {
  const emulate = program.command('emulate').description('Run a local stand-in for a cloud target');
  emulate
    .command('ram')
    .description('Alibaba Cloud RAM: the /v1/token endpoint and the SCIM /Users API, in memory')
    .option('--port <port>', 'port to listen on (default: $RAM_EMULATOR_PORT or any free port)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--client-id <id>', 'client id of the OAuth app (default: generated)')
    .option('--client-secret <secret>', 'client secret of the OAuth app (default: generated)')
    .option('--token-validity <seconds>', 'access token validity in seconds', '3600')
    .action(
      async (options: {
        port?: string;
        host: string;
        clientId?: string;
        clientSecret?: string;
        tokenValidity: string;
      }) => {
        const validity = Number(options.tokenValidity);
        if (!(validity > 0)) throw new RangeError('--token-validity must be a positive number of seconds');
        const running = await runRamEmulator({
          port:
            parsePort(options.port, '--port') ??
            parsePort(process.env.RAM_EMULATOR_PORT, 'RAM_EMULATOR_PORT') ??
            0,
          host: options.host,
          clientId: options.clientId ?? process.env.RAM_EMULATOR_CLIENT_ID,
          clientSecret: options.clientSecret ?? process.env.RAM_EMULATOR_CLIENT_SECRET,
          tokenValiditySeconds: validity,
        });
        for (const line of running.banner) console.log(line);
        const stop = async () => {
          await running.emulator.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
      },
    );
}
