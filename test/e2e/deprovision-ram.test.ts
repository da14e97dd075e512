/**
 * Issue 5 end to end over real HTTP: a hub (Lockstep in this process, its engine running) provisions
 * to the Alibaba Cloud RAM emulator (its own process) over SCIM, and deprovisions through RAM's
 * OpenAPI (the official SDK, signatures verified by the emulator): the seed scenario (a user with an
 * MFA device, two AccessKeys, two groups, two policies and a login profile is deleted in the hub and
 * is gone from RAM, with a backup and every step in the log; restore brings it back with its groups
 * and policies), a cleanup that is not permitted (blocked, names MFADevice, completes by itself once
 * the device is unbound), out of scope then deleted, disable-then-delete with a grace period and a
 * restore inside it, and the deletion guard (a scope change that drops 90 %, a burst of deletes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import {
  type RamEmulator,
  ramNativeApiBody,
  ramTargetBody,
  startRamEmulator,
} from '../e2e-support/ram-emulator.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

// Blocked removals are tried again, and grace periods checked, within a fraction of a second here.
process.env.LOCKSTEP_REMOVAL_SWEEP_MS = '100';
process.env.LOCKSTEP_BLOCKED_RECHECK_MS = '200';
// Deletes wait 1.5 s for the rest of their burst (750 ms by default). The slow-burst case below
// spaces its deletes 700 ms apart: a loaded CI machine may dispatch one 350 ms late, and a 750 ms
// settle left it only 350 ms to spare (it failed once under the full suite on PostgreSQL).
const SETTLE_MS = 1_500;
process.env.LOCKSTEP_DELETE_SETTLE_MS = String(SETTLE_MS);

const { dialects } = await testDialects();

const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000) =>
  waitFor(check, what, { timeoutMs, intervalMs: 25 });

/** Two of every kind of special state RAM refuses a delete for (one MFA device, one login profile). */
const SEED_STATES = {
  accessKeys: 2,
  policies: ['AliyunOSSReadOnlyAccess', { policyName: 'lockstep-seed-custom', policyType: 'Custom' }],
  groups: ['lockstep-seed-a', 'lockstep-seed-b'],
  loginProfile: { passwordResetRequired: true },
  mfaDevice: true,
};

for (const dialect of dialects)
  describe(`deprovisioning to Alibaba Cloud RAM (emulator, SCIM + OpenAPI; ${dialect.name})`, () => {
    let storage: Storage;
    let hub: TestService;
    let ram: RamEmulator;
    let targetId: string;
    let userCount = 0;
    const admin = (method: string, path: string, body?: unknown) =>
      hub.request(method, `/api/tenants/acme${path}`, {
        headers: { authorization: `Bearer ${hub.adminToken}` },
        ...(body !== undefined ? { body } : {}),
      });
    const ramUsers = async (): Promise<Record<string, unknown>[]> =>
      (await ram.scim('GET', '/Users?count=100')).body.Resources;
    const ramUser = async (name: string) => (await ramUsers()).find((user) => user.userName === name);
    /** The emulator's view of a RAM user with its dependents; undefined once it is gone. */
    const ramState = async (id: string) => {
      const answer = await ram.control('GET', `/users/${id}`);
      return answer.status === 404 ? undefined : answer.body;
    };
    const createHubUser = async (name: string, extra: Record<string, unknown> = {}) => {
      const response = await hub.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: `${name}@example.com`, displayName: name, ...extra },
      });
      assert.equal(response.status, 201, response.text);
      return response.body.id as string;
    };
    /** A provisioning scoped to one department, so each scenario has its own users. */
    const createProvisioning = async (department: string, deprovision: Record<string, unknown> = {}) => {
      const answer = await admin('POST', '/provisionings', {
        name: department,
        targetId,
        config: {
          scope: {
            filter: {
              all: [
                {
                  attribute: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
                  operator: 'EQUALS',
                  value: department,
                },
              ],
            },
          },
          deprovision,
        },
      });
      assert.equal(answer.status, 201, answer.text);
      return answer.body.id as string;
    };
    const inDepartment = (department: string) => ({
      schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department },
    });
    /** A hub user provisioned to RAM, with every special state seeded on its RAM user. */
    const provisionedWithStates = async (department: string) => {
      const name = `user${++userCount}`;
      const userId = await createHubUser(name, inDepartment(department));
      const account = await eventually(() => ramUser(name), `${name} in RAM`);
      const seeded = await ram.control('POST', `/users/${account.id}/dependents`, SEED_STATES);
      assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
      return { name, userId, accountId: account.id as string };
    };
    const logOf = async (provisioningId: string, objectId: string) =>
      (await admin('GET', `/provisionings/${provisioningId}/log?object=${objectId}&limit=200`)).body
        .items as {
        action: string;
        status: string;
        message: string | null;
      }[];

    before(async () => {
      ram = await startRamEmulator();
      storage = await dialect.open();
      hub = await createTestService(storage);
      hub.application.engine.start();
      const target = await admin('POST', '/targets', {
        ...ramTargetBody(ram),
        nativeApi: ramNativeApiBody(ram),
      });
      assert.equal(target.status, 201, target.text);
      assert.ok(!target.text.includes(ram.accessKey.secret), 'the answer never shows the AccessKey secret');
      targetId = target.body.id;
    });
    after(async () => {
      await hub?.close();
      await storage?.close();
      await ram?.stop();
    });

    it('deletes a user with every special state: backup, cleanup in order, delete, verified gone; restore brings it back', async () => {
      const provisioningId = await createProvisioning('seed');
      const { userId, accountId, name } = await provisionedWithStates('seed');
      const seeded = await ramState(accountId);
      assert.equal(seeded.dependents.accessKeys.length, 2);
      assert.equal(seeded.dependents.groups.length, 2);
      assert.equal(seeded.dependents.policies.length, 2);

      const deletedAt = performance.now();
      assert.equal((await hub.request('DELETE', `Users/${userId}`)).status, 204);
      await eventually(
        async () => ((await ramState(accountId)) === undefined ? true : undefined),
        'the RAM user gone',
      );
      const goneMs = performance.now() - deletedAt;
      assert.ok(goneMs < 10_000, `gone in ${goneMs} ms`);

      // The RAM user is gone before the last log row is written: wait for it.
      const log = (
        await eventually(async () => {
          const entries = await logOf(provisioningId, userId);
          return entries.some((entry) => entry.action === 'delete') ? entries : undefined;
        }, 'the delete in the log')
      ).reverse();
      const steps = log.map((entry) => `${entry.action}:${entry.status}`);
      assert.deepEqual(
        steps.slice(steps.indexOf('backup:success')),
        // Two AccessKeys, two policies, two groups, the login profile, MFA unbind and device delete.
        ['backup:success', ...Array(9).fill('cleanup:success'), 'verify:success', 'delete:success'],
        JSON.stringify(log),
      );
      const cleanups = log.filter((entry) => entry.action === 'cleanup').map((entry) => entry.message ?? '');
      assert.match(cleanups[0] ?? '', /AccessKey/i, 'access keys first');
      assert.match(cleanups[2] ?? '', /Policy/i, 'then policies');
      assert.match(cleanups[4] ?? '', /Group/i, 'then groups');
      assert.match(cleanups[6] ?? '', /LoginProfile/i, 'then the login profile');
      assert.match(cleanups[7] ?? '', /MFA/i, 'the MFA device last');

      const backups = (await admin('GET', `/backups?object=${userId}`)).body.items;
      assert.equal(backups.length, 1);
      const [backup] = backups;
      assert.equal(backup.native.accessKeys.length, 2);
      assert.equal(backup.native.groups.length, 2);
      assert.ok(!JSON.stringify(backup).match(/secret/i), 'no secret value in the backup');

      const restored = await admin('POST', `/backups/${backup.id}/restore`);
      assert.equal(restored.status, 200, restored.text);
      assert.equal(
        restored.body.linkState,
        'kept',
        'the user is gone from the hub: the account is kept, not managed',
      );
      const what = JSON.stringify(restored.body.notRestored);
      for (const kind of [/access ?key/i, /login/i, /MFA/i]) assert.match(what, kind);
      const back = await ramUser(name);
      assert.ok(back, 'the RAM user is back');
      const state = await ramState(back.id as string);
      assert.deepEqual(
        state.dependents.groups.map((group: { groupName: string }) => group.groupName).sort(),
        ['lockstep-seed-a', 'lockstep-seed-b'],
      );
      assert.equal(state.dependents.policies.length, 2);
      assert.equal(state.dependents.accessKeys.length, 0, 'secrets are not restorable');
      const again = await admin('POST', `/backups/${backup.id}/restore`);
      assert.equal(again.status, 409, 'a backup restores once');
    });

    it('blocks a delete whose MFA device may not be cleared, names it, and finishes once it is unbound', async () => {
      const provisioningId = await createProvisioning('no-mfa', {
        cleanup: ['accessKeys', 'policies', 'groups', 'loginProfile'],
      });
      const { userId, accountId } = await provisionedWithStates('no-mfa');
      assert.equal((await hub.request('DELETE', `Users/${userId}`)).status, 204);
      const blocked = await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.blocked.length > 0 ? removals.blocked[0] : undefined;
      }, 'the removal blocked');
      assert.deepEqual(blocked.states, ['MFADevice']);
      assert.match(blocked.message, /MFA/);
      // The link says blocked a moment before the failed event is written.
      const events = await eventually(async () => {
        const items = (await admin('GET', `/provisionings/${provisioningId}/events`)).body.items;
        return items.length > 0 ? items : undefined;
      }, 'the failed event');
      assert.match(events[0].errorMessage, /MFADevice/);
      const state = await ramState(accountId);
      assert.ok(state, 'the RAM user is still there');
      assert.equal(state.dependents.accessKeys.length, 0, 'what was allowed is cleared');
      assert.ok(state.dependents.mfaDevice, 'the MFA device is left alone');

      const unbound = await ram.control('DELETE', `/users/${accountId}/dependents?kinds=mfaDevice`);
      assert.equal(unbound.status, 200, JSON.stringify(unbound.body));
      await eventually(
        async () => ((await ramState(accountId)) === undefined ? true : undefined),
        'the RAM user gone',
      );
      await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.blocked.length === 0 ? true : undefined;
      }, 'nothing blocked any more');
      await eventually(async () => {
        const failed = (await admin('GET', `/provisionings/${provisioningId}/events`)).body.items;
        return failed.length === 0 ? true : undefined;
      }, 'the failed event closed');
    });

    it('deprovisions a user that left the scope (kept by policy) once it is deleted', async () => {
      const provisioningId = await createProvisioning('kept', { onOutOfScope: 'keep' });
      const { userId, accountId } = await provisionedWithStates('kept');
      const moved = await hub.request('PATCH', `Users/${userId}`, {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [
            {
              op: 'replace',
              path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
              value: 'elsewhere',
            },
          ],
        },
      });
      assert.equal(moved.status, 200, moved.text);
      await eventually(async () => {
        const log = await logOf(provisioningId, userId);
        return log.some((entry) => entry.action === 'keep') ? true : undefined;
      }, 'the policy keeps the account');
      assert.ok(await ramState(accountId), 'out of scope, the account is kept');
      assert.equal((await hub.request('DELETE', `Users/${userId}`)).status, 204);
      await eventually(
        async () => ((await ramState(accountId)) === undefined ? true : undefined),
        'deleted once the user is',
      );
    });

    it('disable-then-delete revokes at once and deletes when the grace ends; a restore inside the grace cancels the delete', async () => {
      const provisioningId = await createProvisioning('grace', {
        onDeleted: 'disable-then-delete',
        gracePeriodSeconds: 2,
      });
      const first = await provisionedWithStates('grace');
      const second = await provisionedWithStates('grace');
      for (const user of [first, second])
        assert.equal((await hub.request('DELETE', `Users/${user.userId}`)).status, 204);
      for (const user of [first, second])
        await eventually(async () => {
          const state = await ramState(user.accountId);
          return state?.dependents.accessKeys.length === 0 && state.dependents.loginProfile === null
            ? state
            : undefined;
        }, 'access revoked at once');
      const revoked = await ramState(first.accountId);
      assert.equal(revoked.dependents.policies.length, 0);
      await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.gracePeriod.length === 2 ? true : undefined;
      }, 'both in their grace period');

      const backup = (await admin('GET', `/backups?object=${second.userId}`)).body.items[0];
      const restored = await admin('POST', `/backups/${backup.id}/restore`);
      assert.equal(restored.status, 200, restored.text);
      assert.match(JSON.stringify(restored.body.restored), /cancelled the delete/);

      await eventually(
        async () => ((await ramState(first.accountId)) === undefined ? true : undefined),
        'deleted after the grace',
        8_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const kept = await ramState(second.accountId);
      assert.ok(kept, 'the restored account outlives the grace period');
      assert.equal(kept.dependents.groups.length, 2, 'its groups are back');
      assert.equal(kept.dependents.policies.length, 2, 'its policies are back');
    });

    it('stages the removals of a scope change that drops 90 % (11 of 12) and deprovisions no one until approved', async () => {
      const provisioningId = await createProvisioning('guarded');
      const names: string[] = [];
      for (let i = 0; i < 12; i++) {
        const name = `guarded${i}`;
        await createHubUser(name, { ...inDepartment('guarded'), title: i === 0 ? 'Stays' : 'Goes' });
        names.push(name);
      }
      for (const name of names) await eventually(() => ramUser(name), `${name} in RAM`);
      const changed = await admin('PATCH', `/provisionings/${provisioningId}`, {
        config: {
          scope: { filter: { all: [{ attribute: 'title', operator: 'EQUALS', value: 'Stays' }] } },
        },
      });
      assert.equal(changed.status, 200, changed.text);
      const staged = await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.staged.length === 11 ? removals : undefined;
      }, 'eleven removals staged');
      assert.match(staged.paused.reason, /deletion guard/);
      const view = (await admin('GET', `/provisionings/${provisioningId}`)).body;
      assert.match(view.removalsPaused.reason, /deletion guard/);
      for (const name of names) assert.ok(await ramUser(name), `${name} is not deprovisioned while staged`);

      const approved = await admin('POST', `/provisionings/${provisioningId}/removals/approve`, {});
      assert.equal(approved.status, 202, approved.text);
      assert.equal(approved.body.approved, 11);
      await eventually(
        async () =>
          (await ramUsers()).filter((user) => String(user.userName).startsWith('guarded')).length === 1
            ? true
            : undefined,
        'the eleven deprovisioned',
      );
      assert.ok(await ramUser('guarded0'));
      // Each approval is settled once its removal has run (just after the account is gone).
      const after = await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.staged.length === 0 ? removals : undefined;
      }, 'the approvals settled');
      assert.equal(after.paused, null);
    });

    it('weighs a slow burst whole: deletes one at a time, longer than the settle delay, all staged', async () => {
      const provisioningId = await createProvisioning('slow', {
        deletionGuard: { maxCount: 3, windowMinutes: 60 },
      });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await createHubUser(`slow${i}`, inDepartment('slow')));
      for (let i = 0; i < 5; i++) await eventually(() => ramUser(`slow${i}`), `slow${i} in RAM`);
      // 5 deletes 700 ms apart: the first is 2.8 s old at the last, past the 1.5 s settle delay. A
      // fixed delay let it (and the next) run before the guard saw the fourth; the sliding one holds
      // them until the burst stops.
      const spacingMs = 700;
      // With a fixed delay the first removal would run when only this many deletes had arrived: no
      // more than the guard's maxCount (3), so it would pass the guard.
      assert.ok(Math.floor(SETTLE_MS / spacingMs) + 1 <= 3);
      for (const id of ids) {
        assert.equal((await hub.request('DELETE', `Users/${id}`)).status, 204);
        await new Promise((resolve) => setTimeout(resolve, spacingMs));
      }
      const staged = await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.paused !== null && removals.staged.length === 5 ? removals : undefined;
      }, 'all five removals staged');
      assert.equal(staged.staged.length, 5);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (let i = 0; i < 5; i++) assert.ok(await ramUser(`slow${i}`), `slow${i} is not deprovisioned`);
      assert.equal((await admin('POST', `/provisionings/${provisioningId}/removals/reject`, {})).status, 200);
    });

    it('stages a burst of directory deletes past the threshold; reject leaves the accounts', async () => {
      const provisioningId = await createProvisioning('burst', {
        deletionGuard: { maxCount: 3, windowMinutes: 60 },
      });
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(await createHubUser(`burst${i}`, inDepartment('burst')));
      for (let i = 0; i < 6; i++) await eventually(() => ramUser(`burst${i}`), `burst${i} in RAM`);
      const bulk = await hub.request('POST', 'Bulk', {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: ids.map((id, index) => ({
            method: 'DELETE',
            path: `/Users/${id}`,
            bulkId: `d${index}`,
          })),
        },
      });
      assert.equal(bulk.status, 200, bulk.text);
      await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.paused !== null && removals.staged.length + 0 >= 3 ? true : undefined;
      }, 'the removals paused and staged');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const remaining = (await ramUsers()).filter((user) => String(user.userName).startsWith('burst')).length;
      assert.ok(remaining >= 3, `at most the threshold went (${6 - remaining} deleted)`);
      const rejected = await admin('POST', `/provisionings/${provisioningId}/removals/reject`, {});
      assert.equal(rejected.status, 200, rejected.text);
      const after = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
      assert.equal(after.paused, null);
      assert.equal(
        (await ramUsers()).filter((user) => String(user.userName).startsWith('burst')).length,
        remaining,
        'rejected removals leave the accounts',
      );
    });

    it('never deprovisions on a source that suddenly reports zero users; a relaxed source that drops 11 of 12 is staged', async () => {
      const importCsv = (sourceId: string, csv: string) =>
        hub.request('POST', `/api/tenants/acme/sources/${sourceId}/import?dryRun=false&complete=true`, {
          rawBody: csv,
          headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'text/csv' },
        });
      const rows = Array.from({ length: 12 }, (_, i) => `h${i},hr${i},HR`);
      const makeSource = async (name: string, protection?: unknown) => {
        const source = await admin('POST', '/sources', {
          name,
          kind: 'csv',
          config: { key: 'id', mapping: { userName: 'login', title: 'title' } },
          ...(protection !== undefined ? { protection } : {}),
        });
        assert.equal(source.status, 201, source.text);
        return source.body.id as string;
      };
      const provisioningId = (
        await admin('POST', '/provisionings', {
          name: 'from HR',
          targetId,
          config: { scope: { filter: { all: [{ attribute: 'title', operator: 'EQUALS', value: 'HR' }] } } },
        })
      ).body.id as string;
      const strict = await makeSource('HR');
      const first = await importCsv(strict, `id,login,title\n${rows.join('\n')}\n`);
      assert.equal(first.status, 200, first.text);
      for (let i = 0; i < 12; i++) await eventually(() => ramUser(`hr${i}`), `hr${i} in RAM`);

      const empty = await importCsv(strict, 'id,login,title\n');
      assert.equal(empty.status, 200, empty.text);
      assert.equal(empty.body.applied, false, 'an empty snapshot from a source that owns users is refused');
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (let i = 0; i < 12; i++) assert.ok(await ramUser(`hr${i}`), `hr${i} stays`);

      // A source whose own protection is switched off: the directory loses 11 users in one run, and
      // the deletion guard stages their removals before any runs.
      const relaxed = await makeSource('HR relaxed', {
        users: { maxCount: null, maxPercent: null },
      });
      const rows2 = Array.from({ length: 12 }, (_, i) => `r${i},rx${i},HR`);
      assert.equal((await importCsv(relaxed, `id,login,title\n${rows2.join('\n')}\n`)).status, 200);
      for (let i = 0; i < 12; i++) await eventually(() => ramUser(`rx${i}`), `rx${i} in RAM`);
      const dropped = await importCsv(relaxed, `id,login,title\n${rows2[0]}\n`);
      assert.equal(dropped.body.applied, true, dropped.text);
      const staged = await eventually(async () => {
        const removals = (await admin('GET', `/provisionings/${provisioningId}/removals`)).body;
        return removals.staged.length === 11 ? removals : undefined;
      }, 'eleven removals staged');
      assert.match(staged.paused.reason, /deleted in the directory at once/);
      for (let i = 0; i < 12; i++) assert.ok(await ramUser(`rx${i}`), `rx${i} is not deprovisioned`);
    });

    it('revokes a user everywhere now and reports per target', async () => {
      await createProvisioning('revoke');
      const { userId, accountId } = await provisionedWithStates('revoke');
      const answer = await admin('POST', `/users/${userId}/revoke`);
      assert.equal(answer.status, 200, answer.text);
      const done = answer.body.targets.filter((target: { outcome: string }) => target.outcome === 'done');
      assert.equal(done.length, 1, JSON.stringify(answer.body));
      assert.equal(done[0].action, 'revoke');
      assert.ok(typeof done[0].durationMs === 'number');
      const state = await ramState(accountId);
      assert.equal(state.dependents.accessKeys.length, 0);
      assert.equal(state.dependents.loginProfile, null);
      const user = await hub.request('GET', `Users/${userId}`);
      assert.equal(user.body.active, false, 'disabled in the directory');
      const missing = await admin('POST', '/users/nobody/revoke');
      assert.equal(missing.status, 404);
    });
  });
