/**
 * Checking a RAM AccessKey's permissions before they are needed (issue 5, item 8), over real HTTP
 * against the RAM emulator process: every action a deprovisioning needs is probed on names that
 * cannot exist, so the report names each missing permission and RAM is left exactly as it was.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { checkRamCleanupPermissions } from '../../src/targets/alibaba-ram/check-ram-permissions.ts';
import {
  DELETE_CONFLICT_STEPS,
  type RamCleanupStep,
} from '../../src/targets/alibaba-ram/delete-conflict-steps.ts';
import { createRamOpenapiClient } from '../../src/targets/alibaba-ram/ram-openapi-client.ts';
import { type RamEmulator, startRamEmulator } from '../e2e-support/ram-emulator.ts';
import { findClosedPort } from './free-port.ts';

const EVERY_STEP: RamCleanupStep[] = DELETE_CONFLICT_STEPS.map((entry) => entry.step);

/** Everything but UnbindMFADevice: the misconfiguration the checker exists to find. */
const NO_UNBIND_MFA = {
  accessKeyId: 'LTAI5tEmulatorNoUnbindMfa1',
  accessKeySecret: 'emulator-no-unbind-mfa-secret-0123',
  actions: ['ram:Get*', 'ram:List*', 'ram:Delete*', 'ram:DetachPolicyFromUser', 'ram:RemoveUserFromGroup'],
};

const EVERY_ACTION = [
  'ram:GetUser',
  'ram:ListAccessKeys',
  'ram:DeleteAccessKey',
  'ram:ListPoliciesForUser',
  'ram:DetachPolicyFromUser',
  'ram:ListGroupsForUser',
  'ram:RemoveUserFromGroup',
  'ram:GetLoginProfile',
  'ram:DeleteLoginProfile',
  'ram:GetUserMFAInfo',
  'ram:UnbindMFADevice',
  'ram:DeleteVirtualMFADevice',
  'ram:DeleteUser',
];

describe('checkRamCleanupPermissions against the RAM emulator', () => {
  let emulator: RamEmulator;
  const clientFor = (accessKeyId: string, accessKeySecret: string, endpoint = emulator.rpcEndpoint) =>
    createRamOpenapiClient({ endpoint, protocol: 'http', accessKeyId, accessKeySecret });
  /** The emulator's users, account and RPC keys, without the clock. */
  const snapshot = async () => {
    const { now: _now, ...state } = (await emulator.control('GET', '/state')).body;
    return { state, account: (await emulator.control('GET', '/account')).body };
  };

  before(async () => {
    emulator = await startRamEmulator({ args: ['--rpc-access-key', JSON.stringify(NO_UNBIND_MFA)] });
  });
  after(() => emulator.stop());
  beforeEach(async () => {
    await emulator.control('POST', '/reset');
    // A user in every special state: the probe must leave it, and everything else, untouched.
    await emulator.control('POST', '/users', { userName: 'grace', dependents: 'every' });
    await emulator.control('DELETE', '/requests');
  });

  it('a full-access key: every action allowed, and RAM unchanged', async () => {
    const before = await snapshot();
    const report = await checkRamCleanupPermissions(
      clientFor(emulator.accessKey.id, emulator.accessKey.secret),
      EVERY_STEP,
    );
    assert.equal(report.ok, true, report.summary);
    assert.equal(report.status, 'ok');
    assert.deepEqual(report.missing, []);
    assert.deepEqual(
      report.checks.map((check) => [check.action, check.result]),
      EVERY_ACTION.map((action) => [action, 'allowed']),
    );
    assert.equal(report.checks.find((check) => check.action === 'ram:DeleteUser')?.step, 'user');
    assert.equal(report.checks.find((check) => check.action === 'ram:UnbindMFADevice')?.step, 'mfaDevice');
    assert.deepEqual(await snapshot(), before);

    // Every probe was refused with EntityNotExist.* (404): not one call changed anything.
    const journal: { url: string; status: number }[] = (await emulator.control('GET', '/requests')).body;
    assert.equal(journal.length, EVERY_ACTION.length);
    assert.ok(journal.every((entry) => entry.status === 404));
    assert.ok(journal.every((entry) => !/UserName=grace\b/.test(entry.url)));
  });

  it('a read-only key: every write is missing, named with what it breaks', async () => {
    const before = await snapshot();
    const report = await checkRamCleanupPermissions(
      clientFor(emulator.readOnlyAccessKey.id, emulator.readOnlyAccessKey.secret),
      EVERY_STEP,
    );
    assert.equal(report.ok, false);
    assert.equal(report.status, 'missing_permissions');
    assert.deepEqual(report.missing, [
      'ram:DeleteAccessKey',
      'ram:DetachPolicyFromUser',
      'ram:RemoveUserFromGroup',
      'ram:DeleteLoginProfile',
      'ram:UnbindMFADevice',
      'ram:DeleteVirtualMFADevice',
      'ram:DeleteUser',
    ]);
    assert.ok(
      report.checks
        .filter((check) => /:(Get|List)/.test(check.action))
        .every((check) => check.result === 'allowed'),
    );
    const deleteUser = report.checks.find((check) => check.action === 'ram:DeleteUser');
    assert.equal(
      deleteUser?.message,
      'the AccessKey may not call ram:DeleteUser: RAM users cannot be deleted',
    );
    assert.match(report.summary, /lacks ram:DeleteAccessKey, .*ram:DeleteUser/);
    assert.deepEqual(await snapshot(), before);
  });

  it('a key without ram:UnbindMFADevice: exactly that one is missing', async () => {
    const report = await checkRamCleanupPermissions(
      clientFor(NO_UNBIND_MFA.accessKeyId, NO_UNBIND_MFA.accessKeySecret),
      EVERY_STEP,
    );
    assert.equal(report.status, 'missing_permissions');
    assert.deepEqual(report.missing, ['ram:UnbindMFADevice']);
    const unbind = report.checks.find((check) => check.action === 'ram:UnbindMFADevice');
    assert.deepEqual(unbind, {
      action: 'ram:UnbindMFADevice',
      step: 'mfaDevice',
      result: 'missing',
      message: 'the AccessKey may not call ram:UnbindMFADevice: MFA devices cannot be cleared automatically',
    });
    assert.equal(report.checks.filter((check) => check.result === 'allowed').length, EVERY_ACTION.length - 1);
  });

  it('checks only the writes of the steps the policy allows, the reads always', async () => {
    // A key added through the control API: enough to clear access keys and delete the user.
    const key = (
      await emulator.control('POST', '/access-keys', {
        actions: ['ram:Get*', 'ram:List*', 'ram:DeleteAccessKey', 'ram:DeleteUser'],
      })
    ).body;
    const client = clientFor(key.accessKeyId, key.accessKeySecret);
    const report = await checkRamCleanupPermissions(client, ['accessKeys']);
    assert.equal(report.ok, true, report.summary);
    assert.deepEqual(
      report.checks.map((check) => check.action),
      EVERY_ACTION.filter((action) => /:(Get|List)/.test(action) || /AccessKey|DeleteUser/.test(action)),
    );
    // The same key, asked for the MFA step too, lacks its writes.
    assert.deepEqual((await checkRamCleanupPermissions(client, ['accessKeys', 'mfaDevice'])).missing, [
      'ram:UnbindMFADevice',
      'ram:DeleteVirtualMFADevice',
    ]);
  });

  it('sends no write when the probe user exists after all', async () => {
    await emulator.control('POST', '/users', {
      userName: 'lockstep-permission-probe-x',
      dependents: 'every',
    });
    const before = await snapshot();
    await emulator.control('DELETE', '/requests');
    const report = await checkRamCleanupPermissions(
      clientFor(emulator.accessKey.id, emulator.accessKey.secret),
      EVERY_STEP,
      { probeName: 'lockstep-permission-probe-x' },
    );
    assert.equal(report.status, 'inconclusive');
    assert.deepEqual(
      report.checks.filter((check) => check.result === 'allowed').map((check) => check.action),
      EVERY_ACTION.filter((action) => /:(Get|List)/.test(action)),
    );
    assert.match(
      report.checks.find((check) => check.action === 'ram:DeleteUser')?.message ?? '',
      /not checked: the probe user lockstep-permission-probe-x exists in RAM/,
    );
    const journal: { url: string }[] = (await emulator.control('GET', '/requests')).body;
    assert.ok(journal.every((entry) => /Action=(Get|List)/.test(entry.url)));
    assert.deepEqual(await snapshot(), before);
  });

  it('wrong credentials: a credentials error, not a list of missing permissions', async () => {
    for (const [id, secret, code] of [
      [emulator.accessKey.id, `${emulator.accessKey.secret}x`, 'SignatureDoesNotMatch'],
      ['LTAI5tNobodyKnowsThisKey0', emulator.accessKey.secret, 'InvalidAccessKeyId.NotFound'],
    ] as const) {
      const report = await checkRamCleanupPermissions(clientFor(id, secret), EVERY_STEP);
      assert.equal(report.ok, false);
      assert.equal(report.status, 'invalid_credentials');
      assert.deepEqual(report.missing, []);
      assert.match(report.summary, new RegExp(`RAM refused the AccessKey \\(${code.replace('.', '\\.')}\\)`));
      assert.ok(report.checks.every((check) => check.result === 'unknown'));
      assert.ok(!JSON.stringify(report).includes(emulator.accessKey.secret));
    }
    // Stopped at the first call.
    assert.equal((await emulator.control('GET', '/requests')).body.length, 2);
  });

  it('an endpoint that does not answer: unreachable', async () => {
    const port = await findClosedPort();
    const report = await checkRamCleanupPermissions(
      clientFor(emulator.accessKey.id, emulator.accessKey.secret, `127.0.0.1:${port}`),
      EVERY_STEP,
    );
    assert.equal(report.ok, false);
    assert.equal(report.status, 'unreachable');
    assert.match(report.summary, /did not answer \(ECONNREFUSED\)/);
    assert.equal(report.checks.length, EVERY_ACTION.length);
    assert.ok(report.checks.every((check) => check.result === 'unknown'));
  });

  it('inconclusive, not allowed, when RAM only fails: server errors prove nothing', async () => {
    await emulator.control('POST', '/faults', { surface: 'rpc', status: 503 });
    const report = await checkRamCleanupPermissions(
      clientFor(emulator.accessKey.id, emulator.accessKey.secret),
      EVERY_STEP,
    );
    assert.equal(report.status, 'inconclusive');
    assert.deepEqual(report.missing, []);
    assert.ok(report.checks.every((check) => check.result === 'unknown'));
    assert.match(
      report.checks[0]?.message ?? '',
      /^could not check ram:GetUser: RAM GetUser: 503 ServiceUnavailable/,
    );
  });
});
