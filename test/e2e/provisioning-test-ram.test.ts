/**
 * Credentials checked before they are needed (issue 5, item 8), over real HTTP against the RAM
 * emulator process: a target's test checks its native API's AccessKey against every cleanup step;
 * a provisioning's test checks exactly what its deprovision policy needs and names each missing
 * permission — a key without `ram:UnbindMFADevice` fails a policy that clears MFA devices and passes
 * one that leaves them out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Storage } from '../../src/storage/open-storage.ts';
import {
  type RamEmulator,
  ramNativeApiBody,
  ramTargetBody,
  startRamEmulator,
} from '../e2e-support/ram-emulator.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();

/** Everything but UnbindMFADevice: the misconfiguration the check exists to find. */
const NO_UNBIND_MFA = {
  accessKeyId: 'LTAI5tProvisioningNoMfa01',
  accessKeySecret: 'provisioning-test-no-unbind-mfa-secret',
  actions: ['ram:Get*', 'ram:List*', 'ram:Delete*', 'ram:DetachPolicyFromUser', 'ram:RemoveUserFromGroup'],
};

interface Check {
  action: string;
  step: string;
  result: string;
}

describe('provisioning and target tests check the native API permissions (RAM emulator)', () => {
  let ram: RamEmulator;
  before(async () => {
    ram = await startRamEmulator();
    const added = await ram.control('POST', '/access-keys', NO_UNBIND_MFA);
    assert.equal(added.status, 201, JSON.stringify(added.body));
  });
  after(() => ram?.stop());

  for (const dialect of dialects) {
    describe(dialect.name, () => {
      let storage: Storage;
      let hub: TestService;
      const admin = (method: string, path: string, body?: unknown) =>
        hub.request(method, `/api/tenants/acme${path}`, {
          headers: { authorization: `Bearer ${hub.adminToken}` },
          ...(body !== undefined ? { body } : {}),
        });
      const createTarget = async (name: string, nativeApi?: Record<string, unknown>) => {
        const answer = await admin('POST', '/targets', {
          ...ramTargetBody(ram, name),
          ...(nativeApi !== undefined ? { nativeApi } : {}),
        });
        assert.equal(answer.status, 201, answer.text);
        return answer.body.id as string;
      };
      const createProvisioning = async (targetId: string, deprovision: Record<string, unknown> = {}) => {
        const answer = await admin('POST', '/provisionings', {
          name: `p${targetId}`,
          targetId,
          enabled: false,
          config: { deprovision },
        });
        assert.equal(answer.status, 201, answer.text);
        return answer.body.id as string;
      };
      const withKey = (key: { accessKeyId: string; accessKeySecret: string }) => ({
        ...ramNativeApiBody(ram),
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
      });

      before(async () => {
        storage = await dialect.open();
        hub = await createTestService(storage);
      });
      after(async () => {
        await hub?.close();
        await storage?.close();
      });

      it('a target with a full-access key: its test checks every cleanup step, all allowed', async () => {
        const targetId = await createTarget('full', ramNativeApiBody(ram));
        const answer = await admin('POST', `/targets/${targetId}/test`, {});
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.body.ok, true, answer.text);
        const native = answer.body.nativeApi;
        assert.equal(native.status, 'ok');
        assert.equal(native.accessKeyId, ram.accessKey.id);
        assert.deepEqual(native.steps, ['accessKeys', 'policies', 'groups', 'loginProfile', 'mfaDevice']);
        assert.equal(native.checks.length, 13);
        assert.ok(native.checks.every((check: Check) => check.result === 'allowed'));
        assert.ok(!answer.text.includes(ram.accessKey.secret), 'never the secret');

        const provisioningId = await createProvisioning(targetId);
        const tested = await admin('POST', `/provisionings/${provisioningId}/test`);
        assert.equal(tested.status, 200, tested.text);
        assert.equal(tested.body.ok, true, tested.text);
        assert.deepEqual(tested.body.problems, []);
        assert.deepEqual(tested.body.deprovisioning.missing, []);
        assert.equal(tested.body.deprovisioning.nativeApi, 'checked');
        assert.ok(tested.body.connectivity.steps.some((step: { name: string }) => step.name === 'lookup'));
      });

      it('a key without ram:UnbindMFADevice: named missing when the policy clears MFA devices, ok when it does not', async () => {
        const targetId = await createTarget('no-mfa', withKey(NO_UNBIND_MFA));
        const targetTest = await admin('POST', `/targets/${targetId}/test`, {});
        assert.equal(targetTest.status, 200, targetTest.text);
        assert.equal(targetTest.body.ok, true, 'a missing permission does not make the target unusable');
        assert.deepEqual(targetTest.body.nativeApi.missing, ['ram:UnbindMFADevice']);

        const everything = await createProvisioning(targetId);
        const failing = await admin('POST', `/provisionings/${everything}/test`);
        assert.equal(failing.status, 200, failing.text);
        assert.equal(failing.body.ok, false);
        const [missing, ...others] = failing.body.deprovisioning.missing;
        assert.deepEqual(others, []);
        assert.equal(missing.action, 'ram:UnbindMFADevice');
        assert.equal(missing.kind, 'mfaDevice');
        assert.deepEqual(missing.neededFor, ['cleanup']);
        assert.equal(
          missing.message,
          `The AccessKey ${NO_UNBIND_MFA.accessKeyId} may not call ram:UnbindMFADevice, which the policy needs to ` +
            'clear MFA devices before a delete (deprovision.cleanup allows mfaDevice): MFA devices cannot be ' +
            'cleared automatically. Grant it to the AccessKey, or take mfaDevice out of deprovision.cleanup.',
        );
        assert.match(missing.message, /clear MFA devices before a delete/);
        assert.match(missing.message, /take mfaDevice out of deprovision\.cleanup/);
        assert.deepEqual(failing.body.problems, [missing.message]);
        assert.deepEqual(failing.body.connectivity.nativeApi.missing, ['ram:UnbindMFADevice']);

        const withoutMfa = await createProvisioning(targetId, {
          cleanup: ['accessKeys', 'policies', 'groups', 'loginProfile'],
        });
        const passing = await admin('POST', `/provisionings/${withoutMfa}/test`);
        assert.equal(passing.body.ok, true, passing.text);
        assert.deepEqual(passing.body.deprovisioning.cleanup, [
          'accessKeys',
          'policies',
          'groups',
          'loginProfile',
        ]);
        const actions = passing.body.connectivity.nativeApi.checks.map((check: Check) => check.action);
        assert.ok(!actions.includes('ram:UnbindMFADevice'), 'the MFA writes are not checked');
        assert.ok(actions.includes('ram:GetUserMFAInfo'), 'the backup still reads the MFA device');
      });

      it("a read-only key: the policy's revocation needs the writes too; cleanup [] still needs DeleteUser", async () => {
        const targetId = await createTarget(
          'read-only',
          withKey({
            accessKeyId: ram.readOnlyAccessKey.id,
            accessKeySecret: ram.readOnlyAccessKey.secret,
          }),
        );
        const provisioningId = await createProvisioning(targetId, { cleanup: [], onDisabled: 'disable' });
        const tested = await admin('POST', `/provisionings/${provisioningId}/test`);
        assert.equal(tested.body.ok, false);
        assert.deepEqual(tested.body.deprovisioning.revocation, [
          'accessKeys',
          'policies',
          'groups',
          'loginProfile',
        ]);
        const byAction = Object.fromEntries(
          tested.body.deprovisioning.missing.map((item: { action: string; neededFor: string[] }) => [
            item.action,
            item.neededFor,
          ]),
        );
        assert.deepEqual(byAction, {
          'ram:DeleteAccessKey': ['revocation'],
          'ram:DetachPolicyFromUser': ['revocation'],
          'ram:RemoveUserFromGroup': ['revocation'],
          'ram:DeleteLoginProfile': ['revocation'],
          'ram:DeleteUser': ['delete'],
        });

        const keeps = await createProvisioning(targetId, {
          cleanup: [],
          onDisabled: 'keep',
          onDeleted: 'delete',
        });
        const onlyDelete = await admin('POST', `/provisionings/${keeps}/test`);
        assert.deepEqual(
          onlyDelete.body.deprovisioning.missing.map((item: { action: string }) => item.action),
          ['ram:DeleteUser'],
        );
        assert.match(onlyDelete.body.problems[0], /ram:DeleteUser, which every delete needs/);
      });

      it('wrong native credentials fail both tests; no native API is a warning; unknown provisionings 404', async () => {
        const wrong = await createTarget(
          'wrong',
          withKey({ ...NO_UNBIND_MFA, accessKeySecret: 'not-the-secret' }),
        );
        const targetTest = await admin('POST', `/targets/${wrong}/test`, {});
        assert.equal(targetTest.body.ok, false);
        assert.equal(targetTest.body.nativeApi.status, 'invalid_credentials');
        const provisioningTest = await admin(
          'POST',
          `/provisionings/${await createProvisioning(wrong)}/test`,
        );
        assert.equal(provisioningTest.body.ok, false);
        assert.match(provisioningTest.body.problems.join('\n'), /refused the AccessKey/);

        const plain = await createTarget('plain');
        const noNative = await admin('POST', `/provisionings/${await createProvisioning(plain)}/test`);
        assert.equal(noNative.body.ok, true, noNative.text);
        assert.equal(noNative.body.deprovisioning.nativeApi, 'none');
        assert.equal(noNative.body.connectivity.nativeApi, undefined);
        assert.match(noNative.body.warnings[0], /no native API/);

        assert.equal((await admin('POST', '/provisionings/prv_nope/test')).status, 404);
        const other = await hub.request('POST', `/api/tenants/globex/provisionings/${wrong}/test`, {
          headers: { authorization: `Bearer ${hub.adminToken}` },
        });
        assert.equal(other.status, 404);
      });
    });
  }
});
