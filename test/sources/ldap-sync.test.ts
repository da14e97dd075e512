/** LDAP sync against a throw-away OpenLDAP: full and incremental runs into the directory, identity, protection. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Attribute, Change, Client } from 'ldapts';
import { createGroupService } from '../../src/directory/group-service.ts';
import { createUserService } from '../../src/directory/user-service.ts';
import { SourceProtectionSchema } from '../../src/sources/apply/source-protection.ts';
import type { LdapSourceConfig } from '../../src/sources/ldap/ldap-source-config.ts';
import { LdapSourceConfigSchema } from '../../src/sources/ldap/ldap-source-config.ts';
import { type LdapSyncRequest, syncLdapSource } from '../../src/sources/ldap/ldap-sync.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestTenant } from '../support/create-test-tenant.ts';
import { findFreePort, type Slapd, slapdSkipReason, startSlapd } from '../support/slapd.ts';
import {
  buildDirectoryLdif,
  CONTRACTORS_DN,
  engineerUid,
  GROUPS_DN,
  PEOPLE_DN,
  personLdif,
  READER_DN,
  READER_PASSWORD,
  userDn,
} from './ldap-fixtures.ts';
import { insertTestSource, openSqliteForTest } from './source-test-support.ts';

const skip = slapdSkipReason();
const SHAPE = { engineers: 6, sales: 3, contractors: 2 };
const ENG_DN = `ou=Eng,${PEOPLE_DN}`;
const SALES_DN = `ou=Sales,${PEOPLE_DN}`;
const TENANT = 'acme';
const SOURCE = 'ldap-1';

describe('LDAP sync into the directory (throw-away slapd)', { skip }, () => {
  let slapd: Slapd;
  let storage: Storage;
  let users: ReturnType<typeof createUserService>;
  let groups: ReturnType<typeof createGroupService>;
  let watermark: string | null = null;

  const configFor = (
    url: string,
    overrides: Partial<LdapSourceConfig['connection']> = {},
  ): LdapSourceConfig =>
    LdapSourceConfigSchema.parse({
      connection: {
        url,
        bindDn: READER_DN,
        bindPassword: READER_PASSWORD,
        connectTimeoutMs: 1500,
        operationTimeoutMs: 5000,
        baseDns: [
          { dn: PEOPLE_DN, filter: '(objectClass=inetOrgPerson)', scope: 'sub' },
          { dn: GROUPS_DN, filter: '(objectClass=groupOfNames)', scope: 'one' },
          { dn: CONTRACTORS_DN, filter: '(objectClass=inetOrgPerson)', scope: 'one' },
        ],
        ...overrides,
      },
      userMapping: {
        userName: 'Coalesce(uid, mail, cn)',
        displayName: 'cn',
        'name.familyName': 'sn',
        'emails[type eq "work"].value': 'mail',
        title: 'title',
        active: 'IIF(employeeType = "disabled", false, true)',
      },
    });
  const run = (mode: 'full' | 'incremental', overrides: Partial<LdapSyncRequest> = {}) =>
    syncLdapSource(
      { storage, users, groups },
      {
        tenantId: TENANT,
        sourceId: SOURCE,
        config: configFor(slapd.url),
        protection: SourceProtectionSchema.parse({ users: { maxCount: 3 } }),
        mode,
        watermark,
        ...overrides,
      },
    );
  const userIdOf = async (userName: string) =>
    (
      await storage.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', TENANT)
        .where('user_name_ci', '=', userName.toLowerCase())
        .executeTakeFirst()
    )?.id;
  const count = async (table: 'users' | 'groups' | 'directory_changes' | 'org_units') =>
    (
      await storage.db
        .selectFrom(table)
        .select(storage.db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const asRoot = async (work: (client: Client) => Promise<void>) => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.rootDn, slapd.rootPassword);
    try {
      await work(client);
    } finally {
      await client.unbind();
    }
  };
  const orgUnitPathOf = async (userId: string) =>
    (
      await storage.db
        .selectFrom('user_org_units as m')
        .innerJoin('org_units as o', 'o.id', 'm.org_unit_id')
        .select('o.path')
        .where('m.user_id', '=', userId)
        .executeTakeFirst()
    )?.path;

  before(async () => {
    slapd = await startSlapd({ seedLdif: buildDirectoryLdif(SHAPE) });
    storage = await openSqliteForTest();
    users = createUserService(storage);
    groups = createGroupService(storage);
    await createTestTenant(storage, TENANT);
    await insertTestSource(storage, SOURCE, TENANT);
  });
  after(async () => {
    await slapd?.remove();
    await storage?.close();
  });

  it('a full run imports users, org units from the DN tree and nested groups flattened', async () => {
    const result = await run('full');
    assert.ok(result.ok, JSON.stringify(result));
    const expectedUsers = SHAPE.engineers + SHAPE.sales + SHAPE.contractors + 1; // + Smith, John
    assert.equal(result.stats.users.created, expectedUsers);
    assert.equal(await count('users'), expectedUsers);
    assert.equal(result.stats.groups.created, 3);
    const paths = (await storage.db.selectFrom('org_units').select('path').orderBy('path').execute()).map(
      (r) => r.path,
    );
    assert.deepEqual(paths, ['Contractors', 'People', 'People/Eng', 'People/Sales']);
    assert.equal(await orgUnitPathOf((await userIdOf(engineerUid(0))) ?? ''), 'People/Eng');
    // leads ∋ eng0, eng1, platform; platform ∋ eng2, leads (a cycle): both flatten to eng0..eng2.
    const leads = await storage.db
      .selectFrom('groups')
      .select('id')
      .where('display_name', '=', 'leads')
      .executeTakeFirstOrThrow();
    const members = (await groups.members(TENANT, leads.id)).map((m) => m.value).sort();
    const expected = await Promise.all([0, 1, 2].map((i) => userIdOf(engineerUid(i))));
    assert.deepEqual(members, (expected as string[]).sort());
    assert.ok(result.watermark);
    watermark = result.watermark;
  });

  it('an incremental run applies only what changed: an edit, a new user, a disable', async () => {
    await asRoot(async (client) => {
      await client.modify(userDn(engineerUid(3), ENG_DN), [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'title', values: ['Staff'] }),
        }),
      ]);
      await client.modify(userDn(engineerUid(4), ENG_DN), [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'employeeType', values: ['disabled'] }),
        }),
      ]);
    });
    await slapd.addLdif(personLdif('newbie', SALES_DN));
    const before = await count('directory_changes');
    const result = await run('incremental');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.mode, 'incremental');
    assert.equal(result.entries, 3);
    assert.equal(result.stats.users.created, 1);
    assert.equal(result.stats.users.updated, 2);
    // Three writes, and the new user's placement in its org unit (a scope on org units re-decides).
    assert.equal(await count('directory_changes'), before + 4);
    const staff = await users.get(TENANT, (await userIdOf(engineerUid(3))) ?? '');
    assert.equal(staff.doc.title, 'Staff');
    const disabled = await users.get(TENANT, (await userIdOf(engineerUid(4))) ?? '');
    assert.equal(disabled.doc.active, false);
    assert.notEqual(result.watermark, watermark);
    watermark = result.watermark;
  });

  it('rename and move keep the identity (same directory user, new userName and org unit)', async () => {
    const renamedId = await userIdOf(engineerUid(5));
    const movedId = await userIdOf('sales00001');
    await asRoot(async (client) => {
      await client.modifyDN(userDn(engineerUid(5), ENG_DN), 'uid=renamed5');
      await client.modify(`uid=renamed5,${ENG_DN}`, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'uid', values: ['renamed5'] }),
        }),
      ]);
      await client.modifyDN(userDn('sales00001', SALES_DN), `uid=sales00001,${ENG_DN}`);
    });
    const result = await run('incremental');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.stats.users.created, 0);
    assert.equal(await userIdOf('renamed5'), renamedId);
    assert.equal(await userIdOf(engineerUid(5)), undefined);
    assert.equal(await orgUnitPathOf(movedId ?? ''), 'People/Eng');
    watermark = result.watermark;
  });

  it('a nested group change reaches the groups that contain it, incrementally', async () => {
    await asRoot((client) =>
      client.modify(`cn=platform,${GROUPS_DN}`, [
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'member', values: [userDn('sales00002', SALES_DN)] }),
        }),
      ]),
    );
    const result = await run('incremental');
    assert.ok(result.ok, JSON.stringify(result));
    const leads = await storage.db
      .selectFrom('groups')
      .select('id')
      .where('display_name', '=', 'leads')
      .executeTakeFirstOrThrow();
    const members = (await groups.members(TENANT, leads.id)).map((m) => m.value);
    assert.ok(members.includes((await userIdOf('sales00002')) ?? '?'));
    watermark = result.watermark;
  });

  it('a full run detects deleted entries and deletes their users', async () => {
    const goneId = await userIdOf('contractor0');
    await asRoot((client) => client.del(userDn('contractor0', CONTRACTORS_DN)));
    const incremental = await run('incremental');
    assert.ok(incremental.ok);
    assert.equal(incremental.stats.users.deleted, 0);
    const result = await run('full');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.stats.users.deleted, 1);
    assert.equal(await userIdOf('contractor0'), undefined);
    const change = await storage.db
      .selectFrom('directory_changes')
      .selectAll()
      .where('object_id', '=', goneId ?? '')
      .where('change', '=', 'delete')
      .executeTakeFirst();
    assert.ok(change, 'the deletion is in the outbox');
    watermark = result.watermark;
  });

  describe('runs that stop with their own message and change nothing', () => {
    const unchanged = async (result: Awaited<ReturnType<typeof run>>, code: string, message: RegExp) => {
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.error.code, code, result.error.message);
      assert.match(result.error.message, message);
    };
    let changes = 0;
    before(async () => {
      changes = await count('directory_changes');
    });
    after(async () => {
      assert.equal(await count('directory_changes'), changes, 'a refused run wrote nothing');
    });

    it('a wrong password', async () => {
      const config = configFor(slapd.url, { bindPassword: 'wrong-password' });
      await unchanged(await run('full', { config }), 'invalid_credentials', /./);
    });
    it('a server that is down', async () => {
      const config = configFor(`ldap://127.0.0.1:${await findFreePort()}`);
      await unchanged(await run('full', { config }), 'unreachable', /./);
    });
    it('a wrong base DN', async () => {
      const config = configFor(slapd.url, {
        baseDns: [{ dn: 'ou=Nope,dc=example,dc=test', filter: '(objectClass=*)', scope: 'sub' }],
      });
      await unchanged(await run('full', { config }), 'no_such_base', /ou=Nope/);
    });
    it('a deletion beyond the threshold', async () => {
      await asRoot(async (client) => {
        for (const uid of ['sales00000', 'sales00002', 'newbie']) await client.del(userDn(uid, SALES_DN));
        for (const i of [0, 1]) await client.del(userDn(engineerUid(i), ENG_DN));
      });
      const result = await run('full');
      await unchanged(result, 'protection', /would delete \d+ users, more than the threshold of 3/);
    });
  });
});
