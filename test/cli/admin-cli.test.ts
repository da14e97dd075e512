/**
 * Drives the real `lockstep` binary against a running `lockstep serve` (fresh data directory): the
 * first-start admin token, the tenant / app / secret / admin-token / audit / signing-key commands in
 * tables and in --json, and the exit codes scripts rely on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, eventually, type RunningServe, runCli, startServe } from './cli-process.ts';

const EXIT = { ok: 0, usage: 2, notFound: 3, conflict: 4, unauthorized: 5, unreachable: 69, config: 78 };

function json<T = Record<string, unknown>>(run: CliRun): T {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** The value after `label:` in label / value output. */
function field(output: string, label: string): string {
  const match = new RegExp(`^${label}:\\s+(\\S+)`, 'm').exec(output);
  assert.ok(match?.[1], `no "${label}:" line in:\n${output}`);
  return match[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

describe('lockstep admin CLI against a running server', () => {
  let dataDir: string;
  let serve: RunningServe;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  const requestToken = (tenant: string, clientId: string, secret: string) =>
    fetch(`${serve.url}/t/${tenant}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lockstep-admin-cli-'));
    serve = await startServe({ LOCKSTEP_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    env = { LOCKSTEP_URL: serve.url, LOCKSTEP_ADMIN_TOKEN: serve.adminToken, LOG_LEVEL: 'warn' };
  });

  after(async () => {
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serve prints where it listens and a first admin token that the API accepts', async () => {
    assert.match(serve.adminToken, /^lsa_/);
    const openapi = await fetch(`${serve.url}/api/openapi.json`);
    assert.equal(openapi.status, 200);
    const listed = await cli('tenant', 'list');
    assert.equal(listed.code, EXIT.ok, listed.stderr);
    assert.match(listed.stdout, /^ID\s+NAME\s+STATUS\s+CREATED/);
  });

  it('tenant create, list, show, rename, disable, enable', async () => {
    const created = json<{ id: string; scimBaseUrl: string }>(
      await cli('tenant', 'create', 'acme', '--name', 'Acme', '--json'),
    );
    assert.equal(created.id, 'acme');
    assert.equal(created.scimBaseUrl, `${serve.url}/t/acme/scim/v2`);

    const table = await cli('tenant', 'list');
    assert.match(table.stdout, /^ID\s+NAME\s+STATUS\s+CREATED$/m);
    assert.match(table.stdout, /^acme\s+Acme\s+active\s/m);
    const listed = json<{ items: { id: string }[] }>(await cli('tenant', 'list', '--json'));
    assert.ok(listed.items.some((tenant) => tenant.id === 'acme'));

    const shown = await cli('tenant', 'show', 'acme');
    assert.equal(field(shown.stdout, 'Token endpoint'), `${serve.url}/t/acme/oauth2/token`);

    const renamed = json<{ displayName: string }>(
      await cli('tenant', 'rename', 'acme', 'Acme Corp', '--json'),
    );
    assert.equal(renamed.displayName, 'Acme Corp');
    assert.equal(
      json<{ status: string }>(await cli('tenant', 'disable', 'acme', '--json')).status,
      'disabled',
    );
    const enabled = await cli('tenant', 'enable', 'acme');
    assert.equal(enabled.code, EXIT.ok, enabled.stderr);
    assert.match(enabled.stdout, /active/);
  });

  let appId = '';
  let clientId = '';
  let firstSecret = '';

  it('app create prints a client id and a secret (once) that work at the token endpoint', async () => {
    const created = await cli('app', 'create', '--tenant', 'acme', '--name', 'Entra', '--token-ttl', '900');
    assert.equal(created.code, EXIT.ok, created.stderr);
    assert.match(created.stdout, /shown once/);
    clientId = field(created.stdout, 'Client id');
    firstSecret = field(created.stdout, 'Client secret');
    assert.equal(field(created.stdout, 'Token endpoint'), `${serve.url}/t/acme/oauth2/token`);
    assert.equal(field(created.stdout, 'SCIM base URL'), `${serve.url}/t/acme/scim/v2`);

    const answer = await requestToken('acme', clientId, firstSecret);
    assert.equal(answer.status, 200);
    const token = (await answer.json()) as { access_token: string; expires_in: number };
    assert.equal(token.expires_in, 900);
    const users = await fetch(`${serve.url}/t/acme/scim/v2/Users`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    assert.equal(users.status, 200);

    const apps = json<{ items: { id: string; clientId: string }[] }>(
      await cli('app', 'list', '--tenant', 'acme', '--json'),
    );
    appId = apps.items.find((app) => app.clientId === clientId)?.id ?? '';
    assert.ok(appId);
    const table = await cli('app', 'list', '--tenant', 'acme');
    assert.match(table.stdout, /^ID\s+NAME\s+CLIENT ID\s+STATUS\s+SCOPES\s+SECRETS\s+CREATED$/m);
    assert.doesNotMatch(
      table.stdout + (await cli('app', 'show', '--tenant', 'acme', appId)).stdout,
      new RegExp(firstSecret),
    );
  });

  it('app create --json, update, disable and enable', async () => {
    const created = json<{ app: { id: string; scopes: string[] }; secret: { value: string } }>(
      await cli('app', 'create', '--tenant', 'acme', '--name', 'Okta', '--scope', 'scim:read', '--json'),
    );
    assert.deepEqual(created.app.scopes, ['scim:read']);
    assert.ok(created.secret.value.length > 20);

    const updated = json<{
      name: string;
      scopes: string[];
      secretAsBearer: boolean;
      tokenTtlSeconds: number;
    }>(
      await cli(
        'app',
        'update',
        '--tenant',
        'acme',
        appId,
        '--name',
        'Entra ID',
        '--scope',
        'scim',
        '--scope',
        'scim:read',
        '--token-ttl',
        '1800',
        '--secret-as-bearer',
        '--json',
      ),
    );
    assert.equal(updated.name, 'Entra ID');
    assert.deepEqual([...updated.scopes].sort(), ['scim', 'scim:read']);
    assert.equal(updated.secretAsBearer, true);
    assert.equal(updated.tokenTtlSeconds, 1800);
    const back = json<{ secretAsBearer: boolean }>(
      await cli('app', 'update', '--tenant', 'acme', appId, '--no-secret-as-bearer', '--json'),
    );
    assert.equal(back.secretAsBearer, false);
    const nothing = await cli('app', 'update', '--tenant', 'acme', appId);
    assert.equal(nothing.code, EXIT.usage);

    assert.equal(
      json<{ status: string }>(await cli('app', 'disable', '--tenant', 'acme', appId, '--json')).status,
      'disabled',
    );
    const refused = await eventually(
      () => requestToken('acme', clientId, firstSecret),
      (r) => r.status !== 200,
    );
    assert.notEqual(refused.status, 200);
    const shown = await cli('app', 'show', '--tenant', 'acme', appId);
    assert.equal(field(shown.stdout, 'Status'), 'disabled');
    assert.equal((await cli('app', 'enable', '--tenant', 'acme', appId)).code, EXIT.ok);
    assert.equal((await requestToken('acme', clientId, firstSecret)).status, 200);

    const removed = await cli('app', 'delete', '--tenant', 'acme', created.app.id, '--yes');
    assert.equal(removed.code, EXIT.ok, removed.stderr);
    assert.equal((await cli('app', 'show', '--tenant', 'acme', created.app.id)).code, EXIT.notFound);
  });

  it('secret create, list and delete; a third secret is a conflict', async () => {
    const secret = json<{ id: string; value: string }>(
      await cli('secret', 'create', '--tenant', 'acme', '--app', appId, '--json'),
    );
    assert.equal((await requestToken('acme', clientId, secret.value)).status, 200);
    const listed = json<{ items: { id: string }[] }>(
      await cli('secret', 'list', '--tenant', 'acme', '--app', appId, '--json'),
    );
    assert.equal(listed.items.length, 2);
    const table = await cli('secret', 'list', '--tenant', 'acme', '--app', appId);
    assert.match(table.stdout, /^ID\s+CREATED\s+LAST USED$/m);
    assert.doesNotMatch(table.stdout, new RegExp(secret.value));

    const third = await cli('secret', 'create', '--tenant', 'acme', '--app', appId);
    assert.equal(third.code, EXIT.conflict, third.stderr);

    const unconfirmed = await cli('secret', 'delete', '--tenant', 'acme', '--app', appId, secret.id);
    assert.equal(unconfirmed.code, EXIT.usage);
    assert.match(unconfirmed.stderr, /--yes/);
    const deleted = await cli('secret', 'delete', '--tenant', 'acme', '--app', appId, secret.id, '--yes');
    assert.equal(deleted.code, EXIT.ok, deleted.stderr);
    const refused = await eventually(
      () => requestToken('acme', clientId, secret.value),
      (r) => r.status !== 200,
    );
    assert.notEqual(refused.status, 200);
  });

  it('admin tokens: a read-only token reads but may not write; a revoked one is refused', async () => {
    const created = json<{ token: { id: string; scope: string }; value: string }>(
      await cli('token', 'create', '--label', 'ci', '--scope', 'admin:read', '--json'),
    );
    assert.equal(created.token.scope, 'admin:read');
    const asReader = (...args: string[]) => runCli(args, { ...env, LOCKSTEP_ADMIN_TOKEN: created.value });
    assert.equal((await asReader('tenant', 'list')).code, EXIT.ok);
    const write = await asReader('tenant', 'create', 'nope');
    assert.equal(write.code, EXIT.unauthorized);
    assert.doesNotMatch(write.stderr, new RegExp(created.value));

    const bound = json<{ token: { tenantId: string }; value: string }>(
      await cli('token', 'create', '--label', 'acme-ops', '--tenant', 'acme', '--json'),
    );
    assert.equal(bound.token.tenantId, 'acme');
    const asAcme = (...args: string[]) => runCli(args, { ...env, LOCKSTEP_ADMIN_TOKEN: bound.value });
    assert.equal((await asAcme('app', 'list', '--tenant', 'acme')).code, EXIT.ok);
    const elsewhere = await asAcme('app', 'list', '--tenant', 'default');
    assert.equal(elsewhere.code, EXIT.unauthorized);
    assert.match(elsewhere.stderr, /restricted to tenant "acme"/);
    const seen = json<{ items: { id: string }[] }>(await asAcme('tenant', 'list', '--json'));
    assert.deepEqual(
      seen.items.map((tenant) => tenant.id),
      ['acme'],
    );

    const table = await cli('token', 'list');
    assert.match(table.stdout, /^ID\s+LABEL\s+SCOPE\s+TENANT\s+CREATED\s+LAST USED$/m);
    assert.match(table.stdout, /\bci\b/);
    assert.doesNotMatch(table.stdout, /lsa_/);
    const onlyAcme = json<{ items: { label: string }[] }>(
      await cli('token', 'list', '--tenant', 'acme', '--json'),
    );
    assert.deepEqual(
      onlyAcme.items.map((token) => token.label),
      ['acme-ops'],
    );

    assert.equal((await cli('token', 'revoke', created.token.id)).code, EXIT.ok);
    const after = await eventually(
      () => asReader('tenant', 'list'),
      (run) => run.code !== EXIT.ok,
    );
    assert.equal(after.code, EXIT.unauthorized);
    assert.match(after.stderr, /admin token was refused/);
  });

  it('signing-key rotate and list', async () => {
    const rotated = json<{ kid: string; status: string }>(await cli('signing-key', 'rotate', '--json'));
    assert.equal(rotated.status, 'active');
    const listed = json<{ items: { kid: string; status: string }[] }>(
      await cli('signing-key', 'list', '--json'),
    );
    assert.equal(listed.items.find((key) => key.kid === rotated.kid)?.status, 'active');
    const table = await cli('signing-key', 'list');
    assert.match(table.stdout, /^KID\s+ALG\s+STATUS\s+CREATED\s+RETIRED$/m);
  });

  it('audit list and export show what the commands did', async () => {
    const page = json<{ items: { action: string; tenantId: string | null }[]; nextCursor: string | null }>(
      await cli('audit', 'list', '--tenant', 'acme', '--json'),
    );
    assert.ok(page.items.length > 0);
    assert.ok(page.items.every((event) => event.tenantId === 'acme'));
    const small = json<{ items: unknown[]; nextCursor: string | null }>(
      await cli('audit', 'list', '--limit', '2', '--json'),
    );
    assert.equal(small.items.length, 2);
    assert.notEqual(small.nextCursor, null);
    const all = json<{ items: { id: string }[] }>(
      await cli('audit', 'list', '--limit', '2', '--all', '--json'),
    );
    assert.ok(all.items.length > 2);
    assert.equal(new Set(all.items.map((event) => event.id)).size, all.items.length, 'pages do not overlap');
    const table = await cli('audit', 'list', '--limit', '3');
    assert.match(table.stdout, /^AT\s+TENANT\s+ACTOR\s+ACTION\s+OBJECT\s+OUTCOME\s+STATUS$/m);
    assert.match(table.stdout, /--cursor/);

    const exported = await cli('audit', 'export', '--tenant', 'acme');
    assert.equal(exported.code, EXIT.ok, exported.stderr);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { at: string });
    assert.ok(lines.length >= page.items.length);
    const file = join(dataDir, 'audit.jsonl');
    assert.equal((await cli('audit', 'export', '--output', file)).code, EXIT.ok);
    assert.ok(readFileSync(file, 'utf8').trim().split('\n').length >= lines.length);
  });

  it('exit codes: not found, conflict, invalid input, wrong token, no token, unreachable server', async () => {
    const missing = await cli('tenant', 'show', 'nope');
    assert.equal(missing.code, EXIT.notFound);
    assert.match(missing.stderr, /nope/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
    assert.equal((await cli('app', 'show', '--tenant', 'default', 'no-such-app')).code, EXIT.notFound);

    const duplicate = await cli('tenant', 'create', 'default');
    assert.equal(duplicate.code, EXIT.conflict);

    const invalid = await cli('tenant', 'create', 'Not Valid');
    assert.equal(invalid.code, EXIT.usage);
    assert.match(invalid.stderr, /^\s+\S*id: /m, 'names the bad field');
    const shortTtl = await cli('app', 'create', '--tenant', 'acme', '--name', 'x', '--token-ttl', '5');
    assert.equal(shortTtl.code, EXIT.usage);
    assert.match(shortTtl.stderr, /tokenTtlSeconds/);
    assert.equal(
      (await cli('app', 'create', '--tenant', 'acme', '--name', 'x', '--token-ttl', 'soon')).code,
      EXIT.usage,
    );
    assert.equal((await cli('token', 'create', '--label', 'x', '--scope', 'root')).code, EXIT.usage);
    assert.equal((await cli('no-such-command')).code, EXIT.usage);
    assert.equal((await cli('app', 'list')).code, EXIT.usage, '--tenant is required');

    const wrongToken = 'lsa_0000000000000000_notarealtokennotarealtokennotarealtokenxx';
    const refused = await runCli(['tenant', 'list', '--token', wrongToken], env);
    assert.equal(refused.code, EXIT.unauthorized);
    assert.match(refused.stderr, /LOCKSTEP_ADMIN_TOKEN/);
    assert.doesNotMatch(refused.stderr + refused.stdout, new RegExp(wrongToken));

    const noToken = await runCli(['tenant', 'list'], { LOCKSTEP_URL: serve.url });
    assert.equal(noToken.code, EXIT.config);
    assert.equal((await runCli(['tenant', 'list', '--url', 'ftp://x'], env)).code, EXIT.config);

    const port = await freePort();
    const unreachable = await runCli(['tenant', 'list', '--url', `http://127.0.0.1:${port}`], env);
    assert.equal(unreachable.code, EXIT.unreachable);
    assert.match(unreachable.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(unreachable.stderr, /lockstep serve/);
    assert.doesNotMatch(unreachable.stderr, new RegExp(serve.adminToken));
  });

  it('tenant delete asks for --yes without a terminal, then deletes', async () => {
    const unconfirmed = await cli('tenant', 'delete', 'acme');
    assert.equal(unconfirmed.code, EXIT.usage);
    assert.match(unconfirmed.stderr, /--yes/);
    assert.equal((await cli('tenant', 'show', 'acme')).code, EXIT.ok, 'still there');
    const deleted = await cli('tenant', 'delete', 'acme', '--yes');
    assert.equal(deleted.code, EXIT.ok, deleted.stderr);
    assert.equal((await cli('tenant', 'show', 'acme')).code, EXIT.notFound);
    assert.equal((await cli('tenant', 'delete', 'acme', '--yes')).code, EXIT.notFound);
  });
});
