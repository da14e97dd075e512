/**
 * Issue 4, item 7, end to end over real HTTP: the enterprise `manager` goes to the target as the
 * manager's account id there, never the hub's directory id. Hub: Lockstep in this process, its engine
 * running; target: a second Lockstep process (OAuth client credentials). A user whose manager has no
 * account yet (the manager is outside the scope) is pushed without a manager; once the manager enters
 * the scope and its account is created, the user gets it, with the target's id. A change of manager
 * to one already provisioned is translated at once; a manager removed in the hub is removed there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultMapping } from '../../src/provisioning/mapping/default-mappings.ts';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { type LockstepProcess, startLockstepProcess } from '../e2e-support/lockstep-process.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MANAGER = `${ENTERPRISE_USER_SCHEMA}:manager`;

const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000) =>
  waitFor(check, what, { timeoutMs, intervalMs: 50 });

for (const dialect of dialects) {
  describe(`manager references to a second Lockstep (hub on ${dialect.name})`, () => {
    let storage: Storage;
    let hub: TestService;
    let target: LockstepProcess;
    let credentials: { tenant: string; clientId: string; clientSecret: string };
    let provisioningId: string;
    const admin = (method: string, path: string, body?: unknown) =>
      hub.request(method, `/api/tenants/acme${path}`, {
        headers: { authorization: `Bearer ${hub.adminToken}` },
        ...(body !== undefined ? { body } : {}),
      });
    const remoteUser = async (userName: string) => {
      const answer = await target.scim(
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
        undefined,
        credentials,
      );
      return answer.body.Resources?.[0] as Record<string, unknown> | undefined;
    };
    const managerOf = (account: Record<string, unknown> | undefined) =>
      (account?.[ENTERPRISE_USER_SCHEMA] as { manager?: { value?: string } } | undefined)?.manager?.value;
    const createUser = async (userName: string, extra: Record<string, unknown> = {}) => {
      const created = await hub.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], userName, ...extra },
      });
      assert.equal(created.status, 201, created.text);
      return created.body.id as string;
    };
    const patchUser = async (id: string, operations: unknown[]) => {
      const patched = await hub.request('PATCH', `Users/${id}`, {
        body: { schemas: [PATCH], Operations: operations },
      });
      assert.equal(patched.status, 200, patched.text);
    };

    before(async () => {
      target = await startLockstepProcess({
        env: { LOCKSTEP_TOKEN_RATE_PER_APP: '100000', LOCKSTEP_TOKEN_RATE_PER_IP: '100000' },
      });
      credentials = await target.createTenantWithApp('globex');
      storage = await dialect.open();
      hub = await createTestService(storage);
      hub.application.engine.start();
      const created = await admin('POST', '/targets', {
        name: 'Globex',
        profile: 'lockstep',
        connection: {
          baseUrl: `${target.url}/t/${credentials.tenant}/scim/v2`,
          authentication: {
            kind: 'oauth_client_credentials',
            tokenUrl: `${target.url}/t/${credentials.tenant}/oauth2/token`,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
          },
        },
      });
      assert.equal(created.status, 201, created.text);
      // Everyone with a title is in scope; the manager mapped as Entra's default maps it.
      const provisioning = await admin('POST', '/provisionings', {
        name: 'to Globex',
        targetId: created.body.id,
        config: {
          scope: { filter: { all: [{ attribute: 'title', operator: 'IS NOT NULL' }] } },
          mapping: {
            user: [
              ...defaultMapping('lockstep').user,
              {
                target: `${MANAGER}.value`,
                source: { kind: 'attribute', path: 'manager' },
                apply: 'always',
              },
            ],
          },
        },
      });
      assert.equal(provisioning.status, 201, provisioning.text);
      provisioningId = provisioning.body.id;
    });
    after(async () => {
      await hub?.close();
      await storage?.close();
      await target?.stop();
    });

    it('fills in a manager provisioned after its report, with the target ids', async () => {
      // The manager exists in the hub but is out of scope (no title): the report goes first.
      const boss = await createUser('boss@example.com');
      const report = await createUser('report@example.com', {
        title: 'Engineer',
        [ENTERPRISE_USER_SCHEMA]: { manager: { value: boss } },
      });
      const first = await eventually(() => remoteUser('report@example.com'), 'the report on the target');
      assert.equal(managerOf(first), undefined, 'no manager while the manager has no account');
      const pending = await storage.db
        .selectFrom('pending_references')
        .selectAll()
        .where('provisioning_id', '=', provisioningId)
        .execute();
      assert.deepEqual(
        pending.map((row) => [row.object_id, row.referenced_id]),
        [[report, boss]],
      );

      // The manager enters the scope: its account is created, and the report points at it.
      await patchUser(boss, [{ op: 'replace', path: 'title', value: 'Director' }]);
      const bossAccount = await eventually(() => remoteUser('boss@example.com'), 'the manager on the target');
      assert.notEqual(bossAccount.id, boss, 'the target has its own ids');
      await eventually(
        async () => (managerOf(await remoteUser('report@example.com')) === bossAccount.id ? true : undefined),
        "the report's manager set to the manager's account id on the target",
      );
      const waiting = await storage.db.selectFrom('pending_references').selectAll().execute();
      assert.deepEqual(waiting, [], 'nothing waits any more');
      // The log entry is written once the target has answered.
      const update = await eventually(
        async () =>
          (await admin('GET', `/provisionings/${provisioningId}/log?object=${report}&action=update`)).body
            .items[0],
        "the report's update in the provisioning log",
      );
      assert.deepEqual(update.changes, {
        [`${MANAGER}.value`]: { old: null, new: bossAccount.id },
      });

      // A new manager who already has an account is translated at once.
      const lead = await createUser('lead@example.com', { title: 'Lead' });
      const leadAccount = await eventually(() => remoteUser('lead@example.com'), 'the lead on the target');
      await patchUser(report, [{ op: 'replace', path: `${MANAGER}.value`, value: lead }]);
      await eventually(
        async () => (managerOf(await remoteUser('report@example.com')) === leadAccount.id ? true : undefined),
        "the report's new manager, by its account id",
      );

      // No manager in the hub: none on the target.
      await patchUser(report, [{ op: 'remove', path: MANAGER }]);
      await eventually(async () => {
        const account = await remoteUser('report@example.com');
        return account !== undefined && managerOf(account) === undefined ? true : undefined;
      }, 'the manager removed on the target');
    });

    it('sets every manager of a chain in a full push, whichever order the users come in', async () => {
      // A chain of managers created in the hub before a second provisioning pushes them all at once.
      const chain: string[] = [];
      for (let index = 0; index < 8; index++)
        chain.push(
          await createUser(`chain${index}@example.com`, {
            title: 'Staff',
            ...(index > 0 ? { [ENTERPRISE_USER_SCHEMA]: { manager: { value: chain[index - 1] } } } : {}),
          }),
        );
      const other = await target.createTenantWithApp('initech');
      const remote = async (userName: string) =>
        (
          await target.scim(
            'GET',
            `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
            undefined,
            other,
          )
        ).body.Resources?.[0] as Record<string, unknown> | undefined;
      const initech = await admin('POST', '/targets', {
        name: 'Initech',
        profile: 'lockstep',
        connection: {
          baseUrl: `${target.url}/t/initech/scim/v2`,
          authentication: {
            kind: 'oauth_client_credentials',
            tokenUrl: `${target.url}/t/initech/oauth2/token`,
            clientId: other.clientId,
            clientSecret: other.clientSecret,
          },
        },
      });
      const pushed = await admin('POST', '/provisionings', {
        name: 'to Initech',
        targetId: initech.body.id,
        config: {
          scope: { filter: { all: [{ attribute: 'title', operator: 'EQUALS', value: 'Staff' }] } },
          mapping: {
            user: [
              ...defaultMapping('lockstep').user,
              { target: `${MANAGER}.value`, source: { kind: 'attribute', path: 'manager' }, apply: 'always' },
            ],
          },
        },
      });
      assert.equal(pushed.status, 201, pushed.text);
      await eventually(async () => {
        const accounts = await Promise.all(chain.map((_, index) => remote(`chain${index}@example.com`)));
        return accounts.every(
          (account, index) =>
            account !== undefined &&
            managerOf(account) === (index === 0 ? undefined : accounts[index - 1]?.id),
        )
          ? true
          : undefined;
      }, 'every account of the chain with its manager’s account id');
    });
  });
}
