/**
 * The RAM side of deprovisioning against the RAM emulator process over real HTTP (official SDK,
 * signed requests): the snapshot taken before any destructive step, clearing the special states in
 * cascade order, DeleteUser with verification, a blocked cleanup that names the state a person must
 * clear, revocation without deletion, restoring dependents onto a recreated user, and a read-only
 * AccessKey whose missing permission is named.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DELETE_CONFLICT_STEPS,
  type RamCleanupStep,
} from '../../src/targets/alibaba-ram/delete-conflict-steps.ts';
import {
  createRamAccountRemover,
  RAM_REVOCATION_STEPS,
  type RamAccountRemover,
} from '../../src/targets/alibaba-ram/ram-account-remover.ts';
import {
  type RamAccountSnapshot,
  RamAccountSnapshotSchema,
} from '../../src/targets/alibaba-ram/ram-account-snapshot.ts';
import { createRamNativeAccountApi } from '../../src/targets/alibaba-ram/ram-native-account-api.ts';
import {
  createRamOpenapiClient,
  type RamOpenapiClient,
} from '../../src/targets/alibaba-ram/ram-openapi-client.ts';
import type { RamOpenapiResult } from '../../src/targets/alibaba-ram/ram-openapi-error.ts';
import { type RamEmulator, startRamEmulator } from '../e2e-support/ram-emulator.ts';

const ALL_STEPS: ReadonlySet<RamCleanupStep> = new Set(DELETE_CONFLICT_STEPS.map((entry) => entry.step));

/** The seed scenario's user: an MFA device, two AccessKeys, two groups, two policies, a login profile. */
const SEED_SCENARIO = {
  accessKeys: 2,
  policies: ['AliyunOSSReadOnlyAccess', { policyName: 'lockstep-test-custom', policyType: 'Custom' }],
  groups: ['lockstep-test-group', 'lockstep-test-other'],
  loginProfile: { passwordResetRequired: true },
  mfaDevice: true,
};

function value<T>(
  result: RamOpenapiResult<T> | { ok: true; value: T } | { ok: false; error: { message: string } },
): T {
  if (!result.ok) assert.fail(`expected success, got ${result.error.message}`);
  return result.value;
}

describe('RAM account remover against the RAM emulator', () => {
  let emulator: RamEmulator;
  let ram: RamOpenapiClient;
  let remover: RamAccountRemover;

  const seed = async (userName: string, dependents: unknown = SEED_SCENARIO): Promise<string> => {
    const answer = await emulator.control('POST', '/users', { userName, dependents });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.id as string;
  };
  const snapshotOf = async (userName: string): Promise<RamAccountSnapshot> => {
    const inspection = value(await remover.inspect(userName));
    assert.equal(inspection.status, 'present');
    if (inspection.status !== 'present') throw new Error('absent');
    return inspection.snapshot;
  };
  const dependentsOf = async (id: string) => (await emulator.control('GET', `/users/${id}`)).body.dependents;

  before(async () => {
    emulator = await startRamEmulator();
    ram = createRamOpenapiClient({
      endpoint: emulator.rpcEndpoint,
      protocol: 'http',
      accessKeyId: emulator.accessKey.id,
      accessKeySecret: emulator.accessKey.secret,
    });
    remover = createRamAccountRemover(ram);
  });
  after(() => emulator.stop());
  beforeEach(async () => {
    await emulator.control('POST', '/reset');
  });

  it('inspects a user into a JSON snapshot with every dependent and no secret', async () => {
    await seed('alice');
    const snapshot = await snapshotOf('alice');
    assert.equal(snapshot.kind, 'alibaba-ram');
    assert.equal(snapshot.version, 1);
    assert.equal(snapshot.user.userName, 'alice');
    assert.match(snapshot.user.userId, /^\d{16}$/);
    assert.equal(snapshot.accessKeys.length, 2);
    for (const key of snapshot.accessKeys) {
      assert.match(key.accessKeyId, /^LTAI/);
      assert.equal(key.status, 'Active');
      assert.deepEqual(Object.keys(key).sort(), ['accessKeyId', 'createDate', 'status']);
    }
    assert.deepEqual(
      snapshot.policies.map((policy) => [policy.policyName, policy.policyType]),
      [
        ['AliyunOSSReadOnlyAccess', 'System'],
        ['lockstep-test-custom', 'Custom'],
      ],
    );
    assert.deepEqual(
      snapshot.groups.map((group) => group.groupName),
      ['lockstep-test-group', 'lockstep-test-other'],
    );
    assert.equal(snapshot.loginProfile?.passwordResetRequired, true);
    assert.equal(snapshot.loginProfile?.mfaBindRequired, false);
    assert.match(snapshot.mfaDevice?.serialNumber ?? '', /^acs:ram::\d{16}:mfa\/alice$/);
    assert.equal(snapshot.mfaDevice?.type, 'VMFA');
    const stored = JSON.stringify(snapshot);
    assert.doesNotMatch(stored, /secret|"password"/i);
    assert.deepEqual(RamAccountSnapshotSchema.parse(JSON.parse(stored)), snapshot);

    assert.deepEqual(value(await remover.inspect('nobody')), { status: 'absent' });
  });

  it('clears every special state in cascade order, deletes, and verifies the user is gone', async () => {
    await seed('alice');
    const snapshot = await snapshotOf('alice');
    const report = await remover.clear('alice', snapshot, ALL_STEPS);
    assert.equal(report.outcome, 'cleared');
    assert.deepEqual(report.blocked, []);
    assert.equal(report.failure, undefined);
    assert.deepEqual(
      report.steps.map((step) => [step.step, step.state, step.result]),
      [
        ['accessKeys', 'AccessKey', 'cleared'],
        ['policies', 'Policy', 'cleared'],
        ['groups', 'Group', 'cleared'],
        ['loginProfile', 'LoginProfile', 'cleared'],
        ['mfaDevice', 'MFADevice', 'cleared'],
      ],
    );
    assert.deepEqual(
      report.steps[0]?.cleared,
      snapshot.accessKeys.map((key) => key.accessKeyId),
    );
    assert.deepEqual(report.steps[1]?.cleared, [
      'System:AliyunOSSReadOnlyAccess',
      'Custom:lockstep-test-custom',
    ]);
    assert.deepEqual(report.steps[4]?.cleared, [snapshot.mfaDevice?.serialNumber]);
    for (const step of report.steps) assert.ok(step.durationMs >= 0 && step.durationMs < 5_000);

    const deleted = value(await remover.deleteAndVerify('alice'));
    assert.equal(deleted.status, 'deleted');
    assert.deepEqual(value(await remover.inspect('alice')), { status: 'absent' });
    // The virtual device it unbound was deleted too: no TOTP seed left in the account.
    assert.deepEqual((await emulator.control('GET', '/account')).body.virtualMfaDevices, []);
    assert.equal(value(await remover.deleteAndVerify('alice')).status, 'already_gone');
  });

  it('with MFA cleanup not allowed: blocked, names MFADevice, and only the MFA device is left', async () => {
    const id = await seed('bob');
    const snapshot = await snapshotOf('bob');
    const allowed = new Set(ALL_STEPS);
    allowed.delete('mfaDevice');
    const report = await remover.clear('bob', snapshot, allowed);
    assert.equal(report.outcome, 'blocked');
    assert.deepEqual(
      report.steps.map((step) => step.step),
      ['accessKeys', 'policies', 'groups', 'loginProfile'],
    );
    assert.equal(report.blocked.length, 1);
    const [blocked] = report.blocked;
    assert.equal(blocked?.state, 'MFADevice');
    assert.equal(blocked?.code, 'DeleteConflict.User.MFADevice');
    assert.deepEqual(blocked?.items, [snapshot.mfaDevice?.serialNumber]);
    assert.equal(
      blocked?.action,
      'unbind the MFA device of user bob in the RAM console or with UnbindMFADevice',
    );

    const left = await dependentsOf(id);
    assert.deepEqual(
      { ...left, mfaDevice: left.mfaDevice === null ? null : 'bound' },
      { accessKeys: [], policies: [], groups: [], loginProfile: null, mfaDevice: 'bound' },
    );
    const refused = value(await remover.deleteAndVerify('bob'));
    assert.equal(refused.status, 'conflict');
    assert.equal(refused.status === 'conflict' ? refused.state : undefined, 'MFADevice');

    // A person unbinds the device: the delete goes through.
    await emulator.control('DELETE', `/users/${id}/dependents?kinds=mfaDevice`);
    assert.equal(value(await remover.deleteAndVerify('bob')).status, 'deleted');
  });

  it('counts an item gone meanwhile as cleared, and reports a state that appeared since the snapshot', async () => {
    const id = await seed('carol', { accessKeys: 2, groups: ['lockstep-test-group'] });
    const snapshot = await snapshotOf('carol');
    const [first, second] = snapshot.accessKeys.map((key) => key.accessKeyId);
    value(await ram.deleteAccessKey('carol', first ?? ''));
    const report = await remover.clear('carol', snapshot, ALL_STEPS);
    assert.equal(report.outcome, 'cleared');
    assert.deepEqual(report.steps[0]?.cleared, [second]);
    assert.deepEqual(report.steps[0]?.alreadyGone, [first]);

    await emulator.control('POST', `/users/${id}/dependents`, { accessKeys: 1 });
    const refused = value(await remover.deleteAndVerify('carol'));
    assert.deepEqual(refused.status === 'conflict' ? [refused.code, refused.state, refused.step] : refused, [
      'DeleteConflict.User.AccessKey',
      'AccessKey',
      'accessKeys',
    ]);
  });

  it('revokes without deleting: AccessKeys, login profile, policies and groups go; the MFA device stays', async () => {
    const id = await seed('dave');
    const snapshot = await snapshotOf('dave');
    const report = await remover.revoke('dave', snapshot);
    assert.equal(report.outcome, 'revoked');
    assert.deepEqual(
      report.steps.map((step) => [step.step, step.result]),
      RAM_REVOCATION_STEPS.map((step) => [step, 'cleared']),
    );
    assert.deepEqual(report.kept, ['the RAM user dave', 'its MFA device']);
    const left = await dependentsOf(id);
    assert.deepEqual([left.accessKeys, left.policies, left.groups, left.loginProfile], [[], [], [], null]);
    assert.equal(left.mfaDevice.serialNumber, snapshot.mfaDevice?.serialNumber);
    assert.equal(value(await ram.getUser('dave')).userName, 'dave');
  });

  it('restores groups and policies onto the recreated user and lists what it cannot restore', async () => {
    await seed('erin');
    const snapshot = await snapshotOf('erin');
    assert.equal((await remover.clear('erin', snapshot, ALL_STEPS)).outcome, 'cleared');
    assert.equal(value(await remover.deleteAndVerify('erin')).status, 'deleted');

    const absent = await remover.restoreDependents('erin', snapshot);
    assert.equal(absent.ok ? undefined : absent.error.code, 'EntityNotExist.User');

    value(await ram.createUser({ userName: 'erin' }));
    const report = value(await remover.restoreDependents('erin', snapshot));
    assert.deepEqual(report.restored, [
      { kind: 'group', what: 'lockstep-test-group' },
      { kind: 'group', what: 'lockstep-test-other' },
      { kind: 'policy', what: 'System:AliyunOSSReadOnlyAccess' },
      { kind: 'policy', what: 'Custom:lockstep-test-custom' },
    ]);
    assert.deepEqual(
      report.notRestored.map((item) => [item.kind, item.what]),
      [
        ...snapshot.accessKeys.map((key) => ['accessKey', key.accessKeyId]),
        ['loginProfile', 'loginProfile'],
        ['mfaDevice', snapshot.mfaDevice?.serialNumber],
      ],
    );
    for (const item of report.notRestored) assert.ok(item.why.length > 20, item.why);

    assert.deepEqual(
      value(await ram.listGroupsForUser('erin')).map((group) => group.groupName),
      ['lockstep-test-group', 'lockstep-test-other'],
    );
    assert.deepEqual(
      value(await ram.listPoliciesForUser('erin')).map((policy) => policy.policyName),
      ['AliyunOSSReadOnlyAccess', 'lockstep-test-custom'],
    );
    // Again: already there counts as restored.
    assert.equal(value(await remover.restoreDependents('erin', snapshot)).restored.length, 4);
  });

  it('a read-only AccessKey: inspect works, clear stops at the first step naming the missing permission', async () => {
    const id = await seed('frank');
    const readOnly = createRamAccountRemover(
      createRamOpenapiClient({
        endpoint: emulator.rpcEndpoint,
        protocol: 'http',
        accessKeyId: emulator.readOnlyAccessKey.id,
        accessKeySecret: emulator.readOnlyAccessKey.secret,
      }),
    );
    const inspection = value(await readOnly.inspect('frank'));
    assert.equal(inspection.status, 'present');
    if (inspection.status !== 'present') return;
    const report = await readOnly.clear('frank', inspection.snapshot, ALL_STEPS);
    assert.equal(report.outcome, 'failed');
    assert.deepEqual(
      report.steps.map((step) => [step.step, step.result]),
      [['accessKeys', 'failed']],
    );
    assert.equal(report.failure?.step, 'accessKeys');
    assert.equal(report.failure?.error.code, 'NoPermission');
    assert.equal(report.failure?.error.kind, 'forbidden');
    assert.equal(report.failure?.missingPermission, 'ram:DeleteAccessKey');
    assert.ok(!JSON.stringify(report).includes(emulator.readOnlyAccessKey.secret));
    assert.equal((await dependentsOf(id)).accessKeys.length, 2);

    const revoked = await readOnly.revoke('frank', inspection.snapshot);
    assert.equal(revoked.outcome, 'partial');
    assert.ok(revoked.steps.every((step) => step.result === 'failed' && step.error?.code === 'NoPermission'));
    const denied = await readOnly.deleteAndVerify('frank');
    assert.equal(denied.ok ? undefined : denied.error.code, 'NoPermission');
  });

  it('serves the engine as its NativeAccountApi: backup, blocked, verify, restore', async () => {
    const id = await seed('grace');
    const native = createRamNativeAccountApi(ram);
    const inspected = value(await native.inspect('grace'));
    assert.notEqual(inspected, 'absent');
    if (inspected === 'absent') return;
    assert.deepEqual(inspected.states, ['accessKeys', 'policies', 'groups', 'loginProfile', 'mfaDevice']);
    const backup = JSON.parse(JSON.stringify(inspected.snapshot)) as Record<string, unknown>;

    const allowed = new Set(ALL_STEPS);
    allowed.delete('mfaDevice');
    const cleared = value(await native.clear('grace', backup, allowed));
    assert.deepEqual(
      cleared.blocked.map((state) => [state.state, state.kind]),
      [['MFADevice', 'mfaDevice']],
    );
    assert.match(cleared.blocked[0]?.instruction ?? '', /unbind the MFA device of user grace/);
    assert.ok(
      cleared.steps.some(
        (step) => step.description === 'DetachPolicyFromUser AliyunOSSReadOnlyAccess (System)',
      ),
    );
    assert.ok(cleared.steps.every((step) => step.ok));
    assert.equal(value(await native.verifyGone('grace')), false);

    await emulator.control('DELETE', `/users/${id}/dependents?kinds=mfaDevice`);
    value(await ram.deleteUser('grace'));
    assert.equal(value(await native.verifyGone('grace')), true);
    assert.equal(value(await native.inspect('grace')), 'absent');

    value(await ram.createUser({ userName: 'grace' }));
    const restored = value(await native.restoreDependents('grace', backup));
    assert.deepEqual(restored.restored, [
      'group lockstep-test-group',
      'group lockstep-test-other',
      'policy AliyunOSSReadOnlyAccess (System)',
      'policy lockstep-test-custom (Custom)',
    ]);
    assert.deepEqual(
      restored.notRestored.map((item) => item.what.split(' ')[0]),
      ['AccessKey', 'AccessKey', 'login', 'MFA'],
    );

    const garbage = await native.clear('grace', { kind: 'aws-iam' }, allowed);
    assert.equal(garbage.ok ? undefined : garbage.error.retryable, false);
    const readOnly = createRamNativeAccountApi(
      createRamOpenapiClient({
        endpoint: emulator.rpcEndpoint,
        protocol: 'http',
        accessKeyId: emulator.readOnlyAccessKey.id,
        accessKeySecret: emulator.readOnlyAccessKey.secret,
      }),
    );
    const refused = await readOnly.revoke('grace', backup);
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.error.code, 'NoPermission');
      assert.equal(refused.error.retryable, false);
      assert.match(
        refused.error.message,
        /lacks ram:(DeleteAccessKey|DeleteLoginProfile|DetachPolicyFromUser|RemoveUserFromGroup)/,
      );
    }
  });
});
