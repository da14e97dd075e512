/**
 * `lockstep reconcile` against a running `lockstep serve` whose provisioning writes to the RAM
 * emulator: start with --wait (the report), runs, report with filters and --json, act (ignore, and
 * the refusals with their exit codes).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RamEmulator, ramTargetBody, startRamEmulator } from '../e2e-support/ram-emulator.ts';
import { type CliRun, type RunningServe, runCli, startServe } from './cli-process.ts';

const EXIT = { ok: 0, usage: 2, notFound: 3, conflict: 4 };
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

function json<T = Record<string, unknown>>(run: CliRun): T {
  assert.equal(run.code, EXIT.ok, `exit ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

describe('lockstep reconcile against a running server and the RAM emulator', () => {
  let dir: string;
  let hub: RunningServe;
  let ram: RamEmulator;
  let env: Record<string, string>;
  let provisioningId: string;
  let runId: string;
  const cli = (...args: string[]) => runCli(args, env);
  const api = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${hub.url}/api/tenants/default${path}`, {
      method,
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-reconcile-cli-'));
    [hub, ram] = await Promise.all([
      startServe({ LOCKSTEP_DATA_DIR: dir, LOG_LEVEL: 'warn' }),
      startRamEmulator(),
    ]);
    env = { LOCKSTEP_URL: hub.url, LOCKSTEP_ADMIN_TOKEN: hub.adminToken, LOG_LEVEL: 'warn' };
    const target = await api('POST', '/targets', ramTargetBody(ram));
    assert.equal(target.status, 201, JSON.stringify(target.body));
    // Disabled: nothing is pushed, so every account in RAM is an orphan.
    const provisioning = await api('POST', '/provisionings', {
      name: 'to RAM',
      targetId: target.body.id,
      enabled: false,
    });
    assert.equal(provisioning.status, 201, JSON.stringify(provisioning.body));
    provisioningId = provisioning.body.id as string;
    for (const userName of ['made.by.hand', 'another.one'])
      assert.equal(
        (await ram.scim('POST', '/Users', { schemas: [USER_SCHEMA], userName, displayName: userName }))
          .status,
        201,
      );
  });
  after(async () => {
    await hub?.stop();
    await ram?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('starts a reconciliation, waits for it and prints its report', async () => {
    const run = await cli('reconcile', provisioningId, '--tenant', 'default', '--wait');
    assert.equal(run.code, EXIT.ok, `${run.stderr}${run.stdout}`);
    assert.match(run.stdout, /Status:\s+success/);
    assert.match(run.stdout, /orphan\s+2\s+0\s+0\s+2/);
    assert.match(run.stdout, /made\.by\.hand/);
    runId = /Reconciliation:\s+(\S+)/.exec(run.stdout)?.[1] ?? '';
    assert.ok(runId.startsWith('run_'));
    const listed = await cli('reconcile', 'runs', provisioningId, '--tenant', 'default');
    assert.equal(listed.code, EXIT.ok, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${runId}\\s+success\\s+manual\\s+2\\s+2\\s+0\\s+0`));
  });

  it('reports with filters and as JSON, and acts on a finding', async () => {
    const report = json<{ run: { id: string }; findings: { items: { id: string; userName: string }[] } }>(
      await cli('reconcile', 'report', runId, '--tenant', 'default', '--kind', 'orphan', '--json'),
    );
    assert.equal(report.run.id, runId);
    assert.equal(report.findings.items.length, 2);
    const finding = report.findings.items.find((item) => item.userName === 'another.one');
    assert.ok(finding);
    const ignored = await cli('reconcile', 'act', finding.id, 'ignore', '--tenant', 'default');
    assert.equal(ignored.code, EXIT.ok, ignored.stderr);
    assert.match(ignored.stdout, /Ignored finding/);
    const only = json<{ findings: { items: { id: string }[] } }>(
      await cli('reconcile', 'report', runId, '--tenant', 'default', '--status', 'ignored', '--json'),
    );
    assert.deepEqual(
      only.findings.items.map((item) => item.id),
      [finding.id],
    );
    // Adopting needs an enabled provisioning; a made-up action and a made-up finding are refused.
    const adopt = await cli('reconcile', 'act', finding.id, 'adopt', '--tenant', 'default');
    assert.equal(adopt.code, EXIT.conflict, adopt.stderr);
    assert.match(adopt.stderr, /enable it/);
    assert.equal(
      (await cli('reconcile', 'act', finding.id, 'explode', '--tenant', 'default')).code,
      EXIT.usage,
    );
    assert.equal(
      (await cli('reconcile', 'act', 'fnd_nope', 'ignore', '--tenant', 'default')).code,
      EXIT.notFound,
    );
    assert.equal((await cli('reconcile', 'report', 'run_nope', '--tenant', 'default')).code, EXIT.notFound);
  });
});
