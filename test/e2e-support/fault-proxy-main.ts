/**
 * Runs the fault proxy (test/support/fault-proxy.ts) as its own process, for tests whose client and
 * target are other processes:
 *
 *     node test/e2e-support/fault-proxy-main.ts --target <url> [--port N]
 *
 * Prints `Fault proxy listening on <url>` first; drive it over `/_proxy` (GET journal, GET|PUT plan,
 * POST reset) or with startFaultProxyProcess (fault-proxy-process.ts).
 */
import { parseArgs } from 'node:util';
import { createFaultProxy } from '../support/fault-proxy.ts';

try {
  const { values } = parseArgs({
    options: { target: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  if (values.target === undefined) throw new RangeError('--target <url> is required');
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('--port must be 0–65535');
  const proxy = await createFaultProxy({ target: values.target, port, control: true });
  process.stdout.write(`Fault proxy listening on ${proxy.url} (target ${values.target})\n`);
  const stop = async () => {
    await proxy.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
} catch (error) {
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
