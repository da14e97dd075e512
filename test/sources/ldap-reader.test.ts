import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { normalizeDn } from '../../src/sources/ldap/distinguished-name.ts';
import { flattenGroupMembers } from '../../src/sources/ldap/flatten-group-members.ts';
import type { LdapConnectionInput } from '../../src/sources/ldap/ldap-connection-schema.ts';
import { createLdapReader } from '../../src/sources/ldap/ldap-reader.ts';
import { LdapSourceError } from '../../src/sources/ldap/ldap-source-error.ts';
import { type LdapWatermark, nextWatermark } from '../../src/sources/ldap/ldap-watermark.ts';
import type { LdapEntry } from '../../src/sources/ldap/normalize-ldap-entry.ts';
import { orgUnitPath } from '../../src/sources/ldap/org-unit-path.ts';
import { findFreePort, type Slapd, slapdSkipReason, startSlapd } from '../support/slapd.ts';
import {
  buildDirectoryLdif,
  CONTRACTORS_DN,
  EMPTY_DN,
  engineerUid,
  GROUPS_DN,
  PEOPLE_DN,
  READER_DN,
  READER_PASSWORD,
  salesUid,
  userDn,
} from './ldap-fixtures.ts';

const skip = slapdSkipReason();
const SHAPE = { engineers: 2000, sales: 1000, contractors: 300 };
const PEOPLE_COUNT = SHAPE.engineers + SHAPE.sales + 1; // + Smith, John
const ENG_DN = `ou=Eng,${PEOPLE_DN}`;
const SALES_DN = `ou=Sales,${PEOPLE_DN}`;

const connectionTo = (url: string, overrides: Partial<LdapConnectionInput> = {}): LdapConnectionInput => ({
  url,
  bindDn: READER_DN,
  bindPassword: READER_PASSWORD,
  pageSize: 200,
  connectTimeoutMs: 2000,
  operationTimeoutMs: 5000,
  baseDns: [
    { dn: PEOPLE_DN, filter: '(objectClass=inetOrgPerson)', scope: 'sub' },
    { dn: GROUPS_DN, filter: '(objectClass=groupOfNames)', scope: 'one' },
    { dn: CONTRACTORS_DN, filter: '(objectClass=inetOrgPerson)', scope: 'one' },
  ],
  ...overrides,
});

interface Outcome {
  readonly entries: LdapEntry[];
  readonly error: LdapSourceError | undefined;
}

async function readAll(input: LdapConnectionInput, since?: LdapWatermark): Promise<Outcome> {
  const entries: LdapEntry[] = [];
  try {
    for await (const entry of createLdapReader(input).readEntries(since === undefined ? {} : { since }))
      entries.push(entry);
    return { entries, error: undefined };
  } catch (error) {
    assert.ok(error instanceof LdapSourceError, `not an LdapSourceError: ${inspect(error)}`);
    return { entries, error };
  }
}

/** Fails with `code`, before any entry, and shows no password anywhere in the error. */
async function assertFails(input: LdapConnectionInput, code: string): Promise<LdapSourceError> {
  const { entries, error } = await readAll(input);
  assert.ok(error, `expected ${code}, read ${entries.length} entries`);
  assert.equal(error.code, code, error.message);
  assert.equal(entries.length, 0);
  for (const text of [error.message, String(error), inspect(error, { depth: 5 }), JSON.stringify(error)])
    assert.ok(!text.includes(input.bindPassword), `the bind password leaked into: ${text}`);
  const verified = await createLdapReader(input).verify();
  assert.equal(verified.ok ? 'ok' : verified.error.code, code);
  return error;
}

const replaceTitle = (title: string) =>
  new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: [title] }) });

/** Waits until the clock is past the second of a GeneralizedTime `YYYYMMDDHHMMSSZ`. */
async function waitPastSecond(generalizedTime: string): Promise<void> {
  const [year, month, day, hour, minute, second] = [0, 4, 6, 8, 10, 12].map((start) =>
    Number(generalizedTime.slice(start, start === 0 ? 4 : start + 2)),
  );
  const next = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, (second ?? 0) + 1);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now() + 20)));
}

const byUid = (entries: readonly LdapEntry[], uid: string) =>
  entries.find((entry) => entry.attributes.uid?.includes(uid));

// One suite, so that a machine without slapd prints one line saying why it skipped.
describe('LDAP reader against a throw-away OpenLDAP slapd', { skip }, () => {
  describe('directory reads', () => {
    let slapd: Slapd;
    before(async () => {
      slapd = await startSlapd({ seedLdif: buildDirectoryLdif(SHAPE), sizeLimit: 500 });
    });
    after(() => slapd?.remove());

    it('reads thousands of entries from several base DNs and scopes with paging past the size limit', async () => {
      // Without paging the reader account hits the server's size limit of 500.
      const client = new Client({ url: slapd.url });
      await client.bind(READER_DN, READER_PASSWORD);
      try {
        await assert.rejects(client.search(PEOPLE_DN, { filter: '(objectClass=inetOrgPerson)' }), {
          code: 4,
        });
      } finally {
        await client.unbind();
      }

      const { entries, error } = await readAll(connectionTo(slapd.url));
      assert.equal(error, undefined);
      const people = entries.filter((entry) =>
        normalizeDn(entry.dn)?.endsWith(normalizeDn(PEOPLE_DN) ?? '?'),
      );
      const groups = entries.filter((entry) => entry.attributes.objectclass?.includes('groupOfNames'));
      const contractors = entries.filter((entry) => entry.dn.endsWith(CONTRACTORS_DN));
      assert.equal(people.length, PEOPLE_COUNT);
      assert.equal(groups.length, 3);
      assert.equal(contractors.length, SHAPE.contractors, 'scope one leaves ou=Nested out');
      assert.equal(entries.length, PEOPLE_COUNT + 3 + SHAPE.contractors);

      const keys = new Set(entries.map((entry) => entry.key));
      assert.equal(keys.size, entries.length, 'every key is unique');
      for (const key of keys)
        assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

      const engineer = byUid(entries, engineerUid(7));
      assert.ok(engineer);
      assert.deepEqual(engineer.attributes.mail, [`${engineerUid(7)}@example.test`]);
      assert.ok(engineer.attributes.entryuuid, 'operational attributes are lowercased and present');
      assert.ok(engineer.attributes.entrycsn);
      assert.deepEqual(orgUnitPath(engineer.dn, slapd.suffix), ['People', 'Eng']);

      const smith = byUid(entries, 'jsmith');
      assert.ok(smith);
      assert.deepEqual(orgUnitPath(smith.dn, slapd.suffix), ['People', 'Eng']);
      assert.deepEqual(smith.attributes.cn, ['Smith, John']);

      // Nested groups (leads ∋ platform ∋ leads) flatten to their users.
      const direct = new Map(
        groups.map((group) => [
          normalizeDn(group.dn) ?? group.dn,
          (group.attributes.member ?? []).map((dn) => normalizeDn(dn) ?? dn),
        ]),
      );
      const flat = flattenGroupMembers(direct);
      const leads = flat.get(normalizeDn(`cn=leads,${GROUPS_DN}`) ?? '');
      assert.deepEqual(
        [...(leads ?? [])].sort(),
        [0, 1, 2].map((index) => normalizeDn(userDn(engineerUid(index), ENG_DN))).sort(),
      );
    });

    it('keeps the entryUUID key across a rename (modrdn) and a move to another OU', async () => {
      const before = await readAll(connectionTo(slapd.url));
      const renamed = byUid(before.entries, engineerUid(10));
      const moved = byUid(before.entries, engineerUid(11));
      assert.ok(renamed && moved);

      const client = new Client({ url: slapd.url });
      await client.bind(slapd.rootDn, slapd.rootPassword);
      await client.modifyDN(renamed.dn, `uid=renamed10,${ENG_DN}`);
      await client.modifyDN(moved.dn, `uid=${engineerUid(11)},${SALES_DN}`);
      await client.unbind();

      const after = await readAll(connectionTo(slapd.url));
      assert.equal(after.entries.length, before.entries.length);
      const renamedAfter = after.entries.find((entry) => entry.key === renamed.key);
      const movedAfter = after.entries.find((entry) => entry.key === moved.key);
      assert.equal(renamedAfter?.dn, `uid=renamed10,${ENG_DN}`);
      assert.deepEqual(renamedAfter?.attributes.uid, ['renamed10'], 'modrdn replaced the old RDN value');
      assert.equal(movedAfter?.dn, `uid=${engineerUid(11)},${SALES_DN}`);
      assert.deepEqual(orgUnitPath(movedAfter?.dn ?? '', slapd.suffix), ['People', 'Sales']);
    });

    it('reads incrementally only the entries changed since an entryCSN watermark', async () => {
      const full = await readAll(connectionTo(slapd.url));
      const watermark = nextWatermark('entryCSN', undefined, full.entries);
      assert.ok(watermark);

      const changed = [engineerUid(20), salesUid(30), 'contractor5'];
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.rootDn, slapd.rootPassword);
      for (const uid of changed) {
        const entry = byUid(full.entries, uid);
        assert.ok(entry);
        await client.modify(entry.dn, replaceTitle('changed'));
      }
      await client.unbind();

      const incremental = await readAll(connectionTo(slapd.url), watermark);
      assert.equal(incremental.error, undefined);
      assert.deepEqual(incremental.entries.map((entry) => entry.attributes.uid?.[0]).sort(), changed.sort());
      const next = nextWatermark('entryCSN', watermark, incremental.entries);
      assert.ok(next && next.value > watermark.value);

      const nothing = await readAll(connectionTo(slapd.url), next);
      assert.deepEqual(
        nothing,
        { entries: [], error: undefined },
        'no change since: no entries, no base_empty',
      );
    });

    it('reads incrementally by modifyTimestamp, the boundary second included', async () => {
      const input = connectionTo(slapd.url, { watermarkAttribute: 'modifyTimestamp' });
      const modify = async (uid: string, title: string) => {
        const client = new Client({ url: slapd.url });
        await client.bind(slapd.rootDn, slapd.rootPassword);
        await client.modify(userDn(uid, SALES_DN), replaceTitle(title));
        await client.unbind();
      };
      const first = nextWatermark('modifyTimestamp', undefined, (await readAll(input)).entries);
      assert.ok(first);
      await waitPastSecond(first.value);
      await modify(salesUid(40), 'boundary');
      const full = await readAll(input);
      const watermark = nextWatermark('modifyTimestamp', undefined, full.entries);
      assert.ok(watermark && watermark.value > first.value);
      await waitPastSecond(watermark.value);
      await modify(salesUid(41), 'after');

      const incremental = await readAll(input, watermark);
      assert.equal(incremental.error, undefined);
      // Exactly: what was stamped in the watermark's second (salesUid(40) among them), and the later change.
      const expected = full.entries
        .filter((entry) => (entry.attributes.modifytimestamp?.[0] ?? '') >= watermark.value)
        .map((entry) => entry.attributes.uid?.[0]);
      assert.ok(expected.includes(salesUid(40)));
      assert.deepEqual(
        incremental.entries.map((entry) => entry.attributes.uid?.[0]).sort(),
        [...new Set([...expected, salesUid(41)])].sort(),
      );
      assert.ok(incremental.entries.length < full.entries.length / 2);
    });

    it('StartTLS against a server without TLS fails with tls', async () => {
      await assertFails(connectionTo(slapd.url, { startTls: true }), 'tls');
    });

    it('a wrong password fails with invalid_credentials and never shows the password', async () => {
      const error = await assertFails(
        connectionTo(slapd.url, { bindPassword: 'Wr0ng-Pa55-Xy9!' }),
        'invalid_credentials',
      );
      assert.match(error.message, /cn=reader/);
    });

    it('a base DN that does not exist fails with no_such_base', async () => {
      const missing = `ou=Nowhere,${slapd.suffix}`;
      const error = await assertFails(
        connectionTo(slapd.url, { baseDns: [{ dn: PEOPLE_DN }, { dn: missing }] }),
        'no_such_base',
      );
      assert.match(error.message, /ou=Nowhere/);
    });

    it('a base DN with no entries fails with base_empty, before any entry is read', async () => {
      await assertFails(
        connectionTo(slapd.url, { baseDns: [{ dn: PEOPLE_DN }, { dn: EMPTY_DN, scope: 'one' }] }),
        'base_empty',
      );
      await assertFails(
        connectionTo(slapd.url, { baseDns: [{ dn: PEOPLE_DN, filter: '(objectClass=posixAccount)' }] }),
        'base_empty',
      );
    });
  });

  describe('over TLS (throw-away CA)', () => {
    let slapd: Slapd;
    before(async () => {
      slapd = await startSlapd({
        tls: true,
        seedLdif: buildDirectoryLdif({ engineers: 20, sales: 5, contractors: 3 }),
      });
    });
    after(() => slapd?.remove());

    it('reads with StartTLS when the CA is trusted', async () => {
      const { entries, error } = await readAll(
        connectionTo(slapd.url, { startTls: true, caCertificate: slapd.caCertificate }),
      );
      assert.equal(error, undefined);
      assert.equal(entries.length, 26 + 3 + 3);
    });

    it('StartTLS without the CA fails with tls', async () => {
      const error = await assertFails(connectionTo(slapd.url, { startTls: true }), 'tls');
      assert.match(error.message, /TLS/);
    });

    it('reads over ldaps:// with the CA, and fails with tls without it', async () => {
      const url = slapd.ldapsUrl ?? assert.fail('no ldaps listener');
      const { entries, error } = await readAll(connectionTo(url, { caCertificate: slapd.caCertificate }));
      assert.equal(error, undefined);
      assert.equal(entries.length, 32);
      await assertFails(connectionTo(url), 'tls');
    });
  });

  describe('when the server is down or silent', () => {
    it('a stopped server fails with unreachable', async () => {
      const slapd = await startSlapd({
        seedLdif: buildDirectoryLdif({ engineers: 1, sales: 1, contractors: 1 }),
      });
      const input = connectionTo(slapd.url);
      assert.equal((await readAll(input)).error, undefined);
      await slapd.remove();
      await assertFails(input, 'unreachable');
    });

    it('a server that accepts but never answers fails with timeout', async () => {
      const sockets = new Set<Socket>();
      const server: Server = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => {});
      });
      const port = await findFreePort();
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      try {
        await assertFails(connectionTo(`ldap://127.0.0.1:${port}`, { operationTimeoutMs: 300 }), 'timeout');
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
