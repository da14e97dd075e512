/**
 * Issue 6 end to end: OpenLDAP (a throw-away slapd) → the hub (its engine running) → the Alibaba Cloud
 * RAM emulator (its own process). A full run of an LDAP source created over the admin API brings the
 * users to RAM; an entry deleted in OpenLDAP is gone from RAM after the next full run; deleting 90 % of
 * the entries trips pull protection, so that run changes nothing and deprovisions no one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'ldapts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { type RamEmulator, ramTargetBody, startRamEmulator } from '../e2e-support/ram-emulator.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import { SLAPD_SUFFIX, type Slapd, slapdSkipReason, startSlapd } from '../support/slapd.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const skip = slapdSkipReason();
const { dialects } = await testDialects();
const sqlite = dialects[0];
const PEOPLE = `ou=People,${SLAPD_SUFFIX}`;
const COUNT = 20;
const uidOf = (index: number) => `person${String(index).padStart(2, '0')}`;

function seedLdif(): string {
  const parts = [
    `dn: ${SLAPD_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: People\n`,
  ];
  for (let index = 0; index < COUNT; index++) {
    const uid = uidOf(index);
    parts.push(
      `dn: uid=${uid},${PEOPLE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: Person ${index}\n` +
        `sn: Person\nmail: ${uid}@example.test\n`,
    );
  }
  return parts.join('\n');
}

const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000) =>
  waitFor(check, what, { timeoutMs, intervalMs: 100 });

describe('OpenLDAP → hub → RAM emulator', { skip: skip || sqlite === undefined }, () => {
  let slapd: Slapd;
  let storage: Storage;
  let hub: TestService;
  let ram: RamEmulator;
  let sourceId: string;
  const admin = (method: string, path: string, body?: unknown) =>
    hub.request(method, `/api/tenants/acme${path}`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      ...(body !== undefined ? { body } : {}),
    });
  const ramUserNames = async (): Promise<string[]> =>
    ((await ram.scim('GET', '/Users?count=1000')).body.Resources as { userName: string }[])
      .map((user) => user.userName)
      .sort();
  const runFull = () => admin('POST', `/sources/${sourceId}/runs`, { mode: 'full' });
  const deleteEntries = async (uids: readonly string[]) => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.rootDn, slapd.rootPassword);
    try {
      for (const uid of uids) await client.del(`uid=${uid},${PEOPLE}`);
    } finally {
      await client.unbind();
    }
  };

  before(async () => {
    slapd = await startSlapd({ seedLdif: seedLdif() });
    ram = await startRamEmulator();
    storage = await (sqlite as NonNullable<typeof sqlite>).open();
    hub = await createTestService(storage);
    hub.application.engine.start();
    const target = await admin('POST', '/targets', ramTargetBody(ram));
    assert.equal(target.status, 201, target.text);
    const provisioning = await admin('POST', '/provisionings', {
      name: 'to RAM',
      targetId: target.body.id,
      config: { operations: { create: true, update: true, disable: true, delete: true } },
    });
    assert.equal(provisioning.status, 201, provisioning.text);
    const source = await admin('POST', '/sources', {
      name: 'OpenLDAP',
      kind: 'ldap',
      config: {
        connection: {
          url: slapd.url,
          bindDn: slapd.rootDn,
          bindPassword: slapd.rootPassword,
          baseDns: [{ dn: PEOPLE, filter: '(objectClass=inetOrgPerson)', scope: 'sub' }],
        },
      },
    });
    assert.equal(source.status, 201, source.text);
    sourceId = source.body.id;
  });
  after(async () => {
    await hub?.close();
    await storage?.close();
    await ram?.stop();
    await slapd?.remove();
  });

  it('a full run brings every LDAP user to RAM', async () => {
    const run = await runFull();
    assert.equal(run.status, 201, run.text);
    assert.equal(run.body.stats.users.created, COUNT);
    const expected = Array.from({ length: COUNT }, (_, index) => uidOf(index)).sort();
    await eventually(
      async () => ((await ramUserNames()).length === COUNT ? true : undefined),
      `${COUNT} users in RAM`,
    );
    assert.deepEqual(await ramUserNames(), expected);
  });

  it('runs on its cron schedule, and keeps an attribute an admin released to local control', async () => {
    const refused = await admin('PATCH', `/sources/${sourceId}`, { schedule: 'every five minutes' });
    assert.equal(refused.status, 400, refused.text);
    assert.ok(
      refused.body.fields.some((field: { path: string }) => field.path.endsWith('schedule')),
      refused.text,
    );
    const scheduled = await admin('PATCH', `/sources/${sourceId}`, { schedule: '*/5 * * * *' });
    assert.equal(scheduled.status, 200, scheduled.text);

    const found = await hub.request('GET', `Users?filter=${encodeURIComponent('userName eq "person05"')}`);
    const userId = found.body.Resources[0].id as string;
    const released = await admin('PUT', `/sources/${sourceId}/objects/User/${userId}/released`, {
      paths: ['displayName'],
    });
    assert.equal(released.status, 200, released.text);
    const patched = await hub.request('PATCH', `Users/${userId}`, {
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Chosen Locally' }],
      },
    });
    assert.equal(patched.status, 200, patched.text);

    // The occurrence the queue would run at the next */5 minute, run now through its handler.
    const handler = hub.application.scheduler.handlers['source-schedule'];
    assert.ok(handler);
    const outcome = await handler({
      key: `source-schedule:${sourceId}`,
      kind: 'source-schedule',
      group: undefined,
      payload: { tenantId: 'acme', sourceId },
      attempt: 1,
      maxAttempts: 10,
      signal: new AbortController().signal,
    });
    assert.deepEqual(outcome, { outcome: 'done' });
    const runs = await admin('GET', `/sources/${sourceId}/runs`);
    const latest = runs.body.items[0];
    assert.equal(latest.trigger, 'schedule', JSON.stringify(latest));
    assert.equal(latest.mode, 'full');
    const after = await hub.request('GET', `Users/${userId}`);
    assert.equal(after.body.displayName, 'Chosen Locally', 'the source left the released attribute alone');
  });

  it('an entry deleted in OpenLDAP is gone from RAM after the next full run', async () => {
    await deleteEntries([uidOf(0)]);
    const run = await runFull();
    assert.equal(run.status, 201, run.text);
    assert.equal(run.body.stats.users.deleted, 1);
    await eventually(
      async () => (!(await ramUserNames()).includes(uidOf(0)) ? true : undefined),
      `${uidOf(0)} gone from RAM`,
    );
    assert.equal((await ramUserNames()).length, COUNT - 1);
  });

  it('deleting 90 % of the entries trips pull protection: nothing is deprovisioned', async () => {
    const gone = Array.from({ length: COUNT - 2 }, (_, index) => uidOf(index + 1)); // 18 of 19 left
    await deleteEntries(gone);
    const run = await runFull();
    assert.equal(run.status, 200, run.text);
    assert.equal(run.body.ok, false);
    assert.equal(run.body.error.code, 'protection');
    assert.match(run.body.error.message, /would delete 18 of 19 users/);
    const runs = await admin('GET', `/sources/${sourceId}/runs`);
    assert.equal(runs.body.items[0].status, 'failed');
    const users = await storage.db
      .selectFrom('users')
      .select(storage.db.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', 'acme')
      .executeTakeFirstOrThrow();
    assert.equal(Number(users.n), COUNT - 1, 'the hub still has every user');
    // Give the engine time to act on anything it was (wrongly) told; RAM must keep all 19.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await ramUserNames()).length, COUNT - 1);
  });
});
