/**
 * `lockstep plan` and `lockstep apply` against a running `lockstep serve` whose provisioning writes
 * to the RAM emulator: a readable plan with its id, --json, apply --wait, and the refusals with their
 * exit codes (applied already, the world changed, options that do not go together).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RamEmulator, ramTargetBody, startRamEmulator } from '../e2e-support/ram-emulator.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import { type CliRun, type RunningServe, runCli, startServe } from './cli-process.ts';

const EXIT = { ok: 0, usage: 2, conflict: 4 };
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

function json<T = Record<string, unknown>>(run: CliRun): T {
  assert.equal(run.code, EXIT.ok, `exit ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

describe('lockstep plan / apply against a running server and the RAM emulator', () => {
  let dir: string;
  let hub: RunningServe;
  let ram: RamEmulator;
  let env: Record<string, string>;
  let scimSecret: string;
  let provisioningId: string;
  const cli = (...args: string[]) => runCli(args, env);
  const api = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${hub.url}/api/tenants/default${path}`, {
      method,
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };
  const scim = async (method: string, path: string, body: unknown) => {
    const answer = await fetch(`${hub.url}/t/default/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${scimSecret}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify(body),
    });
    assert.ok(answer.status < 300, await answer.clone().text());
    return (await answer.json()) as { id: string };
  };
  const ramNames = async () =>
    ((await ram.scim('GET', '/Users?count=100')).body.Resources as { userName: string }[]).map(
      (user) => user.userName,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-plan-cli-'));
    [hub, ram] = await Promise.all([
      startServe({ LOCKSTEP_DATA_DIR: dir, LOG_LEVEL: 'info' }),
      startRamEmulator(),
    ]);
    env = { LOCKSTEP_URL: hub.url, LOCKSTEP_ADMIN_TOKEN: hub.adminToken, LOG_LEVEL: 'warn' };
    const printed = /Client secret \(shown once[^:]*\): (\S+)\n/;
    const output = await waitFor(
      async () => (printed.test(hub.output()) ? hub.output() : undefined),
      'the app secret',
      {
        timeoutMs: 10_000,
        intervalMs: 50,
      },
    );
    scimSecret = printed.exec(output)?.[1] ?? '';
    const target = await api('POST', '/targets', ramTargetBody(ram));
    assert.equal(target.status, 201, JSON.stringify(target.body));
    const provisioning = await api('POST', '/provisionings', {
      name: 'to RAM',
      targetId: target.body.id,
      enabled: false,
    });
    assert.equal(provisioning.status, 201, JSON.stringify(provisioning.body));
    provisioningId = provisioning.body.id as string;
    for (const name of ['ada', 'grace'])
      await scim('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: `${name}@example.com`,
        displayName: name,
      });
  });
  after(async () => {
    await hub?.stop();
    await ram?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('prints a plan with its counts, operations and id; apply --wait does it; a second apply is refused', async () => {
    const planned = await cli('plan', provisioningId, '--tenant', 'default');
    assert.equal(planned.code, EXIT.ok, `${planned.stderr}${planned.stdout}`);
    assert.match(planned.stdout, /Of:\s+a full push/);
    assert.match(planned.stdout, /create 2 \(of 2 objects considered\)/);
    assert.match(planned.stdout, /Note: The provisioning is disabled: applying this plan enables it/);
    assert.match(planned.stdout, /^create\s+ada/m);
    assert.match(planned.stdout, /userName: - → "ada"/);
    const planId = /Plan:\s+(pln_\S+)/.exec(planned.stdout)?.[1] ?? '';
    assert.match(planned.stdout, new RegExp(`lockstep apply --tenant default ${planId}`));
    assert.deepEqual(await ramNames(), [], 'planning created nothing');

    const shown = json<{ id: string; summary: { create: number }; operations: { items: unknown[] } }>(
      await cli('plan', 'show', planId, '--tenant', 'default', '--json'),
    );
    assert.equal(shown.id, planId);
    assert.equal(shown.summary.create, 2);
    assert.equal(shown.operations.items.length, 2);

    const applied = await cli('apply', planId, '--tenant', 'default', '--wait');
    assert.equal(applied.code, EXIT.ok, `${applied.stderr}${applied.stdout}`);
    assert.match(applied.stdout, /\(apply\) ended: success/);
    assert.deepEqual((await ramNames()).sort(), ['ada', 'grace']);

    const again = await cli('apply', planId, '--tenant', 'default');
    assert.equal(again.code, EXIT.conflict, again.stderr);
    assert.match(again.stderr, /applied already/);
  });

  it('refuses a plan whose world changed, and options that do not go together', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ deprovision: { onDeleted: 'keep' } }));
    const planned = json<{ id: string; kind: string }>(
      await cli('plan', provisioningId, '--tenant', 'default', '--config', config, '--json'),
    );
    assert.equal(planned.kind, 'config');
    await scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'linus@example.com',
      displayName: 'linus',
    });
    const refused = await cli('apply', planned.id, '--tenant', 'default');
    assert.equal(refused.code, EXIT.conflict, refused.stderr);
    assert.match(refused.stderr, /changed since plan .*new since the plan/);
    const shown = await cli('plan', 'show', planned.id, '--tenant', 'default');
    assert.match(shown.stdout, /Status:\s+stale/);
    assert.match(shown.stdout, /Refused: /);

    const both = await cli('plan', provisioningId, '--tenant', 'default', '--config', config, '--removal');
    assert.equal(both.code, EXIT.usage);
    const removal = await cli(
      'plan',
      provisioningId,
      '--tenant',
      'default',
      '--removal',
      '--strategy',
      'Delete',
    );
    assert.equal(removal.code, EXIT.ok, removal.stderr);
    assert.match(removal.stdout, /Of:\s+removing the provisioning/);
    assert.match(removal.stdout, /Strategy:\s+Delete/);
    assert.match(removal.stdout, /^delete\s+ada \(the provisioning is removed\)/m);
  });
});
