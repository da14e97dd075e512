/**
 * Drives the real `lockstep` binary against two running `lockstep serve` processes: the hub (tenant
 * `default`, its engine running) and a second Lockstep as the target, reached with OAuth client
 * credentials. Targets (secrets from the environment and standard input, never printed back; test
 * connectivity ok and failing), provisionings (config file, enable, push with --json, Ctrl-C cancels),
 * the log, failed events and links, runs, and removal with --strategy Keep.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, type CliRun, eventually, type RunningServe, runCli, startServe } from './cli-process.ts';

const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, conflict: 4, interrupted: 130 };
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const WRONG_SECRET = 'lss_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

interface Tally {
  total: number;
  success: number;
  failed: number;
}
interface Run {
  id: string;
  kind: string;
  status: string;
  statistics: Record<'created' | 'updated' | 'deleted' | 'same' | 'skipped', Tally> & {
    planned: number;
    pending: number;
  };
}

function json<T = Record<string, unknown>>(run: CliRun): T {
  assert.equal(run.code, EXIT.ok, `exit ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

/** The binary with `input` on its standard input (for --client-secret-stdin). */
function runCliWithInput(
  args: readonly string[],
  env: Record<string, string>,
  input: string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const { LOCKSTEP_ADMIN_TOKEN, LOCKSTEP_URL, DATABASE_URL, ...rest } = process.env;
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...rest, ...env } });
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
    child.stdin.end(`${input}\n`);
  });
}

describe('lockstep target / provisioning / run commands against running servers', () => {
  const dirs: string[] = [];
  let hub: RunningServe;
  let remote: RunningServe;
  let env: Record<string, string>;
  let hubScimSecret: string;
  let remoteApp: { clientId: string; secret: string };
  const cli = (...args: string[]) => runCli(args, env);
  const remoteBase = () => `${remote.url}/t/globex`;

  before(async () => {
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(join(tmpdir(), 'lockstep-provisioning-cli-')));
    const rates = { LOCKSTEP_TOKEN_RATE_PER_APP: '100000', LOCKSTEP_TOKEN_RATE_PER_IP: '100000' };
    [hub, remote] = await Promise.all([
      startServe({ LOCKSTEP_DATA_DIR: dirs[0] ?? '', LOG_LEVEL: 'info' }),
      startServe({ LOCKSTEP_DATA_DIR: dirs[1] ?? '', LOG_LEVEL: 'warn', ...rates }),
    ]);
    env = { LOCKSTEP_URL: hub.url, LOCKSTEP_ADMIN_TOKEN: hub.adminToken, LOG_LEVEL: 'warn' };
    const printed = /Client secret \(shown once[^:]*\): (\S+)\n/;
    const output = await eventually(
      async () => hub.output(),
      (text) => printed.test(text),
      10_000,
    );
    const secret = printed.exec(output)?.[1];
    assert.ok(secret, 'the hub printed its default app secret');
    hubScimSecret = secret;

    const remoteEnv = { LOCKSTEP_URL: remote.url, LOCKSTEP_ADMIN_TOKEN: remote.adminToken };
    assert.equal((await runCli(['tenant', 'create', 'globex'], remoteEnv)).code, EXIT.ok);
    const app = json<{ app: { clientId: string }; secret: { value: string } }>(
      await runCli(['app', 'create', '--tenant', 'globex', '--name', 'hub', '--json'], remoteEnv),
    );
    remoteApp = { clientId: app.app.clientId, secret: app.secret.value };
  });

  after(async () => {
    await Promise.all([hub?.stop(), remote?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const createHubUser = async (userName: string) => {
    const answer = await fetch(`${hub.url}/t/default/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hubScimSecret}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER_SCHEMA], userName, displayName: userName.split('@')[0] }),
    });
    assert.equal(answer.status, 201, await answer.clone().text());
    return ((await answer.json()) as { id: string }).id;
  };

  const remoteUserNames = async () => {
    const token = await fetch(`${remoteBase()}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${remoteApp.clientId}:${remoteApp.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const users = await fetch(`${remoteBase()}/scim/v2/Users`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const body = (await users.json()) as { Resources?: { userName: string }[] };
    return (body.Resources ?? []).map((user) => user.userName).sort();
  };

  let targetId = '';
  let provisioningId = '';
  const userIds: string[] = [];

  it('target create takes the secret from $LOCKSTEP_TARGET_SECRET and never prints it back', async () => {
    const missing = await cli(
      ...['target', 'create', '--tenant', 'default', '--name', 'x', '--profile', 'lockstep'],
      ...['--base-url', `${remoteBase()}/scim/v2`, '--token-url', `${remoteBase()}/oauth2/token`],
      ...['--client-id', remoteApp.clientId],
    );
    assert.equal(missing.code, EXIT.usage, missing.stderr);
    assert.match(missing.stderr, /client secret/i);

    const created = await runCli(
      [
        ...['target', 'create', '--tenant', 'default', '--name', 'Globex', '--profile', 'lockstep'],
        ...['--base-url', `${remoteBase()}/scim/v2`, '--token-url', `${remoteBase()}/oauth2/token`],
        ...['--client-id', remoteApp.clientId, '--json'],
      ],
      { ...env, LOCKSTEP_TARGET_SECRET: remoteApp.secret },
    );
    const target = json<{ id: string; authentication: { kind: string; secretSet: boolean } }>(created);
    assert.equal(target.authentication.kind, 'oauth_client_credentials');
    assert.equal(target.authentication.secretSet, true);
    targetId = target.id;

    const shown = await cli('target', 'show', '--tenant', 'default', targetId);
    assert.equal(shown.code, EXIT.ok, shown.stderr);
    assert.match(shown.stdout, /^Client secret:\s+set, never shown$/m);
    const listed = await cli('target', 'list', '--tenant', 'default');
    assert.match(listed.stdout, /^ID\s+NAME\s+PROFILE\s+STATUS\s+BASE URL\s+AUTHENTICATION$/m);
    assert.match(listed.stdout, new RegExp(`^${targetId}\\s+Globex\\s+lockstep\\s+active\\s`, 'm'));
    for (const output of [created.stdout, shown.stdout, listed.stdout])
      assert.ok(!output.includes(remoteApp.secret), 'the secret is never printed');
  });

  it('target test prints each step: ok, or failed with exit 1 for a wrong secret fixed by update', async () => {
    const good = await cli('target', 'test', '--tenant', 'default', targetId);
    assert.equal(good.code, EXIT.ok, good.stdout + good.stderr);
    assert.match(good.stdout, /^STATUS\s+STEP\s+MESSAGE$/m);
    assert.match(good.stdout, /^ok\s+authenticate\s+\S/m);
    assert.match(good.stdout, /^ok\s+lookup\s+\S/m);

    const bad = json<{ id: string }>(
      await runCliWithInput(
        [
          ...['target', 'create', '--tenant', 'default', '--name', 'Wrong', '--profile', 'lockstep'],
          ...['--base-url', `${remoteBase()}/scim/v2`, '--token-url', `${remoteBase()}/oauth2/token`],
          ...['--client-id', remoteApp.clientId, '--client-secret-stdin', '--json'],
        ],
        env,
        WRONG_SECRET,
      ),
    );
    const failing = await cli('target', 'test', '--tenant', 'default', bad.id);
    assert.equal(failing.code, EXIT.failure, failing.stdout + failing.stderr);
    assert.match(failing.stdout, /^failed\s+authenticate\s+\S/m);
    assert.match(failing.stdout, /^skipped\s+lookup\s/m);
    assert.match(failing.stdout, /failed the test/);
    const report = await cli('target', 'test', '--tenant', 'default', bad.id, '--json');
    assert.equal(report.code, EXIT.failure);
    assert.equal((JSON.parse(report.stdout) as { ok: boolean }).ok, false);

    // Rotating the secret through standard input keeps everything else.
    const updated = await runCliWithInput(
      ['target', 'update', '--tenant', 'default', bad.id, '--client-secret-stdin', '--json'],
      env,
      remoteApp.secret,
    );
    assert.equal(json<{ baseUrl: string }>(updated).baseUrl, `${remoteBase()}/scim/v2`);
    assert.ok(!updated.stdout.includes(remoteApp.secret));
    assert.equal((await cli('target', 'test', '--tenant', 'default', bad.id)).code, EXIT.ok);
    assert.equal(
      (await cli('target', 'delete', '--tenant', 'default', bad.id)).code,
      EXIT.usage,
      'needs --yes',
    );
    assert.equal((await cli('target', 'delete', '--tenant', 'default', bad.id, '--yes')).code, EXIT.ok);
    assert.equal((await cli('target', 'show', '--tenant', 'default', bad.id)).code, EXIT.notFound);
  });

  it('provisioning create --disabled with a config file; push refuses until enabled', async () => {
    const configFile = join(dirs[0] ?? '', 'provisioning.json');
    writeFileSync(configFile, JSON.stringify({ deletionStrategy: 'Delete', matching: ['userName'] }));
    const created = json<{ id: string; status: string; config: { deletionStrategy: string } }>(
      await cli(
        ...['provisioning', 'create', '--tenant', 'default', '--name', 'to Globex', '--target', targetId],
        ...['--config', configFile, '--disabled', '--json'],
      ),
    );
    assert.equal(created.status, 'disabled');
    assert.equal(created.config.deletionStrategy, 'Delete');
    provisioningId = created.id;

    const refused = await cli('provisioning', 'push', '--tenant', 'default', provisioningId);
    assert.equal(refused.code, EXIT.conflict, refused.stderr);
    assert.match(refused.stderr, /enable it first/);

    writeFileSync(configFile, JSON.stringify({ duplicationStrategy: 'Sometimes' }));
    const invalid = await cli(
      'provisioning',
      'update',
      '--tenant',
      'default',
      provisioningId,
      '--config',
      configFile,
    );
    assert.equal(invalid.code, EXIT.usage, invalid.stderr);

    const listed = await cli('provisioning', 'list', '--tenant', 'default');
    assert.match(
      listed.stdout,
      new RegExp(`^${provisioningId}\\s+to Globex\\s+${targetId}\\s+disabled\\s+Delete`, 'm'),
    );
  });

  it('enabling starts a full push that creates the users on the target', async () => {
    for (const name of ['ada', 'grace', 'alan']) userIds.push(await createHubUser(`${name}@example.com`));
    const enabled = await cli('provisioning', 'update', '--tenant', 'default', provisioningId, '--enable');
    assert.equal(enabled.code, EXIT.ok, enabled.stderr);
    const runId = /run show --tenant default (run_\w+)/.exec(enabled.stdout)?.[1];
    assert.ok(runId, enabled.stdout);
    const run = json<Run>(await cli('run', 'show', '--tenant', 'default', runId, '--follow', '--json'));
    assert.equal(run.status, 'success');
    assert.equal(run.statistics.created.success, 3);
    assert.deepEqual(await remoteUserNames(), ['ada@example.com', 'alan@example.com', 'grace@example.com']);

    const shown = await cli('run', 'show', '--tenant', 'default', runId);
    assert.match(shown.stdout, /^Status:\s+success$/m);
    assert.match(shown.stdout, /^\s+TOTAL\s+SUCCESS\s+FAILED$/m);
    assert.match(shown.stdout, /^Created\s+3\s+3\s+0$/m);
  });

  it('provisioning push --json waits without a bar and ends with the run: everyone is the same', async () => {
    const pushed = await cli('provisioning', 'push', '--tenant', 'default', provisioningId, '--json');
    assert.equal(pushed.code, EXIT.ok, pushed.stderr);
    assert.equal(pushed.stderr, '', 'no progress bar without a terminal');
    const run = JSON.parse(pushed.stdout) as Run;
    assert.equal(run.kind, 'full-push');
    assert.equal(run.status, 'success');
    assert.equal(run.statistics.planned, 3);
    assert.equal(run.statistics.pending, 0);
    assert.deepEqual(run.statistics.same, { total: 3, success: 3, failed: 0 });

    const table = await cli('provisioning', 'push', '--tenant', 'default', provisioningId);
    assert.equal(table.code, EXIT.ok, table.stderr);
    assert.match(table.stdout, /ended: success/);
    assert.match(table.stdout, /^Same\s+3\s+3\s+0$/m);
    for (const label of ['Created', 'Updated', 'Deleted', 'Skipped'])
      assert.match(table.stdout, new RegExp(`^${label}\\s+0\\s+0\\s+0$`, 'm'));

    const started = json<Run>(
      await cli('provisioning', 'push', '--tenant', 'default', provisioningId, '--no-wait', '--json'),
    );
    assert.ok(['pending', 'running', 'success'].includes(started.status), started.status);
    const runs = json<{ items: Run[] }>(
      await cli('provisioning', 'runs', '--tenant', 'default', provisioningId, '--json'),
    );
    assert.equal(runs.items[0]?.id, started.id);
  });

  it('log, events and links list what happened, filtered', async () => {
    const log = json<{ items: { action: string; status: string; objectId: string }[] }>(
      await cli('provisioning', 'log', '--tenant', 'default', provisioningId, '--action', 'create', '--json'),
    );
    assert.equal(log.items.length, 3);
    assert.ok(log.items.every((entry) => entry.status === 'success'));
    const limited = json<{ items: unknown[] }>(
      await cli(
        'provisioning',
        'log',
        '--tenant',
        'default',
        provisioningId,
        '--status',
        'success',
        '--limit',
        '2',
        '--json',
      ),
    );
    assert.equal(limited.items.length, 2);
    const table = await cli(
      'provisioning',
      'log',
      '--tenant',
      'default',
      provisioningId,
      '--object',
      userIds[0] ?? '',
    );
    assert.match(table.stdout, /^AT\s+ACTION\s+STATUS\s+OBJECT\s+ACCOUNT\s+HTTP\s+MESSAGE$/m);
    assert.match(table.stdout, new RegExp(`\\screate\\s+success\\s+${userIds[0]}\\s`));
    const badStatus = await cli(
      'provisioning',
      'log',
      '--tenant',
      'default',
      provisioningId,
      '--status',
      'nope',
    );
    assert.equal(badStatus.code, EXIT.usage);

    assert.deepEqual(
      json(await cli('provisioning', 'events', '--tenant', 'default', provisioningId, '--json')),
      { items: [] },
    );
    const events = await cli('provisioning', 'events', '--tenant', 'default', provisioningId);
    assert.match(events.stdout, /^OBJECT\s+ACTION\s+ERRORS\s+CODE\s+LAST ATTEMPT\s+MESSAGE$/m);

    const links = json<{ items: { objectId: string; state: string; createdByUs: boolean }[] }>(
      await cli('provisioning', 'links', '--tenant', 'default', provisioningId, '--json'),
    );
    assert.equal(links.items.length, 3);
    assert.ok(links.items.every((link) => link.state === 'active' && link.createdByUs));
    const one = await cli(
      'provisioning',
      'links',
      '--tenant',
      'default',
      provisioningId,
      '--object',
      userIds[1] ?? '',
    );
    assert.match(one.stdout, /^OBJECT\s+TYPE\s+ACCOUNT\s+STATE\s+CREATED BY US\s+UPDATED\s+LAST ERROR$/m);
    assert.match(one.stdout, new RegExp(`^${userIds[1]}\\s+User\\s+\\S+\\s+active\\s+yes\\s`, 'm'));
    assert.equal(one.stdout.trim().split('\n').length, 2);
  });

  it('Ctrl-C during provisioning push cancels the run (exit 130); run cancel cancels another', async () => {
    const port = await freePort();
    const dead = json<{ id: string }>(
      await cli(
        ...['target', 'create', '--tenant', 'default', '--name', 'Down', '--profile', 'generic-scim'],
        ...['--base-url', `http://127.0.0.1:${port}/scim/v2`, '--bearer-token', 'not-a-real-token', '--json'],
      ),
    );
    const stuck = json<{ id: string }>(
      await cli(
        'provisioning',
        'create',
        '--tenant',
        'default',
        '--name',
        'to Down',
        '--target',
        dead.id,
        '--json',
      ),
    );
    // Every object waits for retries against a target that is down: the run cannot end by itself.
    const { LOCKSTEP_ADMIN_TOKEN, LOCKSTEP_URL, DATABASE_URL, ...rest } = process.env;
    const child = spawn(process.execPath, [BIN, 'provisioning', 'push', '--tenant', 'default', stuck.id], {
      env: { ...rest, ...env },
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
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await eventually(
      async () => stdout,
      (text) => text.includes('Waiting for full-push run'),
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill('SIGINT');
    assert.equal(await exited, EXIT.interrupted, stdout + stderr);
    assert.match(stderr, /Cancelling run run_\w+/);
    assert.match(stdout, /ended: cancelled/);

    const runs = json<{ items: Run[] }>(
      await cli('provisioning', 'runs', '--tenant', 'default', stuck.id, '--json'),
    );
    const first = runs.items.find((run) => run.status === 'running' || run.status === 'pending');
    assert.ok(first, 'the full push that creating the provisioning started still runs');
    const cancelled = await cli('run', 'cancel', '--tenant', 'default', first.id);
    assert.equal(cancelled.code, EXIT.ok, cancelled.stderr);
    assert.match(cancelled.stdout, /is cancelled|Asked to cancel/);
    const ended = await eventually(
      async () => json<Run>(await cli('run', 'show', '--tenant', 'default', first.id, '--json')),
      (run) => run.status === 'cancelled',
      10_000,
    );
    assert.equal(ended.status, 'cancelled');
    assert.equal((await cli('run', 'show', '--tenant', 'default', 'run_nope')).code, EXIT.notFound);

    const removed = await cli('provisioning', 'delete', '--tenant', 'default', stuck.id, '--yes', '--wait');
    assert.equal(removed.code, EXIT.ok, removed.stdout + removed.stderr);
    assert.equal((await cli('target', 'delete', '--tenant', 'default', dead.id, '--yes')).code, EXIT.ok);
  });

  it('provisioning delete --strategy Keep overrides Delete: the accounts stay on the target', async () => {
    const refused = await cli('target', 'delete', '--tenant', 'default', targetId, '--yes');
    assert.equal(refused.code, EXIT.conflict, 'a provisioning still uses the target');
    const noConfirmation = await cli('provisioning', 'delete', '--tenant', 'default', provisioningId);
    assert.equal(noConfirmation.code, EXIT.usage);
    const removal = await cli(
      ...['provisioning', 'delete', '--tenant', 'default', provisioningId],
      ...['--strategy', 'Keep', '--yes', '--wait', '--json'],
    );
    const run = json<Run>(removal);
    assert.equal(run.kind, 'removal');
    assert.equal(run.status, 'success');
    assert.equal(run.statistics.skipped.success, 3);
    const gone = await eventually(
      () => cli('provisioning', 'show', '--tenant', 'default', provisioningId),
      (answer) => answer.code === EXIT.notFound,
    );
    assert.equal(gone.code, EXIT.notFound);
    assert.deepEqual(await remoteUserNames(), ['ada@example.com', 'alan@example.com', 'grace@example.com']);
    assert.equal((await cli('target', 'delete', '--tenant', 'default', targetId, '--yes')).code, EXIT.ok);
  });
});
