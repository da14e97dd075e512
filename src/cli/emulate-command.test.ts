/**
 * `lockstep emulate ram` as a command: a program with only this command registered, run as its own
 * process, must print the URL and the credentials it was given, and those credentials must get a token.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const COMMAND = pathToFileURL(`${import.meta.dirname}/emulate-command.ts`).href;

describe('lockstep emulate ram', () => {
  it('starts the RAM emulator with the given client id and secret', async () => {
    const script = [
      "import { Command } from 'commander';",
      `import { registerEmulateCommand } from ${JSON.stringify(COMMAND)};`,
      "const program = new Command('lockstep');",
      'registerEmulateCommand(program);',
      "await program.parseAsync(['emulate', 'ram', '--port', '0', '--client-id', 'demo-id', '--client-secret', 'demo-secret', '--token-validity', '900'], { from: 'user' });",
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: `${import.meta.dirname}/../..`,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    try {
      const deadline = Date.now() + 15_000;
      while (!/Emulator state:/.test(output)) {
        if (child.exitCode !== null || Date.now() > deadline) assert.fail(`did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      assert.match(output, /Client id: +demo-id/);
      assert.match(output, /Client secret: +demo-secret/);
      const response = await fetch(`${url}/v1/token?grant_type=client_credentials&client_id=demo-id`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('demo-id:demo-secret').toString('base64')}` },
      });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { expires_in: string }).expires_in, '899');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
