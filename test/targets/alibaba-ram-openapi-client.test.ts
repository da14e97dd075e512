/**
 * Lockstep's RAM OpenAPI client (the official SDK underneath) against the RAM emulator process: each
 * wrapped call, the deprovisioning cascade driven by DeleteUser's DeleteConflict codes, and every
 * error kind — without the AccessKey secret ever showing in an error.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DELETE_CONFLICT_STEPS,
  findDeleteConflictStep,
  type RamCleanupStep,
} from '../../src/targets/alibaba-ram/delete-conflict-steps.ts';
import {
  createRamOpenapiClient,
  type RamOpenapiClient,
} from '../../src/targets/alibaba-ram/ram-openapi-client.ts';
import type { RamOpenapiResult } from '../../src/targets/alibaba-ram/ram-openapi-error.ts';
import { type RamEmulator, startRamEmulator } from '../e2e-support/ram-emulator.ts';

function value<T>(result: RamOpenapiResult<T>): T {
  if (!result.ok) assert.fail(`expected success, got ${result.error.message}`);
  return result.value;
}

function failure<T>(result: RamOpenapiResult<T>) {
  if (result.ok) assert.fail('expected a failure');
  return result.error;
}

/** Clears one kind of special state with the calls REFERENCE.md §5 names. */
async function clearStep(ram: RamOpenapiClient, userName: string, step: RamCleanupStep): Promise<void> {
  switch (step) {
    case 'accessKeys':
      for (const key of value(await ram.listAccessKeys(userName))) {
        value(await ram.deleteAccessKey(userName, key.accessKeyId));
      }
      return;
    case 'policies':
      for (const policy of value(await ram.listPoliciesForUser(userName))) {
        value(await ram.detachPolicyFromUser(userName, policy));
      }
      return;
    case 'groups':
      for (const group of value(await ram.listGroupsForUser(userName))) {
        value(await ram.removeUserFromGroup(userName, group.groupName));
      }
      return;
    case 'loginProfile':
      value(await ram.deleteLoginProfile(userName));
      return;
    case 'mfaDevice': {
      const { serialNumber } = value(await ram.unbindMfaDevice(userName));
      value(await ram.deleteVirtualMfaDevice(serialNumber));
      return;
    }
  }
}

describe('RAM OpenAPI client (official SDK) against the RAM emulator', () => {
  let emulator: RamEmulator;
  let ram: RamOpenapiClient;
  const clientFor = (accessKeyId: string, accessKeySecret: string, endpoint = emulator.rpcEndpoint) =>
    createRamOpenapiClient({ endpoint, protocol: 'http', accessKeyId, accessKeySecret });

  before(async () => {
    emulator = await startRamEmulator();
    ram = clientFor(emulator.accessKey.id, emulator.accessKey.secret);
  });
  after(() => emulator.stop());
  beforeEach(async () => {
    await emulator.control('POST', '/reset');
  });

  it('reads every special state of a seeded user', async () => {
    await emulator.control('POST', '/users', {
      userName: 'grace',
      displayName: 'Grace',
      dependents: 'every',
    });
    const user = value(await ram.getUser('grace'));
    assert.equal(user.userName, 'grace');
    assert.match(user.userId, /^\d{16}$/);
    assert.equal(value(await ram.listAccessKeys('grace')).length, 1);
    assert.deepEqual(
      value(await ram.listPoliciesForUser('grace')).map((policy) => [policy.policyName, policy.policyType]),
      [
        ['AliyunOSSReadOnlyAccess', 'System'],
        ['lockstep-test-custom', 'Custom'],
      ],
    );
    assert.deepEqual(
      value(await ram.listGroupsForUser('grace')).map((group) => group.groupName),
      ['lockstep-test-group'],
    );
    assert.equal(value(await ram.getLoginProfile('grace'))?.passwordResetRequired, true);
    assert.match(
      value(await ram.getUserMfaInfo('grace'))?.serialNumber ?? '',
      /^acs:ram::\d{16}:mfa\/grace$/,
    );
  });

  it('answers null for an absent login profile or MFA device, not_found for an absent user', async () => {
    value(await ram.createUser({ userName: 'heidi', displayName: 'Heidi' }));
    assert.equal(value(await ram.getLoginProfile('heidi')), null);
    assert.equal(value(await ram.getUserMfaInfo('heidi')), null);
    const missing = failure(await ram.getLoginProfile('nobody'));
    assert.deepEqual([missing.kind, missing.code, missing.status], ['not_found', 'EntityNotExist.User', 404]);
  });

  it('deletes a user in every special state by following each DeleteConflict code to its step', async () => {
    await emulator.control('POST', '/users', { userName: 'ivan', dependents: 'every' });
    const codes: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const deleted = await ram.deleteUser('ivan');
      if (deleted.ok) break;
      assert.equal(deleted.error.kind, 'conflict');
      assert.equal(deleted.error.status, 409);
      codes.push(deleted.error.code ?? '');
      const step = findDeleteConflictStep(deleted.error.code);
      assert.ok(step !== undefined, `no step for ${deleted.error.code}`);
      await clearStep(ram, 'ivan', step);
    }
    assert.deepEqual(
      codes,
      DELETE_CONFLICT_STEPS.map((entry) => entry.code),
    );
    const gone = failure(await ram.getUser('ivan'));
    assert.deepEqual([gone.kind, gone.code], ['not_found', 'EntityNotExist.User']);
    // Deleting again is the same not_found: the step is done.
    assert.equal(failure(await ram.deleteUser('ivan')).code, 'EntityNotExist.User');
    assert.deepEqual((await emulator.control('GET', '/account')).body.virtualMfaDevices, []);
  });

  it('restores a deleted user with CreateUser', async () => {
    value(await ram.createUser({ userName: 'judy', displayName: 'Judy', comments: 'restored' }));
    const clash = failure(await ram.createUser({ userName: 'JUDY' }));
    assert.deepEqual([clash.kind, clash.code], ['conflict', 'EntityAlreadyExists.User']);
    assert.equal(value(await ram.getUser('judy')).comments, 'restored');
  });

  it('a read-only AccessKey: reads work, writes are forbidden (NoPermission)', async () => {
    await emulator.control('POST', '/users', { userName: 'ken', dependents: { accessKeys: 1 } });
    const readOnly = clientFor(emulator.readOnlyAccessKey.id, emulator.readOnlyAccessKey.secret);
    const [key] = value(await readOnly.listAccessKeys('ken'));
    const refused = failure(await readOnly.deleteAccessKey('ken', key?.accessKeyId ?? ''));
    assert.deepEqual([refused.kind, refused.code, refused.status], ['forbidden', 'NoPermission', 403]);
    assert.equal(failure(await readOnly.deleteUser('ken')).kind, 'forbidden');
    assert.equal(value(await ram.listAccessKeys('ken')).length, 1);
  });

  it('a wrong secret is unauthenticated, and the secret never shows in the error', async () => {
    await emulator.control('POST', '/users', { userName: 'leo' });
    const secret = 'a-wrong-but-secret-value-4242';
    const error = failure(await clientFor(emulator.accessKey.id, secret).getUser('leo'));
    assert.deepEqual([error.kind, error.code], ['unauthenticated', 'SignatureDoesNotMatch']);
    assert.ok(!JSON.stringify(error).includes(secret));
    const unknown = failure(await clientFor('LTAI5tUnknownKey000000000', secret).getUser('leo'));
    assert.deepEqual([unknown.kind, unknown.code], ['unauthenticated', 'InvalidAccessKeyId.NotFound']);
  });

  it('throttled and server errors from RAM, unreachable when nothing answers', async () => {
    await emulator.control('POST', '/faults', { surface: 'rpc', status: 429, times: 1 });
    const throttled = failure(await ram.getUser('anyone'));
    assert.deepEqual(
      [throttled.kind, throttled.code, throttled.status],
      ['throttled', 'Throttling.User', 429],
    );
    await emulator.control('POST', '/faults', { surface: 'rpc', status: 503, times: 1 });
    assert.equal(failure(await ram.getUser('anyone')).kind, 'server_error');

    const port = await findClosedPort();
    const unreachable = failure(
      await clientFor(emulator.accessKey.id, emulator.accessKey.secret, `127.0.0.1:${port}`).getUser(
        'anyone',
      ),
    );
    assert.equal(unreachable.kind, 'unreachable');
    assert.equal(unreachable.status, undefined);
    assert.ok(!unreachable.message.includes(emulator.accessKey.secret));
  });
});

/** A local port nothing listens on (bound, then released). */
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}
