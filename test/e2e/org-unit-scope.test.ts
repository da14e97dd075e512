/**
 * Issue 4, scope by org unit, end to end: OpenLDAP (a throw-away slapd) → the hub (its engine running)
 * → the Alibaba Cloud RAM emulator (its own process). The LDAP source builds the org-unit tree from the
 * DNs; a provisioning scoped on one unit (with its sub-tree) pushes only the users below it; a scope
 * naming an unknown unit is refused with its place; the scope preview shows who would leave without
 * the sub-tree; a user moved to another unit in LDAP leaves the target after the next source run.
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
const ENG = `ou=Eng,${PEOPLE}`;
const PLATFORM = `ou=Platform,${ENG}`;
const SALES = `ou=Sales,${PEOPLE}`;

const person = (uid: string, parent: string) =>
  `dn: uid=${uid},${parent}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\n`;

const SEED = [
  `dn: ${SLAPD_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n`,
  ...[PEOPLE, ENG, PLATFORM, SALES].map(
    (dn) => `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${/^ou=([^,]+)/.exec(dn)?.[1]}\n`,
  ),
  person('ada', ENG),
  person('bob', PLATFORM),
  person('cy', SALES),
].join('\n');

const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000) =>
  waitFor(check, what, { timeoutMs, intervalMs: 100 });

describe('org units in scope: OpenLDAP → hub → RAM emulator', { skip: skip || sqlite === undefined }, () => {
  let slapd: Slapd;
  let storage: Storage;
  let hub: TestService;
  let ram: RamEmulator;
  let sourceId: string;
  let targetId: string;
  const admin = (method: string, path: string, body?: unknown) =>
    hub.request(method, `/api/tenants/acme${path}`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      ...(body !== undefined ? { body } : {}),
    });
  const ramUserNames = async (): Promise<string[]> =>
    ((await ram.scim('GET', '/Users?count=1000')).body.Resources as { userName: string }[])
      .map((user) => user.userName)
      .sort();
  const runSource = async () => {
    const run = await admin('POST', `/sources/${sourceId}/runs`, { mode: 'full' });
    assert.equal(run.status, 201, run.text);
    return run.body;
  };
  const unitId = async (path: string) =>
    (
      await storage.db
        .selectFrom('org_units')
        .select('id')
        .where('tenant_id', '=', 'acme')
        .where('path', '=', path)
        .executeTakeFirstOrThrow()
    ).id;
  const userId = async (userName: string) =>
    (await hub.request('GET', `Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body
      .Resources[0].id as string;

  before(async () => {
    slapd = await startSlapd({ seedLdif: SEED });
    ram = await startRamEmulator();
    storage = await (sqlite as NonNullable<typeof sqlite>).open();
    hub = await createTestService(storage);
    hub.application.engine.start();
    const target = await admin('POST', '/targets', ramTargetBody(ram));
    assert.equal(target.status, 201, target.text);
    targetId = target.body.id;
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

  it('pushes only the users below the scoped org unit, and follows a move in LDAP', async () => {
    const first = await runSource();
    assert.equal(first.stats.users.created, 3);
    const eng = await unitId('People/Eng');

    const unknown = await admin('POST', '/provisionings', {
      name: 'engineering',
      targetId,
      config: { scope: { orgUnits: [{ id: 'no-such-unit', includeSubtree: true }] } },
    });
    assert.equal(unknown.status, 400, unknown.text);
    assert.ok(
      JSON.stringify(unknown.body).includes('scope.orgUnits[0].id'),
      `the problem names its place: ${unknown.text}`,
    );

    const provisioning = await admin('POST', '/provisionings', {
      name: 'engineering',
      targetId,
      config: {
        scope: { orgUnits: [{ id: eng, includeSubtree: true }] },
        operations: { create: true, update: true, disable: true, delete: true },
      },
    });
    assert.equal(provisioning.status, 201, provisioning.text);
    const provisioningId = provisioning.body.id as string;
    await eventually(
      async () => (JSON.stringify(await ramUserNames()) === '["ada","bob"]' ? true : undefined),
      'ada (Eng) and bob (Eng/Platform) in RAM, cy (Sales) not',
    );

    // Without the sub-tree, bob (in Eng/Platform) would leave; with Sales instead, cy would enter.
    const preview = await admin('POST', `/provisionings/${provisioningId}/scope-preview`, {
      scope: {
        orgUnits: [
          { id: eng, includeSubtree: false },
          { path: ['People', 'Sales'], includeSubtree: false },
        ],
      },
    });
    assert.equal(preview.status, 200, preview.text);
    assert.deepEqual(preview.body.entering.userIds, [await userId('cy')]);
    assert.deepEqual(preview.body.leaving.userIds, [await userId('bob')]);

    // ada moves from Eng to Sales in LDAP: the next run moves her in the tree, and she leaves RAM.
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.rootDn, slapd.rootPassword);
    try {
      await client.modifyDN(`uid=ada,${ENG}`, `uid=ada,${SALES}`);
    } finally {
      await client.unbind();
    }
    await runSource();
    await eventually(
      async () => (JSON.stringify(await ramUserNames()) === '["bob"]' ? true : undefined),
      'ada gone from RAM after her move to Sales',
    );
    const log = await admin('GET', `/provisionings/${provisioningId}/log?object=${await userId('ada')}`);
    assert.ok(
      log.body.items.some((entry: { action: string; status: string }) => entry.action === 'delete'),
      JSON.stringify(log.body.items),
    );
  });
});
