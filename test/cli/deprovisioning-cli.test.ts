/**
 * Drives the real `lockstep` binary against a running `lockstep serve` hub (tenant `default`, its
 * engine running) that provisions to the Alibaba Cloud RAM emulator (its own process) over SCIM and
 * deprovisions through RAM's OpenAPI: `target test` and `provisioning test` with the native API
 * permission check, `removals` (staged by the deletion guard, blocked, in a grace period) with
 * `approve` / `reject`, `backups` (paged) and `backups show`, `restore`, and `revoke`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RamAccessKeyPair, type RamEmulator, startRamEmulator } from '../e2e-support/ram-emulator.ts';
import { type CliRun, eventually, type RunningServe, runCli, startServe } from './cli-process.ts';

const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, conflict: 4 };
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Everything but UnbindMFADevice: the misconfiguration `provisioning test` exists to find. */
const NO_UNBIND_MFA = {
  accessKeyId: 'LTAI5tCliNoUnbindMfa0001',
  accessKeySecret: 'cli-no-unbind-mfa-secret-0123456789',
  actions: ['ram:Get*', 'ram:List*', 'ram:Delete*', 'ram:DetachPolicyFromUser', 'ram:RemoveUserFromGroup'],
};

/** Every kind of special state RAM refuses a delete for. */
const SEED_STATES = {
  accessKeys: 2,
  policies: ['AliyunOSSReadOnlyAccess', { policyName: 'lockstep-cli-custom', policyType: 'Custom' }],
  groups: ['lockstep-cli-a', 'lockstep-cli-b'],
  loginProfile: { passwordResetRequired: true },
  mfaDevice: true,
};

function json<T = Record<string, unknown>>(run: CliRun): T {
  assert.equal(run.code, EXIT.ok, `exit ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

function ok(run: CliRun): string {
  assert.equal(run.code, EXIT.ok, `exit ${run.code}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

describe('lockstep removals / backups / restore / revoke / provisioning test against a hub and the RAM emulator', () => {
  let dir: string;
  let hub: RunningServe;
  let ram: RamEmulator;
  let env: Record<string, string>;
  let scimSecret: string;
  const targets: Record<'full' | 'noMfa' | 'readOnly', string> = { full: '', noMfa: '', readOnly: '' };
  const cli = (...args: string[]) => runCli(args, env);
  let userCount = 0;

  const createTarget = async (name: string, key: RamAccessKeyPair) =>
    json<{ id: string }>(
      await runCli(
        [
          ...['target', 'create', '--tenant', 'default', '--name', name, '--profile', 'alibaba-ram'],
          ...['--base-url', ram.url, '--token-url', ram.tokenEndpoint, '--client-id', ram.clientId],
          ...['--native-endpoint', ram.rpcEndpoint, '--native-protocol', 'http'],
          ...['--native-access-key-id', key.id, '--native-access-key-secret', key.secret, '--json'],
        ],
        { ...env, LOCKSTEP_TARGET_SECRET: ram.clientSecret },
      ),
    ).id;

  /** A provisioning of the users of one department (so each scenario has its own users). */
  const createProvisioning = async (
    target: string,
    department: string,
    deprovision: Record<string, unknown> = {},
    enabled = true,
  ) => {
    const file = join(dir, `${department}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        scope: {
          filter: { all: [{ attribute: `${ENTERPRISE}:department`, operator: 'EQUALS', value: department }] },
        },
        deprovision,
      }),
    );
    return json<{ id: string }>(
      await cli(
        ...['provisioning', 'create', '--tenant', 'default', '--name', department, '--target', target],
        ...['--config', file, '--json', ...(enabled ? [] : ['--disabled'])],
      ),
    ).id;
  };

  const scim = (method: string, path: string, body?: unknown) =>
    fetch(`${hub.url}/t/default/scim/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${scimSecret}`,
        ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const admin = async (path: string) =>
    (await fetch(`${hub.url}/api/tenants/default${path}`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
    }).then((answer) => answer.json())) as { items: { accountId: string | null; state: string }[] };
  const ramState = async (accountId: string) => {
    const answer = await ram.control('GET', `/users/${accountId}`);
    return answer.status === 404 ? undefined : answer.body;
  };

  /** A hub user of `department`, provisioned to RAM; with every special state seeded unless told not to. */
  const provisioned = async (provisioningId: string, department: string, states = true) => {
    const name = `cli${++userCount}`;
    const created = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: `${name}@example.com`,
      displayName: name,
      [ENTERPRISE]: { department },
    });
    assert.equal(created.status, 201, await created.clone().text());
    const userId = ((await created.json()) as { id: string }).id;
    const link = await eventually(
      async () => (await admin(`/provisionings/${provisioningId}/links?object=${userId}`)).items[0],
      (found) => found?.state === 'active' && found.accountId !== null,
      15_000,
    );
    const accountId = link?.accountId ?? '';
    assert.ok(accountId, `${name} provisioned to RAM`);
    if (states) {
      const seeded = await ram.control('POST', `/users/${accountId}/dependents`, SEED_STATES);
      assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
    }
    return { userId, accountId };
  };
  const deleteInHub = async (userId: string) =>
    assert.equal((await scim('DELETE', `/Users/${userId}`)).status, 204);
  const gone = (accountId: string) =>
    eventually(
      () => ramState(accountId),
      (state) => state === undefined,
      15_000,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-deprovisioning-cli-'));
    ram = await startRamEmulator();
    const added = await ram.control('POST', '/access-keys', NO_UNBIND_MFA);
    assert.equal(added.status, 201, JSON.stringify(added.body));
    hub = await startServe({
      LOCKSTEP_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      LOCKSTEP_REMOVAL_SWEEP_MS: '100',
      LOCKSTEP_BLOCKED_RECHECK_MS: '200',
    });
    env = { LOCKSTEP_URL: hub.url, LOCKSTEP_ADMIN_TOKEN: hub.adminToken, LOG_LEVEL: 'warn' };
    const printed = /Client secret \(shown once[^:]*\): (\S+)\n/;
    const output = await eventually(
      async () => hub.output(),
      (text) => printed.test(text),
      10_000,
    );
    scimSecret = printed.exec(output)?.[1] ?? '';
    assert.ok(scimSecret, 'the hub printed its default app secret');
    targets.full = await createTarget('RAM', ram.accessKey);
    targets.noMfa = await createTarget('RAM without UnbindMFADevice', {
      id: NO_UNBIND_MFA.accessKeyId,
      secret: NO_UNBIND_MFA.accessKeySecret,
    });
    targets.readOnly = await createTarget('RAM read-only', ram.readOnlyAccessKey);
  });

  after(async () => {
    await hub?.stop();
    await ram?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('target test checks the native API AccessKey against every cleanup step', async () => {
    const tested = ok(await cli('target', 'test', '--tenant', 'default', targets.full));
    assert.match(tested, /^ok\s+lookup\s/m);
    assert.match(
      tested,
      new RegExp(`^Native API \\(alibaba-ram-openapi at \\S+, AccessKey ${ram.accessKey.id}\\): ok: `, 'm'),
    );
    assert.match(tested, /^RESULT\s+ACTION\s+FOR\s+MESSAGE$/m);
    assert.match(tested, /^allowed\s+ram:UnbindMFADevice\s+mfaDevice\s/m);
    assert.match(tested, /is reachable/);
    assert.ok(!tested.includes(ram.accessKey.secret), 'never the secret');

    const partial = await cli('target', 'test', '--tenant', 'default', targets.noMfa);
    assert.equal(partial.code, EXIT.ok, 'a missing permission is for provisioning test to judge');
    assert.match(partial.stdout, /^missing\s+ram:UnbindMFADevice\s+mfaDevice\s+the AccessKey may not call/m);
  });

  it('provisioning test names a missing permission the policy needs (exit 1) and passes when the policy does not need it', async () => {
    const withMfa = await createProvisioning(targets.noMfa, 'test-mfa', {}, false);
    const failing = await cli('provisioning', 'test', '--tenant', 'default', withMfa);
    assert.equal(failing.code, EXIT.failure, failing.stdout + failing.stderr);
    assert.match(
      failing.stdout,
      /^Cleanup allowed by the policy: accessKeys, policies, groups, loginProfile, mfaDevice$/m,
    );
    assert.match(failing.stdout, /^missing\s+ram:UnbindMFADevice\s/m);
    assert.match(
      failing.stdout,
      /^Problems:\n {2}- The AccessKey \S+ may not call ram:UnbindMFADevice, which the policy needs to clear MFA devices before a delete/m,
    );
    assert.match(failing.stdout, /failed the test \(1 problem\)/);
    const report = await cli('provisioning', 'test', '--tenant', 'default', withMfa, '--json');
    assert.equal(report.code, EXIT.failure);
    const body = JSON.parse(report.stdout) as {
      ok: boolean;
      deprovisioning: { missing: { action: string }[] };
    };
    assert.equal(body.ok, false);
    assert.deepEqual(
      body.deprovisioning.missing.map((item) => item.action),
      ['ram:UnbindMFADevice'],
    );

    const withoutMfa = await createProvisioning(
      targets.noMfa,
      'test-no-mfa',
      { cleanup: ['accessKeys', 'policies', 'groups', 'loginProfile'] },
      false,
    );
    const passing = ok(await cli('provisioning', 'test', '--tenant', 'default', withoutMfa));
    assert.match(passing, /passed the test/);
    assert.doesNotMatch(passing, /ram:UnbindMFADevice/);

    assert.equal((await cli('provisioning', 'test', '--tenant', 'default', 'prv_nope')).code, EXIT.notFound);
  });

  it('removals shows a blocked delete with its states and the steps to take; it completes once they are cleared', async () => {
    const provisioningId = await createProvisioning(targets.full, 'blocked', {
      cleanup: ['accessKeys', 'policies', 'groups', 'loginProfile'],
    });
    assert.match(ok(await cli('removals', '--tenant', 'default', provisioningId)), /Nothing waits/);
    const { userId, accountId } = await provisioned(provisioningId, 'blocked');
    await deleteInHub(userId);
    const shown = await eventually(
      () => cli('removals', '--tenant', 'default', provisioningId),
      (run) => /Blocked by the target \(1\)/.test(run.stdout),
      15_000,
    );
    assert.equal(shown.code, EXIT.ok, shown.stderr);
    assert.match(shown.stdout, /not paused/);
    assert.match(
      shown.stdout,
      new RegExp(`^ {2}${userId} \\(account ${accountId}\\): MFADevice, blocked since \\S+$`, 'm'),
    );
    assert.match(shown.stdout, /^ {4}- .*MFA/m);
    const removals = json<{ blocked: { states: string[]; steps: string[] }[] }>(
      await cli('removals', 'show', '--tenant', 'default', provisioningId, '--json'),
    );
    assert.deepEqual(removals.blocked[0]?.states, ['MFADevice']);
    assert.equal(removals.blocked[0]?.steps.length, 1);

    assert.equal((await ram.control('DELETE', `/users/${accountId}/dependents?kinds=mfaDevice`)).status, 200);
    await gone(accountId);
    const cleared = await eventually(
      () => cli('removals', '--tenant', 'default', provisioningId),
      (run) => /Nothing waits/.test(run.stdout),
    );
    assert.match(cleared.stdout, /Nothing waits/);
  });

  it('removals shows what the deletion guard staged; approve --object runs one, reject leaves the rest', async () => {
    const provisioningId = await createProvisioning(targets.full, 'guarded', {
      deletionGuard: { maxCount: 1, windowMinutes: 60 },
    });
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await provisioned(provisioningId, 'guarded', false));
    // Deleted together (within the dispatcher's settle window): the guard weighs them as one burst and
    // stages all three before any runs.
    await Promise.all(users.map((user) => deleteInHub(user.userId)));
    const staged = await eventually(
      async () =>
        json<{ paused: { reason: string } | null; staged: { objectId: string }[] }>(
          await cli('removals', '--tenant', 'default', provisioningId, '--json'),
        ),
      (removals) => removals.paused !== null && removals.staged.length === 3,
      15_000,
    );
    assert.equal(staged.staged.length, 3, JSON.stringify(staged));
    const table = ok(await cli('removals', '--tenant', 'default', provisioningId));
    assert.match(table, /are PAUSED: .*deletion guard/);
    assert.match(table, /^Staged by the deletion guard \(3\)/m);
    assert.match(table, /^OBJECT\s+ACCOUNT\s+ACTION\s+TRIGGER\s+STATUS\s+STAGED\s+REASON$/m);
    assert.match(table, new RegExp(`lockstep removals approve --tenant default ${provisioningId}`));

    const [first, second] = staged.staged.map((removal) => removal.objectId);
    const approved = ok(
      await cli('removals', 'approve', '--tenant', 'default', provisioningId, '--object', first ?? ''),
    );
    assert.match(approved, /^Approved 1 staged removal: they run now/m);
    const approvedAccount = users.find((user) => user.userId === first)?.accountId ?? '';
    await gone(approvedAccount);

    assert.match(
      ok(await cli('removals', 'reject', '--tenant', 'default', provisioningId)),
      /^Rejected 2 staged removals/m,
    );
    assert.match(
      ok(await cli('removals', 'reject', '--tenant', 'default', provisioningId)),
      /No staged removal to reject/,
    );
    const after = ok(await cli('removals', '--tenant', 'default', provisioningId));
    assert.match(after, /not paused/);
    const rejectedAccount = users.find((user) => user.userId === second)?.accountId ?? '';
    assert.ok(await ramState(rejectedAccount), 'a rejected removal leaves the account');
  });

  it('a grace period shows in removals; backups lists and shows the backup; restore cancels the delete', async () => {
    const provisioningId = await createProvisioning(targets.full, 'grace', {
      onDeleted: 'disable-then-delete',
      gracePeriodSeconds: 3600,
    });
    const { userId, accountId } = await provisioned(provisioningId, 'grace');
    await deleteInHub(userId);
    const shown = await eventually(
      () => cli('removals', '--tenant', 'default', provisioningId),
      (run) => /In a grace period \(1\)/.test(run.stdout),
      15_000,
    );
    assert.match(shown.stdout, /^OBJECT\s+ACCOUNT\s+DELETE AFTER$/m);
    assert.match(shown.stdout, new RegExp(`^${userId}\\s+${accountId}\\s+\\d{4}-\\d\\d-\\d\\dT`, 'm'));

    const listed = ok(await cli('backups', '--tenant', 'default', '--object', userId));
    assert.match(
      listed,
      /^BACKUP\s+TAKEN\s+BEFORE\s+OBJECT\s+ACCOUNT\s+USERNAME\s+PROVISIONING\s+EXPIRES\s+RESTORED$/m,
    );
    const backupId = /^(bkp_\w+)\s/m.exec(listed)?.[1] ?? '';
    assert.ok(backupId, listed);
    const detail = ok(await cli('backups', 'show', '--tenant', 'default', backupId));
    assert.match(detail, /^Access keys:\s+\S+ \(Active\), \S+ \(Active\)$/m);
    assert.match(detail, /^Groups:\s+lockstep-cli-a, lockstep-cli-b$/m);
    assert.match(detail, /^Login profile:\s+yes \(password reset required\)$/m);
    assert.match(detail, /^MFA device:\s+acs:ram::/m);
    assert.match(detail, /^Restored:\s+no$/m);
    assert.doesNotMatch(detail, /secret/i);

    const restored = ok(await cli('restore', '--tenant', 'default', backupId));
    assert.match(restored, new RegExp(`^Restored backup ${backupId}: account ${accountId}`, 'm'));
    assert.match(restored, /^ {2}- cancelled the delete planned for /m);
    assert.match(restored, /^Could not be restored:$/m);
    assert.match(restored, /^ {2}- .*access ?key/im);
    assert.equal(
      (await cli('restore', '--tenant', 'default', backupId)).code,
      EXIT.conflict,
      'a backup restores once',
    );
    assert.match(ok(await cli('removals', '--tenant', 'default', provisioningId)), /Nothing waits/);
    assert.match(ok(await cli('backups', 'show', '--tenant', 'default', backupId)), /^Restored:\s+\d{4}-/m);
    assert.equal((await cli('backups', 'show', '--tenant', 'default', 'bkp_nope')).code, EXIT.notFound);
  });

  it('a delete with every special state leaves a backup; restore recreates the account and lists what it cannot bring back', async () => {
    const provisioningId = await createProvisioning(targets.full, 'seed');
    const { userId, accountId } = await provisioned(provisioningId, 'seed');
    await deleteInHub(userId);
    await gone(accountId);
    const page = json<{ items: { id: string; reason: string }[] }>(
      await cli('backups', '--tenant', 'default', '--provisioning', provisioningId, '--json'),
    );
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0]?.reason, 'delete');
    const restored = ok(await cli('restore', '--tenant', 'default', page.items[0]?.id ?? ''));
    assert.match(restored, /^ {2}- recreated the account from its SCIM document$/m);
    assert.match(restored, /^Could not be restored:$/m);
    for (const what of [/access ?key/i, /login/i, /MFA/i])
      assert.ok(restored.split('Could not be restored:')[1]?.match(what), `lists ${what}`);
    assert.match(restored, /account is kept, no longer managed/);
  });

  it('backups pages with --limit and follows next with --all', async () => {
    const all = json<{ items: { id: string }[]; next: string | null }>(
      await cli('backups', '--tenant', 'default', '--all', '--json'),
    );
    assert.ok(all.items.length >= 3, `${all.items.length} backups`);
    assert.equal(all.next, null);
    const first = ok(await cli('backups', '--tenant', 'default', '--limit', '1'));
    const cursor = /\(more backups: add --all, or --before (\S+)\)/.exec(first)?.[1];
    assert.ok(cursor, first);
    const second = json<{ items: { id: string }[] }>(
      await cli('backups', 'list', '--tenant', 'default', '--limit', '1', '--before', cursor, '--json'),
    );
    assert.equal(second.items[0]?.id, all.items[1]?.id);
    const paged = json<{ items: { id: string }[] }>(
      await cli('backups', '--tenant', 'default', '--limit', '1', '--all', '--json'),
    );
    assert.deepEqual(
      paged.items.map((backup) => backup.id),
      all.items.map((backup) => backup.id),
    );
  });

  it('revoke prints per target the action, outcome and duration; exit 1 when a target failed', async () => {
    const provisioningId = await createProvisioning(targets.full, 'revoke');
    const { userId, accountId } = await provisioned(provisioningId, 'revoke');
    const revoked = ok(await cli('revoke', '--tenant', 'default', userId));
    assert.match(revoked, /is disabled in the directory/);
    assert.match(revoked, /^PROVISIONING\s+TARGET\s+ACTION\s+OUTCOME\s+DURATION\s+MESSAGE$/m);
    assert.match(
      revoked,
      new RegExp(
        `^${provisioningId}\\s+${targets.full}\\s+revoke\\s+done\\s+\\d+ ms\\s+access revoked$`,
        'm',
      ),
    );
    assert.match(revoked, /^Access revoked on 1 of \d+ provisionings .*\(the rest had nothing to revoke\)/m);
    assert.doesNotMatch(revoked, /nothing-to-do/, 'provisionings without an account are counted, not listed');
    const state = await ramState(accountId);
    assert.equal(state.dependents.accessKeys.length, 0);

    const failing = await createProvisioning(targets.readOnly, 'revoke-fail');
    const user = await provisioned(failing, 'revoke-fail');
    const refused = await cli('revoke', '--tenant', 'default', user.userId);
    assert.equal(refused.code, EXIT.failure, refused.stdout + refused.stderr);
    assert.match(
      refused.stdout,
      new RegExp(`^${failing}\\s+${targets.readOnly}\\s+revoke\\s+failed\\s+\\d+ ms\\s+\\S`, 'm'),
    );
    assert.match(refused.stdout, /Revocation FAILED on 1 of/);
    const report = await cli('revoke', '--tenant', 'default', user.userId, '--json');
    assert.equal(report.code, EXIT.failure);
    assert.ok(Array.isArray((JSON.parse(report.stdout) as { targets: unknown[] }).targets));

    assert.equal((await cli('revoke', '--tenant', 'default', 'nobody')).code, EXIT.notFound);
  });
});
