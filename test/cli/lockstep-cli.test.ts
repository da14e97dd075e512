/**
 * Drives the real `lockstep` binary: `serve` on a fresh data directory (the README's quick start), the
 * first-start token, and the tenant / token commands against the same database while it runs.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const BIN = join(import.meta.dirname, '../../bin/lockstep.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('lockstep CLI', () => {
  let dataDir: string;
  let server: ChildProcess;
  let output = '';
  let url = '';
  let firstToken = '';
  const env = () => ({ LOCKSTEP_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lockstep-cli-'));
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    server.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 20_000;
    while (!/Bearer token \(shown once/.test(output)) {
      if (Date.now() > deadline) throw new Error(`serve did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    firstToken = /(lst_[A-Za-z0-9_-]+)/.exec(output)?.[1] ?? '';
  });

  after(() => {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const scim = (token: string, path = '/t/default/scim/v2/Users') =>
    fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('serve prints the SCIM base URL and a first token that works', async () => {
    assert.match(output, /SCIM base URL: http:\/\/127\.0\.0\.1:\d+\/t\/default\/scim\/v2/);
    const response = await scim(firstToken);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { totalResults: number }).totalResults, 0);
  });

  it('token create prints a new token once; revoke stops it within seconds', async () => {
    const created = await runCli(
      ['token', 'create', '--tenant', 'default', '--label', 'entra', '--json'],
      env(),
    );
    assert.equal(created.code, 0, created.stderr);
    const { id, token } = JSON.parse(created.stdout);
    assert.equal((await scim(token)).status, 200);

    const listed = await runCli(['token', 'list', '--tenant', 'default'], env());
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /entra/);
    assert.doesNotMatch(listed.stdout, /lst_/, 'token values are never listed');

    const revoked = await runCli(['token', 'revoke', '--tenant', 'default', id], env());
    assert.equal(revoked.code, 0, revoked.stderr);
    // The server trusts a token it verified for up to 2 s (decision 0005); the CLI is another process.
    const deadline = Date.now() + 5_000;
    let status = (await scim(token)).status;
    while (status !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await scim(token)).status;
    }
    assert.equal(status, 401);
  });

  it('tenant create and list; a token only opens its own tenant', async () => {
    const created = await runCli(['tenant', 'create', 'globex', '--name', 'Globex'], env());
    assert.equal(created.code, 0, created.stderr);
    const listed = await runCli(['tenant', 'list', '--json'], env());
    assert.deepEqual(
      JSON.parse(listed.stdout).map((t: { id: string }) => t.id),
      ['default', 'globex'],
    );
    const { token } = JSON.parse(
      (await runCli(['token', 'create', '--tenant', 'globex', '--json'], env())).stdout,
    );
    assert.equal((await scim(token, '/t/globex/scim/v2/Users')).status, 200);
    assert.equal((await scim(token, '/t/default/scim/v2/Users')).status, 401);
  });

  it('exit codes say what went wrong', async () => {
    assert.equal((await runCli(['tenant', 'create', 'Not Valid'], env())).code, 2);
    assert.equal((await runCli(['tenant', 'create', 'globex'], env())).code, 4);
    const missing = await runCli(['token', 'create', '--tenant', 'nope'], env());
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /Tenant "nope" not found/);
    assert.equal((await runCli(['no-such-command'], env())).code, 2);
    const help = await runCli(['token', '--help'], env());
    assert.equal(help.code, 0);
    assert.match(help.stdout, /create/);
    const badConfig = await runCli(['tenant', 'list'], { ...env(), DATABASE_URL: 'mysql://x' });
    assert.equal(badConfig.code, 78);
    assert.match(badConfig.stderr, /DATABASE_URL/);
  });
});
