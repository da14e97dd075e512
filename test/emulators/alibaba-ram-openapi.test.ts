/**
 * The RAM emulator's RPC API (OpenAPI 2015-05-01) driven by the official SDK (`@alicloud/ram20150501`)
 * against the emulator in its own process: every special state made the way RAM's API makes it,
 * DeleteUser refused with each exact DeleteConflict.User.* code, the V3 signature really checked,
 * read-only AccessKeys refused on writes, and the SCIM DELETE refusing the same way.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as $OpenApi from '@alicloud/openapi-core';
import * as $Ram from '@alicloud/ram20150501';
import {
  createRamSdkClient,
  RamOpenapiConfigSchema,
} from '../../src/targets/alibaba-ram/ram-openapi-client.ts';
import { type RamEmulator, startRamEmulator } from '../e2e-support/ram-emulator.ts';

type Sdk = ReturnType<typeof createRamSdkClient>;

/** What the SDK threw: `{code, statusCode}`; fails the test when the call succeeded. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; statusCode: number }> {
  try {
    await call;
  } catch (error) {
    const { code, statusCode } = error as { code: string; statusCode: number };
    return { code, statusCode };
  }
  assert.fail('the call was expected to be refused');
}

describe('Alibaba Cloud RAM emulator: the RPC API through the official SDK', () => {
  let emulator: RamEmulator;
  let sdk: Sdk;
  let readOnly: Sdk;
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
    emulator = await startRamEmulator();
    sdk = sdkFor(emulator.accessKey.id, emulator.accessKey.secret);
    readOnly = sdkFor(emulator.readOnlyAccessKey.id, emulator.readOnlyAccessKey.secret);
  });
  after(() => emulator.stop());
  beforeEach(async () => {
    await emulator.control('POST', '/reset');
  });

  /** A user in every special state, each made by the API call RAM documents for it. */
  const giveEverySpecialState = async (userName: string) => {
    const key = await sdk.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName }));
    assert.match(key.body?.accessKey?.accessKeyId ?? '', /^LTAI\w{20}$/);
    assert.ok((key.body?.accessKey?.accessKeySecret ?? '').length >= 30);
    await sdk.createPolicy(
      new $Ram.CreatePolicyRequest({
        policyName: 'team-policy',
        policyDocument: JSON.stringify({ Version: '1', Statement: [] }),
      }),
    );
    await sdk.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({ userName, policyName: 'team-policy', policyType: 'Custom' }),
    );
    await sdk.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        userName,
        policyName: 'AliyunOSSReadOnlyAccess',
        policyType: 'System',
      }),
    );
    await sdk.createGroup(new $Ram.CreateGroupRequest({ groupName: 'developers', comments: 'devs' }));
    await sdk.addUserToGroup(new $Ram.AddUserToGroupRequest({ userName, groupName: 'developers' }));
    await sdk.createLoginProfile(
      new $Ram.CreateLoginProfileRequest({
        userName,
        password: 'Initial-Passw0rd!',
        passwordResetRequired: true,
      }),
    );
    const device = await sdk.createVirtualMFADevice(
      new $Ram.CreateVirtualMFADeviceRequest({ virtualMFADeviceName: userName }),
    );
    const serialNumber = device.body?.virtualMFADevice?.serialNumber ?? '';
    assert.match(serialNumber, /^acs:ram::\d{16}:mfa\//);
    await sdk.bindMFADevice(
      new $Ram.BindMFADeviceRequest({
        userName,
        serialNumber,
        authenticationCode1: '123456',
        authenticationCode2: '654321',
      }),
    );
    return { accessKeyId: key.body?.accessKey?.accessKeyId ?? '', serialNumber };
  };

  it('creates and reads a user, its keys, profile, MFA device, groups and policies', async () => {
    const created = await sdk.createUser(
      new $Ram.CreateUserRequest({ userName: 'alice', displayName: 'Alice', comments: 'from the API' }),
    );
    assert.match(created.body?.user?.userId ?? '', /^\d{16}$/);
    const { accessKeyId, serialNumber } = await giveEverySpecialState('alice');

    const user = await sdk.getUser(new $Ram.GetUserRequest({ userName: 'ALICE' }));
    assert.equal(user.body?.user?.userName, 'alice');
    assert.equal(user.body?.user?.displayName, 'Alice');
    assert.equal(user.body?.user?.comments, 'from the API');
    const keys = await sdk.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: 'alice' }));
    assert.deepEqual(
      keys.body?.accessKeys?.accessKey?.map((key) => [key.accessKeyId, key.status]),
      [[accessKeyId, 'Active']],
    );
    const profile = await sdk.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: 'alice' }));
    assert.equal(profile.body?.loginProfile?.passwordResetRequired, true);
    assert.equal(profile.body?.loginProfile?.MFABindRequired, false);
    const mfa = await sdk.getUserMFAInfo(new $Ram.GetUserMFAInfoRequest({ userName: 'alice' }));
    assert.deepEqual([mfa.body?.MFADevice?.serialNumber, mfa.body?.MFADevice?.type], [serialNumber, 'VMFA']);
    const groups = await sdk.listGroupsForUser(new $Ram.ListGroupsForUserRequest({ userName: 'alice' }));
    assert.deepEqual(
      groups.body?.groups?.group?.map((group) => [group.groupName, group.comments]),
      [['developers', 'devs']],
    );
    const policies = await sdk.listPoliciesForUser(
      new $Ram.ListPoliciesForUserRequest({ userName: 'alice' }),
    );
    assert.deepEqual(
      policies.body?.policies?.policy?.map((policy) => [policy.policyName, policy.policyType]),
      [
        ['team-policy', 'Custom'],
        ['AliyunOSSReadOnlyAccess', 'System'],
      ],
    );
    const devices = await sdk.listVirtualMFADevices();
    assert.equal(devices.body?.virtualMFADevices?.virtualMFADevice?.[0]?.user?.userName, 'alice');

    // The emulator's own view agrees.
    const state = await emulator.control('GET', `/users/${created.body?.user?.userId}`);
    assert.equal(state.body.source, 'console');
    assert.equal(state.body.dependents.accessKeys.length, 1);
  });

  it('refuses DeleteUser with each DeleteConflict.User.* code until each state is cleared in order', async () => {
    await sdk.createUser(new $Ram.CreateUserRequest({ userName: 'bob' }));
    const { accessKeyId, serialNumber } = await giveEverySpecialState('bob');
    const deleteBob = () => refusal(sdk.deleteUser(new $Ram.DeleteUserRequest({ userName: 'bob' })));
    const clears: [string, () => Promise<unknown>][] = [
      [
        'DeleteConflict.User.AccessKey',
        () =>
          sdk.deleteAccessKey(
            new $Ram.DeleteAccessKeyRequest({ userName: 'bob', userAccessKeyId: accessKeyId }),
          ),
      ],
      [
        'DeleteConflict.User.Policy',
        async () => {
          await sdk.detachPolicyFromUser(
            new $Ram.DetachPolicyFromUserRequest({
              userName: 'bob',
              policyName: 'team-policy',
              policyType: 'Custom',
            }),
          );
          // One policy still attached: still refused for it.
          assert.deepEqual(await deleteBob(), { code: 'DeleteConflict.User.Policy', statusCode: 409 });
          await sdk.detachPolicyFromUser(
            new $Ram.DetachPolicyFromUserRequest({
              userName: 'bob',
              policyName: 'AliyunOSSReadOnlyAccess',
              policyType: 'System',
            }),
          );
        },
      ],
      [
        'DeleteConflict.User.Group',
        () =>
          sdk.removeUserFromGroup(
            new $Ram.RemoveUserFromGroupRequest({ userName: 'bob', groupName: 'developers' }),
          ),
      ],
      [
        'DeleteConflict.User.LoginProfile',
        () => sdk.deleteLoginProfile(new $Ram.DeleteLoginProfileRequest({ userName: 'bob' })),
      ],
      [
        'DeleteConflict.User.MFADevice',
        () => sdk.unbindMFADevice(new $Ram.UnbindMFADeviceRequest({ userName: 'bob' })),
      ],
    ];
    for (const [code, clear] of clears) {
      assert.deepEqual(await deleteBob(), { code, statusCode: 409 });
      await clear();
    }
    await sdk.deleteUser(new $Ram.DeleteUserRequest({ userName: 'bob' }));
    assert.deepEqual(await refusal(sdk.getUser(new $Ram.GetUserRequest({ userName: 'bob' }))), {
      code: 'EntityNotExist.User',
      statusCode: 404,
    });
    // The unbound device is the account's until deleted.
    await sdk.deleteVirtualMFADevice(new $Ram.DeleteVirtualMFADeviceRequest({ serialNumber }));
    assert.deepEqual((await emulator.control('GET', '/account')).body.virtualMfaDevices, []);
  });

  it('the exact error body of a refused DeleteUser', async () => {
    const seeded = await emulator.control('POST', '/users', { userName: 'carol', dependents: 'every' });
    assert.equal(seeded.status, 201);
    const error = await sdk.deleteUser(new $Ram.DeleteUserRequest({ userName: 'carol' })).then(
      () => assert.fail('expected a refusal'),
      (thrown: { name: string; data: Record<string, unknown>; statusCode: number }) => thrown,
    );
    assert.equal(error.name, 'ClientError');
    assert.equal(error.statusCode, 409);
    assert.deepEqual(Object.keys(error.data).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    assert.equal(error.data.Code, 'DeleteConflict.User.AccessKey');
    assert.equal(error.data.HostId, 'ram.aliyuncs.com');
  });

  it('a user made over SCIM is the same RAM user, and SCIM DELETE refuses the same way RAM does', async () => {
    const created = await emulator.scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'dave',
      displayName: 'Dave',
      externalId: 'e-dave',
    });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    assert.equal((await sdk.getUser(new $Ram.GetUserRequest({ userName: 'dave' }))).body?.user?.userId, id);
    await sdk.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: 'dave' }));
    await sdk.createLoginProfile(
      new $Ram.CreateLoginProfileRequest({ userName: 'dave', password: 'Passw0rd!x' }),
    );

    const scimRefused = await emulator.scim('DELETE', `/Users/${id}`);
    assert.equal(scimRefused.status, 409);
    assert.match(scimRefused.body.detail, /^DeleteConflict\.User\.AccessKey: /);
    const keys = await sdk.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: 'dave' }));
    for (const key of keys.body?.accessKeys?.accessKey ?? []) {
      await sdk.deleteAccessKey(
        new $Ram.DeleteAccessKeyRequest({ userName: 'dave', userAccessKeyId: key.accessKeyId }),
      );
    }
    assert.match(
      (await emulator.scim('DELETE', `/Users/${id}`)).body.detail,
      /^DeleteConflict\.User\.LoginProfile: /,
    );
    await sdk.deleteLoginProfile(new $Ram.DeleteLoginProfileRequest({ userName: 'dave' }));
    assert.equal((await emulator.scim('DELETE', `/Users/${id}`)).status, 204);
    assert.equal(
      (await refusal(sdk.getUser(new $Ram.GetUserRequest({ userName: 'dave' })))).code,
      'EntityNotExist.User',
    );
  });

  it('a read-only AccessKey reads but gets NoPermission on every write', async () => {
    await emulator.control('POST', '/users', { userName: 'erin', dependents: { accessKeys: 1 } });
    assert.equal(
      (await readOnly.getUser(new $Ram.GetUserRequest({ userName: 'erin' }))).body?.user?.userName,
      'erin',
    );
    assert.equal(
      (await readOnly.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: 'erin' }))).body?.accessKeys
        ?.accessKey?.length,
      1,
    );
    // One at a time: a request started before the previous refusal was awaited would reject unhandled.
    for (const write of [
      () => readOnly.deleteUser(new $Ram.DeleteUserRequest({ userName: 'erin' })),
      () => readOnly.createUser(new $Ram.CreateUserRequest({ userName: 'mallory' })),
      () => readOnly.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: 'erin' })),
    ]) {
      assert.deepEqual(await refusal(write()), { code: 'NoPermission', statusCode: 403 });
    }
    assert.equal((await emulator.control('GET', '/state')).body.users.length, 1);
  });

  it('really verifies the signature: wrong secret, unknown key, tampered or replayed requests are refused', async () => {
    await emulator.control('POST', '/users', { userName: 'frank' });
    const wrongSecret = sdkFor(emulator.accessKey.id, `${emulator.accessKey.secret}x`);
    assert.deepEqual(await refusal(wrongSecret.getUser(new $Ram.GetUserRequest({ userName: 'frank' }))), {
      code: 'SignatureDoesNotMatch',
      statusCode: 400,
    });
    const unknownKey = sdkFor('LTAI5tNobodyKnowsThisKey0', emulator.accessKey.secret);
    assert.deepEqual(await refusal(unknownKey.getUser(new $Ram.GetUserRequest({ userName: 'frank' }))), {
      code: 'InvalidAccessKeyId.NotFound',
      statusCode: 404,
    });

    // Signed with the SDK's own signer, sent by hand: as signed it passes, changed it does not.
    const signed = signLikeTheSdk(emulator, 'GetUser', { UserName: 'frank' });
    const send = (query: string, headers: Record<string, string>) =>
      fetch(`http://${emulator.rpcEndpoint}/?${query}`, { method: 'POST', headers }).then(
        async (response) => ({
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
        }),
      );
    const first = await send('UserName=frank', signed);
    assert.equal(first.status, 200);
    assert.equal((first.body.User as Record<string, unknown>).UserName, 'frank');
    const tampered = signLikeTheSdk(emulator, 'GetUser', { UserName: 'frank' });
    assert.equal((await send('UserName=admin', tampered)).body.Code, 'SignatureDoesNotMatch');
    assert.equal((await send('UserName=frank', signed)).body.Code, 'SignatureNonceUsed');
    const unsignedHeader = signLikeTheSdk(emulator, 'GetUser', { UserName: 'frank' });
    assert.equal(
      (await send('UserName=frank', { ...unsignedHeader, 'x-acs-extra': 'sneaked in' })).body.Code,
      'IncompleteSignature',
    );
    const noAuthorization = signLikeTheSdk(emulator, 'GetUser', { UserName: 'frank' });
    delete noAuthorization.Authorization;
    assert.equal((await send('UserName=frank', noAuthorization)).status, 400);
  });

  it('answers throttling and outages in RAM’s shape when told to', async () => {
    await emulator.control('POST', '/faults', { surface: 'rpc', status: 429, times: 1 });
    const throttled = await sdk.listUsers(new $Ram.ListUsersRequest({})).then(
      () => assert.fail('expected throttling'),
      (error: { name: string; code: string }) => error,
    );
    assert.deepEqual([throttled.name, throttled.code], ['ThrottlingError', 'Throttling.User']);
    assert.equal((await sdk.listUsers(new $Ram.ListUsersRequest({}))).statusCode, 200);
  });
});

/** Headers for a request signed by `@alicloud/openapi-core`'s own signer (not the emulator's code). */
function signLikeTheSdk(
  emulator: RamEmulator,
  action: string,
  query: Record<string, string>,
): Record<string, string> {
  const payload = createHash('sha256').update('').digest('hex');
  const headers: Record<string, string> = {
    host: emulator.rpcEndpoint,
    'x-acs-action': action,
    'x-acs-version': '2015-05-01',
    'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': `${Math.random()}`.slice(2),
    'x-acs-content-sha256': payload,
  };
  const request = { pathname: '/', method: 'POST', query, headers };
  headers.Authorization = $OpenApi.OpenApiUtil.getAuthorization(
    request as unknown as Parameters<typeof $OpenApi.OpenApiUtil.getAuthorization>[0],
    'ACS3-HMAC-SHA256',
    payload,
    emulator.accessKey.id,
    emulator.accessKey.secret,
  );
  return headers;
}
