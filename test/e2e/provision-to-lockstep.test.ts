/**
 * Issue 4 end to end over real HTTP: a hub (Lockstep in this process, its engine running) pushes to a
 * second Lockstep instance (its own process) authenticated with OAuth client credentials: create,
 * update by PATCH with only the changed attributes, disable and re-enable through `active`, rename,
 * delete; test connectivity names a wrong secret and a wrong scope in plain words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { type LockstepProcess, startLockstepProcess } from '../e2e-support/lockstep-process.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000) =>
  waitFor(check, what, { timeoutMs, intervalMs: 50 });

for (const dialect of dialects) {
  describe(`provisioning to a second Lockstep (hub on ${dialect.name})`, () => {
    let storage: Storage;
    let hub: TestService;
    let target: LockstepProcess;
    let credentials: { tenant: string; clientId: string; clientSecret: string };
    let targetId: string;
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
    const connection = (overrides: Record<string, unknown> = {}) => ({
      baseUrl: `${target.url}/t/${credentials.tenant}/scim/v2`,
      authentication: {
        kind: 'oauth_client_credentials',
        tokenUrl: `${target.url}/t/${credentials.tenant}/oauth2/token`,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        ...overrides,
      },
    });

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
        connection: connection(),
      });
      assert.equal(created.status, 201, created.text);
      targetId = created.body.id;
    });
    after(async () => {
      await hub?.close();
      await storage?.close();
      await target?.stop();
    });

    it('names a wrong secret and a wrong scope in test connectivity', async () => {
      assert.equal((await admin('POST', `/targets/${targetId}/test`, {})).body.ok, true);
      const wrongSecret = await admin('POST', '/targets', {
        name: 'bad secret',
        profile: 'lockstep',
        connection: connection({
          clientSecret: 'lss_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        }),
      });
      const secretReport = (await admin('POST', `/targets/${wrongSecret.body.id}/test`, {})).body;
      assert.equal(secretReport.ok, false);
      const wrongScope = await admin('POST', '/targets', {
        name: 'bad scope',
        profile: 'lockstep',
        connection: connection({ scope: 'admin' }),
      });
      const scopeReport = (await admin('POST', `/targets/${wrongScope.body.id}/test`, {})).body;
      assert.equal(scopeReport.ok, false);
      const message = (report: { steps: { status: string; message: string }[] }) =>
        report.steps.find((step) => step.status === 'failed')?.message;
      assert.notEqual(
        message(secretReport),
        message(scopeReport),
        'each misconfiguration has its own message',
      );
      assert.doesNotMatch(JSON.stringify(secretReport), /at .*\.ts:\d+/, 'no stack trace');
      for (const id of [wrongSecret.body.id, wrongScope.body.id])
        assert.equal((await admin('DELETE', `/targets/${id}`)).status, 204);
    });

    it('creates, patches only what changed, disables, re-enables, renames and deletes', async () => {
      const provisioning = await admin('POST', '/provisionings', { name: 'to Globex', targetId });
      assert.equal(provisioning.status, 201, provisioning.text);
      const created = await hub.request('POST', 'Users', {
        body: {
          schemas: [USER_SCHEMA],
          userName: 'ada@example.com',
          displayName: 'Ada',
          name: { givenName: 'Ada', familyName: 'Lovelace' },
          emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
          title: 'Analyst',
        },
      });
      const id = created.body.id;
      const remote = await eventually(() => remoteUser('ada@example.com'), 'ada on the target');
      assert.equal(remote.externalId, id);
      assert.equal(remote.title, 'Analyst');
      assert.equal((remote.name as { familyName: string }).familyName, 'Lovelace');

      await hub.request('PATCH', `Users/${id}`, {
        body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Countess' }] },
      });
      await eventually(
        async () => ((await remoteUser('ada@example.com'))?.title === 'Countess' ? true : undefined),
        'the new title',
      );
      const log = await admin('GET', `/provisionings/${provisioning.body.id}/log?object=${id}&action=update`);
      assert.deepEqual(
        log.body.items[0].changes,
        { title: { old: 'Analyst', new: 'Countess' } },
        'only the changed attribute is sent',
      );

      await hub.request('PATCH', `Users/${id}`, {
        body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] },
      });
      await eventually(
        async () => ((await remoteUser('ada@example.com'))?.active === false ? true : undefined),
        'ada disabled',
      );
      await hub.request('PATCH', `Users/${id}`, {
        body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] },
      });
      await eventually(
        async () => ((await remoteUser('ada@example.com'))?.active === true ? true : undefined),
        'ada enabled again',
      );

      await hub.request('PATCH', `Users/${id}`, {
        body: {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'userName', value: 'ada.lovelace@example.com' }],
        },
      });
      const renamed = await eventually(() => remoteUser('ada.lovelace@example.com'), 'ada renamed');
      assert.equal(renamed.id, remote.id, 'a rename keeps the account');

      assert.equal((await hub.request('DELETE', `Users/${id}`)).status, 204);
      await eventually(
        async () => ((await remoteUser('ada.lovelace@example.com')) === undefined ? true : undefined),
        'ada deleted on the target',
      );
    });

    it('pushes groups and memberships, members filled in as they are provisioned', async () => {
      const other = await target.createTenantWithApp('initech');
      const remote = (path: string) => target.scim('GET', path, undefined, other);
      const created = await admin('POST', '/targets', {
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
      const provisioning = await admin('POST', '/provisionings', {
        name: 'groups',
        targetId: created.body.id,
        config: { pushGroups: true },
      });
      assert.equal(provisioning.status, 201, provisioning.text);
      const member = async (userName: string) =>
        (await hub.request('POST', 'Users', { body: { schemas: [USER_SCHEMA], userName } })).body
          .id as string;
      const [a, b, c] = [
        await member('g-a@example.com'),
        await member('g-b@example.com'),
        await member('g-c@example.com'),
      ];
      const group = await hub.request('POST', 'Groups', {
        body: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: 'Engineering',
          members: [{ value: a }, { value: b }],
        },
      });
      assert.equal(group.status, 201, group.text);
      const remoteGroup = async () =>
        (await remote(`/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`)).body
          .Resources?.[0];
      const accountOf = async (userName: string) =>
        (await remote(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body.Resources?.[0]
          ?.id as string | undefined;
      const membersOf = async () =>
        ((await remoteGroup())?.members ?? []).map((m: { value: string }) => m.value).sort();
      const expected = async (...userNames: string[]) => (await Promise.all(userNames.map(accountOf))).sort();
      await eventually(async () => {
        const want = await expected('g-a@example.com', 'g-b@example.com');
        return want.every(Boolean) && JSON.stringify(await membersOf()) === JSON.stringify(want)
          ? true
          : undefined;
      }, 'the group with a and b on the target');

      await hub.request('PATCH', `Groups/${group.body.id}`, {
        body: {
          schemas: [PATCH],
          Operations: [
            { op: 'add', path: 'members', value: [{ value: c }] },
            { op: 'remove', path: `members[value eq "${a}"]` },
          ],
        },
      });
      await eventually(async () => {
        const want = await expected('g-b@example.com', 'g-c@example.com');
        return JSON.stringify(await membersOf()) === JSON.stringify(want) ? true : undefined;
      }, 'b and c as members');

      assert.equal((await hub.request('DELETE', `Groups/${group.body.id}`)).status, 204);
      await eventually(
        async () => ((await remoteGroup()) === undefined ? true : undefined),
        'the group deleted on the target',
      );
    });
  });
}
