import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRamAccountRemover } from './ram-account-remover.ts';
import type { RamAccountSnapshot } from './ram-account-snapshot.ts';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import { classifyRamError, type RamOpenapiResult } from './ram-openapi-error.ts';

const SNAPSHOT: RamAccountSnapshot = {
  kind: 'alibaba-ram',
  version: 1,
  takenAt: '2026-01-01T00:00:00.000Z',
  user: { userId: '1', userName: 'alice' },
  accessKeys: [{ accessKeyId: 'LTAI1', status: 'Active' }],
  policies: [{ policyName: 'P', policyType: 'Custom' }],
  groups: [],
  loginProfile: null,
  mfaDevice: { serialNumber: 'acs:ram::1:mfa/alice', type: 'VMFA' },
};

const ok = <T>(value: T): Promise<RamOpenapiResult<T>> => Promise.resolve({ ok: true, value });
function refused(action: string, status: number, code: string): Promise<RamOpenapiResult<never>> {
  return Promise.resolve({
    ok: false,
    error: {
      kind: classifyRamError(status, code),
      action,
      code,
      status,
      requestId: undefined,
      retryAfterMs: undefined,
      message: `RAM ${action}: ${status} ${code}`,
    },
  });
}

/** A client whose writes succeed unless `overrides` says otherwise; it records the actions called. */
function stubClient(overrides: Partial<RamOpenapiClient>, calls: string[]): RamOpenapiClient {
  const record =
    <A extends unknown[], T>(name: string, answer: (...args: A) => Promise<RamOpenapiResult<T>>) =>
    (...args: A) => {
      calls.push(name);
      return answer(...args);
    };
  const base: RamOpenapiClient = {
    getUser: () => refused('GetUser', 404, 'EntityNotExist.User'),
    createUser: () => ok({ userId: '1', userName: 'alice' }),
    deleteUser: () => ok(undefined),
    listAccessKeys: () => ok([]),
    deleteAccessKey: () => ok(undefined),
    getLoginProfile: () => ok(null),
    deleteLoginProfile: () => ok(undefined),
    getUserMfaInfo: () => ok(null),
    unbindMfaDevice: () => ok({ serialNumber: 'acs:ram::1:mfa/alice' }),
    deleteVirtualMfaDevice: () => ok(undefined),
    listGroupsForUser: () => ok([]),
    removeUserFromGroup: () => ok(undefined),
    addUserToGroup: () => ok(undefined),
    listPoliciesForUser: () => ok([]),
    detachPolicyFromUser: () => ok(undefined),
    attachPolicyToUser: () => ok(undefined),
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(
    Object.entries(merged).map(([name, method]) => [
      name,
      record(name, method as (...args: unknown[]) => Promise<RamOpenapiResult<unknown>>),
    ]),
  ) as unknown as RamOpenapiClient;
}

const ALL = new Set(['accessKeys', 'policies', 'groups', 'loginProfile', 'mfaDevice'] as const);

describe('RAM account remover (stubbed client)', () => {
  it('a throttled step stops the cleanup there, without a permission to name', async () => {
    const calls: string[] = [];
    const client = stubClient(
      { detachPolicyFromUser: () => refused('DetachPolicyFromUser', 429, 'Throttling.User') },
      calls,
    );
    const report = await createRamAccountRemover(client).clear('alice', SNAPSHOT, ALL);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.failure?.step, 'policies');
    assert.equal(report.failure?.error.kind, 'throttled');
    assert.equal(report.failure?.missingPermission, undefined);
    assert.deepEqual(calls, ['deleteAccessKey', 'detachPolicyFromUser']);
  });

  it('another 404 than EntityNotExist is a failure, not an item gone', async () => {
    const client = stubClient(
      { deleteAccessKey: () => refused('DeleteAccessKey', 404, 'InvalidAction.NotFound') },
      [],
    );
    const report = await createRamAccountRemover(client).clear('alice', SNAPSHOT, ALL);
    assert.equal(report.outcome, 'failed');
    assert.deepEqual(report.steps[0]?.alreadyGone, []);
  });

  it('an unbound virtual MFA device RAM keeps is a warning; a U2F key is only unbound', async () => {
    const calls: string[] = [];
    const client = stubClient(
      { deleteVirtualMfaDevice: () => refused('DeleteVirtualMFADevice', 403, 'NoPermission') },
      calls,
    );
    const remover = createRamAccountRemover(client);
    const report = await remover.clear('alice', SNAPSHOT, ALL);
    assert.equal(report.outcome, 'cleared');
    const mfa = report.steps.find((step) => step.step === 'mfaDevice');
    assert.equal(mfa?.result, 'cleared');
    assert.match(mfa?.warning ?? '', /acs:ram::1:mfa\/alice was kept .*DeleteVirtualMFADevice/);

    calls.length = 0;
    const u2f = { ...SNAPSHOT, mfaDevice: { serialNumber: 'u2f-1', type: 'U2F' } };
    await remover.clear('alice', u2f, new Set(['mfaDevice'] as const));
    assert.deepEqual(calls, ['unbindMfaDevice']);
  });

  it('an MFA device unbound meanwhile is gone, and the virtual device is left to whoever unbound it', async () => {
    const calls: string[] = [];
    const client = stubClient(
      { unbindMfaDevice: () => refused('UnbindMFADevice', 404, 'EntityNotExist.User.MFADevice') },
      calls,
    );
    const report = await createRamAccountRemover(client).clear(
      'alice',
      SNAPSHOT,
      new Set(['mfaDevice'] as const),
    );
    assert.deepEqual(report.steps[0]?.alreadyGone, ['acs:ram::1:mfa/alice']);
    assert.deepEqual(calls, ['unbindMfaDevice']);
  });

  it('deleteAndVerify: a user still found after DeleteUser is still_present', async () => {
    const client = stubClient({ getUser: () => ok({ userId: '1', userName: 'alice' }) }, []);
    const outcome = await createRamAccountRemover(client).deleteAndVerify('alice');
    assert.equal(outcome.ok && outcome.value.status, 'still_present');
  });
});
