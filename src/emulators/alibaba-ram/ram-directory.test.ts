import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEmulatorClock } from './emulator-clock.ts';
import { createRamDirectory, type RamDirectory } from './ram-directory.ts';

function newDirectory(): { directory: RamDirectory; advance: (ms: number) => void } {
  const clock = createEmulatorClock(() => Date.UTC(2026, 0, 1));
  return { directory: createRamDirectory(clock, { accountId: '1234567890123456' }), advance: clock.advance };
}

function created(directory: RamDirectory, userName: string, externalId?: string) {
  const result = directory.createUser({ userName, displayName: userName, externalId });
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

describe('RAM directory', () => {
  it('creates SCIM users with 16-digit ids, the logon domain derived from the account', () => {
    const { directory } = newDirectory();
    const user = created(directory, 'alice', 'ext-1');
    assert.match(user.id, /^\d{16}$/);
    assert.equal(user.source, 'scim');
    assert.equal(directory.defaultDomain, '1234567890123456.onaliyun.com');
    assert.deepEqual(directory.getUser(user.id), user);
  });

  it('keeps userName unique case-insensitively and externalId unique case-sensitively', () => {
    const { directory } = newDirectory();
    created(directory, 'Alice.Smith', 'Ext-1');
    const sameName = directory.createUser({ userName: 'alice.smith', displayName: 'x' });
    assert.deepEqual(sameName.ok ? undefined : sameName.error.kind, 'userNameTaken');
    const sameExternalId = directory.createUser({ userName: 'bob', displayName: 'x', externalId: 'Ext-1' });
    assert.deepEqual(sameExternalId.ok ? undefined : sameExternalId.error.kind, 'externalIdTaken');
    assert.ok(directory.createUser({ userName: 'carol', displayName: 'x', externalId: 'ext-1' }).ok);
  });

  it('replaces attributes (an absent externalId removes it) and moves lastModified only on change', () => {
    const { directory, advance } = newDirectory();
    const user = created(directory, 'alice', 'ext-1');
    advance(5000);
    const same = directory.replaceUser(user.id, {
      userName: 'alice',
      displayName: 'alice',
      externalId: 'ext-1',
    });
    assert.ok(same.ok);
    assert.equal(same.value.lastModified, user.lastModified);
    const renamed = directory.replaceUser(user.id, { userName: 'alice2', displayName: 'Alice' });
    assert.ok(renamed.ok);
    assert.equal(renamed.value.userName, 'alice2');
    assert.equal(renamed.value.externalId, undefined);
    assert.equal(renamed.value.lastModified, user.lastModified + 5000);
    // The old name and externalId are free again.
    assert.ok(directory.createUser({ userName: 'ALICE', displayName: 'x', externalId: 'ext-1' }).ok);
  });

  it('refuses to change or delete users that were not created through SCIM', () => {
    const { directory } = newDirectory();
    const legacy = directory.seedUser({ userName: 'legacy' });
    assert.equal(legacy.source, 'console');
    const replaced = directory.replaceUser(legacy.id, { userName: 'legacy', displayName: 'x' });
    assert.equal(replaced.ok ? undefined : replaced.error.kind, 'notScimManaged');
    const deleted = directory.deleteUser(legacy.id);
    assert.equal(deleted.ok ? undefined : deleted.error.kind, 'notScimManaged');
  });

  it('refuses a delete while any dependent remains, naming them in cascade order', () => {
    const { directory } = newDirectory();
    const user = directory.seedUser({
      userName: 'busy',
      source: 'scim',
      dependents: {
        accessKeys: 1,
        policies: ['AliyunOSSReadOnlyAccess'],
        groups: ['dev'],
        loginProfile: true,
        mfaDevice: true,
      },
    });
    const codes: string[] = [];
    for (const kind of ['accessKeys', 'policies', 'groups', 'loginProfile', 'mfaDevice'] as const) {
      const refused = directory.deleteUser(user.id);
      assert.ok(!refused.ok && refused.error.kind === 'deleteConflict');
      codes.push(refused.error.code);
      directory.clearDependents(user.id, [kind]);
    }
    assert.deepEqual(codes, [
      'DeleteConflict.User.AccessKey',
      'DeleteConflict.User.Policy',
      'DeleteConflict.User.Group',
      'DeleteConflict.User.LoginProfile',
      'DeleteConflict.User.MFADevice',
    ]);
    assert.ok(directory.deleteUser(user.id).ok);
    assert.equal(directory.getUser(user.id), undefined);
    const again = directory.deleteUser(user.id);
    assert.equal(again.ok ? undefined : again.error.kind, 'notFound');
  });

  it('seeds dependents the way RAM shapes them, at most two AccessKeys, and validates seeds', () => {
    const { directory } = newDirectory();
    const user = directory.seedUser({ userName: 'seeded', dependents: { accessKeys: 2, mfaDevice: true } });
    assert.equal(user.dependents.accessKeys.length, 2);
    for (const key of user.dependents.accessKeys) assert.match(key.accessKeyId, /^LTAI[A-Za-z0-9]{20}$/);
    assert.equal(user.dependents.mfaDevice?.serialNumber, 'acs:ram::1234567890123456:mfa/seeded');
    assert.equal(user.dependents.accessKeys[0]?.createDate, '2026-01-01T00:00:00Z');
    assert.throws(() => directory.addDependents(user.id, { accessKeys: 1 }), /at most 2 AccessKeys/);
    assert.throws(() => directory.seedUser({ userName: 'bad name' }), /only letters/);
    assert.throws(() => directory.seedUser({ userName: 'SEEDED' }), /already exists/);
    assert.throws(() => directory.seedUser({ userName: 'toomany', dependents: { accessKeys: 3 } }));
    assert.equal(directory.listUsers().length, 1);
  });

  it('hands out copies: changing them changes nothing', () => {
    const { directory } = newDirectory();
    const user = created(directory, 'alice');
    user.userName = 'mallory';
    user.dependents.accessKeys.push({ accessKeyId: 'LTAIx', status: 'Active', createDate: '' });
    assert.equal(directory.getUser(user.id)?.userName, 'alice');
    assert.equal(directory.listUsers()[0]?.dependents.accessKeys.length, 0);
  });
});
