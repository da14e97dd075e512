/**
 * Issue 4 end to end over real HTTP: a hub (Lockstep in this process, its engine running) pushes its
 * directory to the Alibaba Cloud RAM emulator (its own process) through RAM's OAuth token endpoint
 * and SCIM /Users: create, update, disable (RAM has no disabled state: the account goes), delete,
 * scope change, full push, both duplication strategies against pre-existing accounts, and removal
 * with both deletion strategies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { type RamEmulator, ramTargetBody, startRamEmulator } from '../e2e-support/ram-emulator.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const sqlite = dialects[0];

const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000) =>
  waitFor(check, what, { timeoutMs, intervalMs: 50 });

describe('provisioning to Alibaba Cloud RAM (emulator)', () => {
  let storage: Storage;
  let hub: TestService;
  let ram: RamEmulator;
  let targetId: string;
  const admin = (method: string, path: string, body?: unknown) =>
    hub.request(method, `/api/tenants/acme${path}`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      ...(body !== undefined ? { body } : {}),
    });
  const ramUsers = async (): Promise<Record<string, unknown>[]> =>
    (await ram.scim('GET', '/Users?count=100')).body.Resources;
  /** The RAM user for a hub userName: lower-cased, without its domain (the default RAM mapping). */
  const ramUser = async (userName: string) =>
    (await ramUsers()).find((user) => user.userName === userName.toLowerCase().split('@')[0]);
  const createHubUser = async (userName: string, extra: Record<string, unknown> = {}) => {
    const response = await hub.request('POST', 'Users', {
      body: { schemas: [USER_SCHEMA], userName, displayName: userName.split('@')[0], ...extra },
    });
    assert.equal(response.status, 201, response.text);
    return response.body.id as string;
  };
  const runFinished = async (provisioningId: string) =>
    eventually(async () => {
      const runs = (await admin('GET', `/provisionings/${provisioningId}/runs`)).body.items as {
        status: string;
      }[];
      return runs.length > 0 && runs.every((run) => !['pending', 'running'].includes(run.status))
        ? runs
        : undefined;
    }, 'the runs to finish');

  before(async () => {
    if (sqlite === undefined) return;
    ram = await startRamEmulator();
    storage = await sqlite.open();
    hub = await createTestService(storage);
    hub.application.engine.start();
    const target = await admin('POST', '/targets', ramTargetBody(ram));
    assert.equal(target.status, 201, target.text);
    targetId = target.body.id;
    assert.ok(!target.text.includes(ram.clientSecret), 'the target answer shows the secret');
  });
  after(async () => {
    await hub?.close();
    await storage?.close();
    await ram?.stop();
  });

  it('tests connectivity the way RAM authenticates', async () => {
    const report = await admin('POST', `/targets/${targetId}/test`, {});
    assert.equal(report.status, 200, report.text);
    assert.equal(report.body.ok, true, JSON.stringify(report.body));
  });

  it('pushes creates, updates, disables and deletes in real time, and keeps links', async () => {
    const existing = await createHubUser('Before.Provisioning@example.com');
    const provisioning = await admin('POST', '/provisionings', {
      name: 'to RAM',
      targetId,
      config: { operations: { create: true, update: true, disable: true, delete: true } },
    });
    assert.equal(provisioning.status, 201, provisioning.text);
    const provisioningId = provisioning.body.id;
    // The first run pushes who was there before.
    const first = await eventually(
      () => ramUser('before.provisioning@example.com'),
      'the existing user in RAM',
    );
    assert.equal(first.externalId, existing);
    await runFinished(provisioningId);

    const id = await createHubUser('Alice@Example.com', { displayName: 'Alice' });
    const created = await eventually(() => ramUser('alice@example.com'), 'alice in RAM');
    assert.equal(created.displayName, 'alice');
    assert.equal(created.externalId, id);

    await hub.request('PATCH', `Users/${id}`, {
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Alice Liddell' }],
      },
    });
    await eventually(
      async () => ((await ramUser('alice@example.com'))?.displayName === 'alice liddell' ? true : undefined),
      'the new displayName in RAM',
    );

    const links = await admin('GET', `/provisionings/${provisioningId}/links?object=${id}`);
    assert.equal(links.body.items[0].state, 'active');
    assert.equal(links.body.items[0].accountId, created.id);

    // RAM has no disabled state: disabling revokes by deleting the account.
    await hub.request('PATCH', `Users/${id}`, {
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      },
    });
    await eventually(
      async () => ((await ramUser('alice@example.com')) === undefined ? true : undefined),
      'alice gone from RAM',
    );

    const bob = await createHubUser('bob@example.com');
    await eventually(() => ramUser('bob@example.com'), 'bob in RAM');
    assert.equal((await hub.request('DELETE', `Users/${bob}`)).status, 204);
    await eventually(
      async () => ((await ramUser('bob@example.com')) === undefined ? true : undefined),
      'bob gone from RAM',
    );
    const bobLink = await admin('GET', `/provisionings/${provisioningId}/links?object=${bob}`);
    assert.equal(bobLink.body.items[0].state, 'deleted', 'the link outlives the deleted user');

    const log = await admin('GET', `/provisionings/${provisioningId}/log?object=${id}`);
    const actions = log.body.items
      .map((entry: { action: string; status: string }) => `${entry.action}:${entry.status}`)
      .reverse();
    // Every removal takes a backup first, and a delete is verified (GET answers 404) before it counts.
    assert.deepEqual(
      actions,
      ['create:success', 'update:success', 'backup:success', 'verify:success', 'delete:success'],
      JSON.stringify(log.body.items),
    );
    assert.deepEqual(log.body.items.find((entry: { action: string }) => entry.action === 'update')?.changes, {
      displayName: { old: 'alice', new: 'alice liddell' },
    });

    // A scope change re-evaluates everyone: users outside the new scope lose their accounts.
    await createHubUser('carol@example.com', { title: 'Engineer' });
    await eventually(() => ramUser('carol@example.com'), 'carol in RAM');
    const scoped = await admin('PATCH', `/provisionings/${provisioningId}`, {
      config: {
        scope: { filter: { all: [{ attribute: 'title', operator: 'EQUALS', value: 'Engineer' }] } },
        operations: { create: true, update: true, disable: true, delete: true },
      },
    });
    assert.equal(scoped.status, 200, scoped.text);
    await eventually(
      async () => ((await ramUser('before.provisioning@example.com')) === undefined ? true : undefined),
      'out-of-scope user gone',
    );
    assert.ok(await ramUser('carol@example.com'), 'carol stays');

    // Links page with a cursor: every link exactly once.
    const all = (await admin('GET', `/provisionings/${provisioningId}/links`)).body.items.map(
      (link: { objectId: string }) => link.objectId,
    );
    const paged: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await admin(
        'GET',
        `/provisionings/${provisioningId}/links?limit=2${cursor === '' ? '' : `&after=${cursor}`}`,
      );
      assert.ok(page.body.items.length <= 2);
      paged.push(...page.body.items.map((link: { objectId: string }) => link.objectId));
      cursor = page.body.nextCursor;
    }
    assert.ok(all.length >= 4);
    assert.deepEqual(paged, all);

    // Removal with Keep leaves the accounts; the provisioning is gone.
    const removal = await admin('DELETE', `/provisionings/${provisioningId}?strategy=Keep`);
    assert.equal(removal.status, 202, removal.text);
    await eventually(
      async () =>
        (await admin('GET', `/provisionings/${provisioningId}`)).status === 404 ? true : undefined,
      'the provisioning removed',
    );
    assert.ok(await ramUser('carol@example.com'), 'Keep leaves the account');
  });

  it('handles pre-existing accounts with TakeOver and Fail, and removal with Delete', async () => {
    await ram.scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'dave',
      displayName: 'dave (made by hand)',
    });
    await ram.scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'erin',
      displayName: 'erin (made by hand)',
    });
    const dave = await createHubUser('dave@example.com');
    const takeOver = await admin('POST', '/provisionings', {
      name: 'take over',
      targetId,
      config: {
        duplicationStrategy: 'TakeOver',
        scope: {
          filter: { all: [{ attribute: 'userName', operator: 'EQUALS', value: 'dave@example.com' }] },
        },
      },
    });
    assert.equal(takeOver.status, 201, takeOver.text);
    await eventually(
      async () => ((await ramUser('dave@example.com'))?.externalId === dave ? true : undefined),
      'dave taken over',
    );
    assert.equal((await ramUsers()).filter((user) => user.userName === 'dave').length, 1, 'no duplicate');

    const erin = await createHubUser('erin@example.com');
    const strict = await admin('POST', '/provisionings', {
      name: 'strict',
      targetId,
      config: {
        duplicationStrategy: 'Fail',
        scope: {
          filter: { all: [{ attribute: 'userName', operator: 'EQUALS', value: 'erin@example.com' }] },
        },
      },
    });
    const events = await eventually(async () => {
      const answer = await admin('GET', `/provisionings/${strict.body.id}/events`);
      return answer.body.items.length > 0 ? answer.body.items : undefined;
    }, 'a failed event for erin');
    assert.equal(events[0].objectId, erin);
    assert.match(events[0].errorMessage, /did not create/);
    assert.equal(
      (await ramUser('erin@example.com'))?.displayName,
      'erin (made by hand)',
      'Fail leaves the account alone',
    );
    const statistics = await admin('GET', `/provisionings/${strict.body.id}/statistics`);
    assert.equal(statistics.body.failedEvents, 1);
    // Retried with another duplication strategy, the event resolves and closes.
    const retried = await admin('POST', `/provisionings/${strict.body.id}/events/${events[0].id}/retry`, {
      duplicationStrategy: 'TakeOver',
    });
    assert.equal(retried.status, 202, retried.text);
    await eventually(
      async () => ((await ramUser('erin@example.com'))?.externalId === erin ? true : undefined),
      'erin taken over on retry',
    );
    await eventually(
      async () =>
        (await admin('GET', `/provisionings/${strict.body.id}/events`)).body.items.length === 0
          ? true
          : undefined,
      'the event closed',
    );
    const preview = await admin('POST', `/provisionings/${strict.body.id}/preview`, { userId: erin });
    assert.equal(preview.body.inScope, true);
    assert.deepEqual(preview.body.document, {
      schemas: [USER_SCHEMA],
      externalId: erin,
      userName: 'erin',
      displayName: 'erin',
    });
    const scopePreview = await admin('POST', `/provisionings/${strict.body.id}/scope-preview`, {
      scope: { filter: { all: [{ attribute: 'userName', operator: 'EQUALS', value: 'dave@example.com' }] } },
    });
    assert.deepEqual(scopePreview.body.entering.userIds, [dave]);
    assert.deepEqual(scopePreview.body.leaving.userIds, [erin]);

    const runs = await runFinished(takeOver.body.id);
    assert.ok(runs.length >= 1);
    const removal = await admin('DELETE', `/provisionings/${takeOver.body.id}?strategy=Delete`);
    assert.equal(removal.status, 202);
    await eventually(
      async () => ((await ramUser('dave@example.com')) === undefined ? true : undefined),
      'dave deprovisioned by the removal',
    );
  });
});
