/**
 * Issue 5, item 7 end to end over real HTTP: a hub (Lockstep in this process, its engine running)
 * provisions to the Alibaba Cloud RAM emulator (its own process); accounts are then made, deleted and
 * renamed behind Lockstep's back in the emulator, and a reconciliation reads RAM back: hand-made
 * accounts are orphans, a deleted account is missing, a renamed one is drift. Then each action:
 * ignore (remembered by the next run), adopt (by the matching attributes), repair (missing and drift)
 * and deprovision (the engine removes the account under the link `orphan:<accountId>`).
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

const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000) =>
  waitFor(check, what, { timeoutMs, intervalMs: 50 });

interface Finding {
  id: string;
  kind: string;
  status: string;
  accountId: string;
  userName: string | null;
  externalId: string | null;
  objectId: string | null;
  action: string | null;
  actionObjectId: string | null;
  details: { reason: string; attributes?: { attribute: string; target: unknown; desired: unknown }[] };
}

for (const dialect of dialects) {
  describe(`reconciliation of Alibaba Cloud RAM (emulator, ${dialect.name})`, () => {
    let storage: Storage;
    let hub: TestService;
    let ram: RamEmulator;
    let provisioningId: string;
    const hubIds: Record<string, string> = {};
    const ramIds: Record<string, string> = {};
    let findings: Finding[] = [];
    /** The first run's findings (later runs no longer list what was acted on). */
    let firstFindings: Finding[] = [];

    const admin = (method: string, path: string, body?: unknown) =>
      hub.request(method, `/api/tenants/acme${path}`, {
        headers: { authorization: `Bearer ${hub.adminToken}` },
        ...(body !== undefined ? { body } : {}),
      });
    const ramUsers = async (): Promise<Record<string, unknown>[]> =>
      (await ram.scim('GET', '/Users?count=100')).body.Resources;
    const ramUser = async (userName: string) => (await ramUsers()).find((user) => user.userName === userName);
    const createHubUser = async (userName: string) => {
      const response = await hub.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName, displayName: userName.split('@')[0] },
      });
      assert.equal(response.status, 201, response.text);
      return response.body.id as string;
    };
    /** Starts a reconciliation, waits for it to end and answers its report (every finding). */
    const reconcile = async () => {
      const started = await admin('POST', `/provisionings/${provisioningId}/reconciliations`);
      assert.equal(started.status, 202, started.text);
      assert.equal(started.body.kind, 'reconciliation');
      const runId = started.body.id as string;
      const report = await eventually(async () => {
        const answer = await admin(
          'GET',
          `/provisionings/${provisioningId}/reconciliations/${runId}?limit=1000`,
        );
        assert.equal(answer.status, 200, answer.text);
        return ['pending', 'running'].includes(answer.body.run.status) ? undefined : answer.body;
      }, 'the reconciliation to end');
      assert.equal(report.run.status, 'success', JSON.stringify(report.run));
      findings = report.findings.items;
      return report;
    };
    const findingOf = (kind: string, accountId: string) => {
      const found = findings.find((finding) => finding.kind === kind && finding.accountId === accountId);
      assert.ok(found, `no ${kind} finding for ${accountId} in ${JSON.stringify(findings)}`);
      return found;
    };
    const act = (findingId: string, body: unknown) =>
      admin('POST', `/provisionings/${provisioningId}/findings/${findingId}/actions`, body);

    before(async () => {
      ram = await startRamEmulator();
      storage = await dialect.open();
      hub = await createTestService(storage);
      hub.application.engine.start();
      const target = await admin('POST', '/targets', ramTargetBody(ram));
      assert.equal(target.status, 201, target.text);
      for (const name of ['alice', 'bob', 'carol']) hubIds[name] = await createHubUser(`${name}@example.com`);
      // Fail: an account that matches but that Lockstep did not create stays unlinked (an orphan).
      const provisioning = await admin('POST', '/provisionings', {
        name: 'to RAM',
        targetId: target.body.id,
        config: { duplicationStrategy: 'Fail' },
      });
      assert.equal(provisioning.status, 201, provisioning.text);
      provisioningId = provisioning.body.id;
      for (const name of ['alice', 'bob', 'carol']) {
        const account = await eventually(() => ramUser(name), `${name} in RAM`);
        ramIds[name] = account.id as string;
      }
      await eventually(async () => {
        const runs = (await admin('GET', `/provisionings/${provisioningId}/runs`)).body.items as {
          status: string;
        }[];
        return runs.length > 0 && runs.every((run) => !['pending', 'running'].includes(run.status))
          ? true
          : undefined;
      }, 'the first full push to end');

      // Behind Lockstep's back: two accounts made over SCIM by someone else, one made in the console,
      for (const userName of ['handmade', 'dave']) {
        const made = await ram.scim('POST', '/Users', {
          schemas: [USER_SCHEMA],
          userName,
          displayName: `${userName} (made by hand)`,
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        ramIds[userName] = made.body.id;
      }
      const seeded = await ram.control('POST', '/users', { userName: 'console-made' });
      assert.equal(seeded.status, 201, JSON.stringify(seeded.body));
      ramIds['console-made'] = seeded.body.id;
      // bob's account deleted, carol's renamed,
      assert.equal((await ram.scim('DELETE', `/Users/${ramIds.bob}`)).status, 204);
      const renamed = await ram.scim('PUT', `/Users/${ramIds.carol}`, {
        schemas: [USER_SCHEMA],
        userName: 'carol',
        displayName: 'Carol Renamed',
        externalId: hubIds.carol,
      });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      // and a directory user whose account exists already: Fail leaves it unlinked.
      hubIds.dave = await createHubUser('dave@example.com');
      await eventually(async () => {
        const events = await admin('GET', `/provisionings/${provisioningId}/events`);
        return events.body.items.some((event: { objectId: string }) => event.objectId === hubIds.dave)
          ? true
          : undefined;
      }, "dave's create refused by the Fail strategy");
    });
    after(async () => {
      await hub?.close();
      await storage?.close();
      await ram?.stop();
    });

    it('reports hand-made accounts as orphans, a deleted one as missing, a renamed one as drift', async () => {
      const report = await reconcile();
      // alice, carol, the two made over SCIM and the console's (bob's account is gone).
      assert.equal(report.run.progress.accountsListed, 5, JSON.stringify(report.run.progress));
      firstFindings = findings;
      assert.equal(report.run.progress.complete, true);
      assert.deepEqual(
        {
          orphan: report.run.counts.orphan.open,
          missing: report.run.counts.missing.open,
          drift: report.run.counts.drift.open,
        },
        { orphan: 3, missing: 1, drift: 1 },
        JSON.stringify(findings),
      );
      for (const name of ['handmade', 'dave', 'console-made']) {
        const orphan = findingOf('orphan', ramIds[name] ?? '');
        assert.equal(orphan.userName, name);
        assert.equal(orphan.status, 'open');
        assert.equal(orphan.objectId, null);
      }
      const missing = findingOf('missing', ramIds.bob ?? '');
      assert.equal(missing.objectId, hubIds.bob);
      assert.equal(missing.userName, 'bob');
      const drift = findingOf('drift', ramIds.carol ?? '');
      assert.equal(drift.objectId, hubIds.carol);
      assert.deepEqual(drift.details.attributes, [
        { attribute: 'displayName', target: 'Carol Renamed', desired: 'carol' },
      ]);
      // The report pages: every finding once.
      const paged: string[] = [];
      for (let cursor: string | null = ''; cursor !== null; ) {
        const page = await admin(
          'GET',
          `/reconciliations/${report.run.id}?limit=2${cursor === '' ? '' : `&after=${cursor}`}`,
        );
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.findings.items.length <= 2);
        paged.push(...page.body.findings.items.map((finding: Finding) => finding.id));
        cursor = page.body.findings.nextCursor;
      }
      assert.deepEqual(
        paged,
        findings.map((finding) => finding.id),
      );
      const orphansOnly = await admin('GET', `/reconciliations/${report.run.id}?kind=orphan`);
      assert.equal(orphansOnly.body.findings.items.length, 3);
      const listed = await admin('GET', `/provisionings/${provisioningId}/reconciliations`);
      assert.equal(listed.body.items[0].id, report.run.id);
    });

    it('remembers an ignored orphan: the next run lists it as ignored, not as new', async () => {
      const orphan = findingOf('orphan', ramIds['console-made'] ?? '');
      const ignored = await act(orphan.id, { action: 'ignore' });
      assert.equal(ignored.status, 200, ignored.text);
      assert.equal(ignored.body.status, 'ignored');
      const again = await act(orphan.id, { action: 'ignore' });
      assert.equal(again.status, 200, 'ignoring twice is harmless');

      const report = await reconcile();
      assert.equal(report.run.counts.orphan.open, 2);
      assert.equal(report.run.counts.orphan.ignored, 1);
      assert.equal(findingOf('orphan', ramIds['console-made'] ?? '').status, 'ignored');
      const ignoredOnly = await admin('GET', `/reconciliations/${report.run.id}?status=ignored`);
      assert.deepEqual(
        ignoredOnly.body.findings.items.map((finding: Finding) => finding.accountId),
        [ramIds['console-made']],
      );
    });

    it('adopts an orphan: links it to the user its matching attributes find, then brings it to the desired state', async () => {
      const orphan = findingOf('orphan', ramIds.dave ?? '');
      const adopted = await act(orphan.id, { action: 'adopt' });
      assert.equal(adopted.status, 200, adopted.text);
      assert.equal(adopted.body.status, 'actioned');
      assert.equal(adopted.body.actionObjectId, hubIds.dave);
      const links = await admin('GET', `/provisionings/${provisioningId}/links?object=${hubIds.dave}`);
      assert.equal(links.body.items[0].accountId, ramIds.dave);
      assert.equal(links.body.items[0].state, 'active');
      assert.equal(links.body.items[0].createdByUs, false);
      const account = await eventually(async () => {
        const user = await ramUser('dave');
        return user?.externalId === hubIds.dave ? user : undefined;
      }, 'dave brought to the desired state');
      assert.equal(account.displayName, 'dave');
      assert.equal(account.id, ramIds.dave, 'the same account, not a new one');
      const twice = await act(orphan.id, { action: 'adopt' });
      assert.equal(twice.status, 409, twice.text);
    });

    it('repairs a missing account and a drifted one', async () => {
      const missing = findingOf('missing', ramIds.bob ?? '');
      const drift = findingOf('drift', ramIds.carol ?? '');
      assert.equal((await act(missing.id, { action: 'repair' })).status, 200);
      assert.equal((await act(drift.id, { action: 'repair' })).status, 200);
      const bob = await eventually(() => ramUser('bob'), 'bob created again');
      assert.equal(bob.externalId, hubIds.bob);
      await eventually(
        async () => ((await ramUser('carol'))?.displayName === 'carol' ? true : undefined),
        "carol's displayName put back",
      );
      const report = await reconcile();
      assert.equal(report.run.counts.missing.total, 0, JSON.stringify(findings));
      assert.equal(report.run.counts.drift.total, 0, JSON.stringify(findings));
      assert.equal(report.run.counts.orphan.open, 1, 'handmade is left');
    });

    it('deprovisions an orphan through the engine under the link orphan:<accountId>', async () => {
      const orphan = findingOf('orphan', ramIds.handmade ?? '');
      const done = await act(orphan.id, { action: 'deprovision' });
      assert.equal(done.status, 200, done.text);
      const objectId = `orphan:${ramIds.handmade}`;
      assert.equal(done.body.actionObjectId, objectId);
      const links = await admin(
        'GET',
        `/provisionings/${provisioningId}/links?object=${encodeURIComponent(objectId)}`,
      );
      assert.equal(links.body.items.length, 1, links.text);
      assert.equal(links.body.items[0].accountId, ramIds.handmade);
      assert.equal(links.body.items[0].createdByUs, false);
      // The engine reconciled it: its log names the object (what it did is the deprovisioning policy's).
      await eventually(async () => {
        const log = await admin(
          'GET',
          `/provisionings/${provisioningId}/log?object=${encodeURIComponent(objectId)}`,
        );
        return log.body.items.length > 0 ? log.body.items : undefined;
      }, 'the engine to reconcile the orphan');
      // With the delete operation subscribed, the account goes.
      await eventually(
        async () => ((await ramUser('handmade')) === undefined ? true : undefined),
        'the orphan gone from RAM',
      );
    });

    it('reports an account whose link was kept as an orphan of that user, and adopts it back by name', async () => {
      // As a deprovisioning policy of `keep` leaves it: the link ends, the account lives on.
      await storage.db
        .updateTable('links')
        .set({ state: 'kept' })
        .where('provisioning_id', '=', provisioningId)
        .where('object_id', '=', hubIds.alice ?? '')
        .execute();
      await reconcile();
      const orphan = findingOf('orphan', ramIds.alice ?? '');
      assert.equal(orphan.objectId, hubIds.alice);
      assert.equal(orphan.userName, 'alice');
      assert.equal(orphan.externalId, hubIds.alice);
      assert.match(orphan.details.reason, /kept/);
      const adopted = await act(orphan.id, { action: 'adopt', objectId: hubIds.alice });
      assert.equal(adopted.status, 200, adopted.text);
      const links = await admin('GET', `/provisionings/${provisioningId}/links?object=${hubIds.alice}`);
      assert.equal(links.body.items[0].state, 'active');
      assert.equal(links.body.items[0].accountId, ramIds.alice);
      const report = await reconcile();
      assert.equal(report.run.counts.orphan.open, 0, JSON.stringify(findings));
    });

    it('refuses what does not fit, and keeps tenants apart', async () => {
      findings = firstFindings;
      const adopted = findingOf('orphan', ramIds.dave ?? '');
      const ignored = findingOf('orphan', ramIds['console-made'] ?? '');
      assert.equal((await act(adopted.id, { action: 'repair' })).status, 409);
      assert.equal(
        (await act(ignored.id, { action: 'repair' })).status,
        409,
        'an orphan has no link to repair',
      );
      const badAction = await act(ignored.id, { action: 'delete' });
      assert.equal(badAction.status, 400, badAction.text);
      assert.equal(badAction.body.error, 'invalid_request');
      assert.equal((await act(ignored.id, { action: 'ignore', objectId: 'x' })).status, 400);
      assert.equal((await act('fnd_nope', { action: 'ignore' })).status, 404);
      const unknownUser = await act(ignored.id, { action: 'adopt', objectId: 'no-such-user' });
      assert.equal(unknownUser.status, 404, unknownUser.text);
      assert.equal((await admin('GET', `/reconciliations/run_nope`)).status, 404);
      assert.equal((await admin('POST', '/provisionings/nope/reconciliations')).status, 404);
      await hub.application.auth.tenants.createTenant('other');
      const other = await hub.request('GET', `/api/tenants/other/reconciliations/${findings[0]?.id ?? ''}`, {
        headers: { authorization: `Bearer ${hub.adminToken}` },
      });
      assert.equal(other.status, 404);
      const otherAct = await hub.request('POST', `/api/tenants/other/findings/${ignored.id}/actions`, {
        headers: { authorization: `Bearer ${hub.adminToken}` },
        body: { action: 'ignore' },
      });
      assert.equal(otherAct.status, 404, 'a finding of another tenant is not found');
    });

    it('runs on a cron schedule kept in its own settings', async () => {
      const path = `/provisionings/${provisioningId}/reconciliation-schedule`;
      assert.deepEqual((await admin('GET', path)).body, { provisioningId, schedule: null, nextRunAt: null });
      const bad = await admin('PUT', path, { schedule: 'every day' });
      assert.equal(bad.status, 400, bad.text);
      assert.equal(bad.body.fields[0].path, 'body.schedule');
      const set = await admin('PUT', path, { schedule: '0 3 * * *' });
      assert.equal(set.status, 200, set.text);
      assert.match(set.body.nextRunAt, /T03:00:00\.000Z$/);
      // An occurrence starts a run (trigger `schedule`) and queues the next one.
      const occurrence = hub.application.reconciliation.handlers['reconciliation-schedule'];
      assert.ok(occurrence);
      await occurrence({
        key: `reconciliation-schedule:${provisioningId}`,
        kind: 'reconciliation-schedule',
        group: undefined,
        payload: { tenantId: 'acme', provisioningId },
        attempt: 1,
        maxAttempts: 10,
        signal: new AbortController().signal,
      });
      const runs = await admin('GET', `/provisionings/${provisioningId}/reconciliations`);
      assert.equal(runs.body.items[0].progress.trigger, 'schedule');
      const cleared = await admin('PUT', path, { schedule: null });
      assert.equal(cleared.body.schedule, null);
      assert.equal(cleared.body.nextRunAt, null);
    });
  });
}
