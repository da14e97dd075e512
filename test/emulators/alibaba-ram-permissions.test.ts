/**
 * The RAM emulator's caller AccessKeys carry RAM policy actions (`ram:Get*`, `ram:DeleteUser`, …):
 * given at start (`--rpc-access-key`) or through the control API, checked before the action looks
 * anything up, and refused with RAM's NoPermission (403) and its AccessDeniedDetail.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as $Ram from '@alicloud/ram20150501';
import {
  createRamSdkClient,
  RamOpenapiConfigSchema,
} from '../../src/targets/alibaba-ram/ram-openapi-client.ts';
import { type RamEmulator, startRamEmulator } from '../e2e-support/ram-emulator.ts';

const NO_DELETE_USER = {
  accessKeyId: 'LTAI5tEmulatorNoDeleteUser',
  accessKeySecret: 'emulator-no-delete-user-secret-0123',
  actions: ['ram:Get*', 'ram:List*', 'ram:DeleteAccessKey'],
};

/** What the SDK threw; fails the test when the call succeeded. */
async function refusal(
  call: Promise<unknown>,
): Promise<{ code: string; statusCode: number; accessDeniedDetail?: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const { code, statusCode, accessDeniedDetail } = error as {
      code: string;
      statusCode: number;
      accessDeniedDetail?: Record<string, unknown>;
    };
    return { code, statusCode, ...(accessDeniedDetail ? { accessDeniedDetail } : {}) };
  }
  assert.fail('the call was expected to be refused');
}

describe('Alibaba Cloud RAM emulator: AccessKeys with RAM policy actions', () => {
  let emulator: RamEmulator;
  const sdkFor = (id: string, secret: string) =>
    createRamSdkClient(
      RamOpenapiConfigSchema.parse({
        endpoint: emulator.rpcEndpoint,
        protocol: 'http',
        accessKeyId: id,
        accessKeySecret: secret,
      }),
    );

  before(async () => {
    emulator = await startRamEmulator({ args: ['--rpc-access-key', JSON.stringify(NO_DELETE_USER)] });
  });
  after(() => emulator.stop());
  beforeEach(async () => {
    await emulator.control('POST', '/reset');
  });

  it('lists the keys with their actions, never their secrets', async () => {
    const { accessKeys } = (await emulator.control('GET', '/account')).body;
    assert.deepEqual(
      accessKeys.map((key: { accessKeyId: string; permission: string; actions: string[] }) => [
        key.accessKeyId,
        key.permission,
        key.actions,
      ]),
      [
        [emulator.accessKey.id, 'full', ['ram:*']],
        [emulator.readOnlyAccessKey.id, 'readOnly', ['ram:Get*', 'ram:List*']],
        [NO_DELETE_USER.accessKeyId, 'custom', NO_DELETE_USER.actions],
      ],
    );
    assert.ok(!JSON.stringify(accessKeys).includes(NO_DELETE_USER.accessKeySecret));
  });

  it('authorizes before looking the user up: permitted → EntityNotExist.User, denied → NoPermission', async () => {
    const limited = sdkFor(NO_DELETE_USER.accessKeyId, NO_DELETE_USER.accessKeySecret);
    const deleteKey = () =>
      limited.deleteAccessKey(
        new $Ram.DeleteAccessKeyRequest({ userName: 'nobody', userAccessKeyId: 'LTAI5tNoSuchKey00000000' }),
      );
    assert.deepEqual(await refusal(deleteKey()), { code: 'EntityNotExist.User', statusCode: 404 });
    const denied = await refusal(limited.deleteUser(new $Ram.DeleteUserRequest({ userName: 'nobody' })));
    assert.equal(denied.code, 'NoPermission');
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.accessDeniedDetail?.AuthAction, 'ram:DeleteUser');
    assert.equal(denied.accessDeniedDetail?.NoPermissionType, 'ImplicitDeny');

    // Both calls reached the emulator and were answered; neither looked further.
    const journal = (await emulator.control('GET', '/requests')).body;
    assert.deepEqual(
      journal.map((entry: { status: number }) => entry.status),
      [404, 403],
    );
  });

  it('refuses a denied write on an existing user and changes nothing', async () => {
    await emulator.control('POST', '/users', { userName: 'olga', dependents: 'every' });
    const limited = sdkFor(NO_DELETE_USER.accessKeyId, NO_DELETE_USER.accessKeySecret);
    for (const write of [
      () => limited.deleteUser(new $Ram.DeleteUserRequest({ userName: 'olga' })),
      () => limited.unbindMFADevice(new $Ram.UnbindMFADeviceRequest({ userName: 'olga' })),
      () => limited.createUser(new $Ram.CreateUserRequest({ userName: 'mallory' })),
    ]) {
      assert.equal((await refusal(write())).code, 'NoPermission');
    }
    const [olga] = (await emulator.control('GET', '/state')).body.users;
    assert.equal(olga.userName, 'olga');
    assert.notEqual(olga.dependents.mfaDevice, null);
    // A permitted write goes through.
    const [key] =
      (await limited.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: 'olga' }))).body?.accessKeys
        ?.accessKey ?? [];
    await limited.deleteAccessKey(
      new $Ram.DeleteAccessKeyRequest({ userName: 'olga', userAccessKeyId: key?.accessKeyId ?? '' }),
    );
    assert.deepEqual((await emulator.control('GET', '/state')).body.users[0].dependents.accessKeys, []);
  });

  it('adds keys with actions through the control API, and refuses bad ones', async () => {
    const added = await emulator.control('POST', '/access-keys', { actions: ['ram:*User'] });
    assert.equal(added.status, 201);
    assert.equal(added.body.permission, 'custom');
    const sdk = sdkFor(added.body.accessKeyId, added.body.accessKeySecret);
    assert.equal(
      (await refusal(sdk.getUser(new $Ram.GetUserRequest({ userName: 'nobody' })))).code,
      'EntityNotExist.User',
    );
    assert.equal(
      (await refusal(sdk.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: 'nobody' })))).code,
      'NoPermission',
    );

    for (const body of [
      { actions: ['DeleteUser'] },
      { actions: ['ecs:*'] },
      { permission: 'full', actions: ['ram:*'] },
      { permission: 'admin' },
    ]) {
      const refused = await emulator.control('POST', '/access-keys', body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.error, 'invalid_request');
    }
    // Reset goes back to the keys given at start.
    await emulator.control('POST', '/reset');
    assert.equal((await emulator.control('GET', '/account')).body.accessKeys.length, 3);
  });
});
