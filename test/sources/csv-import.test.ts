/**
 * CSV import over the admin API (issue 6): dry run by default, a per-row report, nothing applied from a
 * file with problems unless asked, deletes only from a file declared complete and through pull
 * protection, each import a recorded run and an audit event.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const sqlite = dialects[0];

const HEADER = 'employee_id,login,first_name,last_name,email,active,department\n';
const row = (id: number, extra: Partial<{ active: string; email: string; login: string }> = {}) =>
  `E${id},${extra.login ?? `user${id}`},First${id},Last${id},${extra.email ?? `user${id}@example.test`},` +
  `${extra.active ?? 'true'},Sales\n`;
const file = (ids: number[]) => HEADER + ids.map((id) => row(id)).join('');

describe('CSV import through the admin API', { skip: sqlite === undefined }, () => {
  let storage: Storage;
  let hub: TestService;
  let sourceId: string;

  const upload = async (body: string | Buffer, query = '') => {
    const response = await hub.app.inject({
      method: 'POST',
      url: `/api/tenants/acme/sources/${sourceId}/import${query}`,
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'text/csv; charset=utf-8' },
      payload: body,
    });
    return { status: response.statusCode, body: JSON.parse(response.body), text: response.body };
  };
  const userNames = async () =>
    (
      await storage.db
        .selectFrom('users')
        .select('user_name')
        .where('tenant_id', '=', 'acme')
        .orderBy('user_name')
        .execute()
    ).map((user) => user.user_name);

  before(async () => {
    storage = await (sqlite as NonNullable<typeof sqlite>).open();
    hub = await createTestService(storage);
    const created = await hub.request('POST', '/api/tenants/acme/sources', {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      body: {
        name: 'HR export',
        kind: 'csv',
        config: {
          key: 'employee_id',
          mapping: {
            userName: 'login',
            displayName: 'Join(" ", first_name, last_name)',
            'name.givenName': 'first_name',
            'name.familyName': 'last_name',
            'emails[type eq "work"].value': 'email',
            active: 'active',
          },
        },
        protection: { users: { maxCount: 100, maxPercent: 50, percentFrom: 3 } },
      },
    });
    assert.equal(created.status, 201, created.text);
    sourceId = created.body.id;
  });
  after(async () => {
    await hub?.close();
    await storage?.close();
  });

  it('is a dry run by default: the plan with counts and samples, nothing written', async () => {
    const answer = await upload(file([1, 2, 3, 4, 5]));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.ok, true);
    assert.equal(answer.body.dryRun, true);
    assert.equal(answer.body.applied, false);
    assert.equal(answer.body.rows, 5);
    assert.equal(answer.body.stats.users.created, 5);
    assert.deepEqual(answer.body.samples.create[0], { key: 'E1', line: 2, objectId: null });
    assert.match(answer.body.warnings[0], /department/);
    assert.deepEqual(await userNames(), []);
  });

  it('applies with dryRun=false; a second identical import changes nothing', async () => {
    const applied = await upload(file([1, 2, 3, 4, 5]), '?dryRun=false');
    assert.equal(applied.body.applied, true, applied.text);
    assert.equal(applied.body.stats.users.created, 5);
    assert.deepEqual(await userNames(), ['user1', 'user2', 'user3', 'user4', 'user5']);
    const again = await upload(file([1, 2, 3, 4, 5]), '?dryRun=false');
    assert.equal(again.body.stats.users.same, 5);
    assert.equal(again.body.stats.users.created + again.body.stats.users.updated, 0);
    const runs = await hub.request('GET', `/api/tenants/acme/sources/${sourceId}/runs`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
    });
    assert.equal(runs.body.items.length, 3);
    assert.deepEqual(
      runs.body.items.map((run: { dryRun: boolean; status: string }) => [run.dryRun, run.status]),
      [
        [false, 'success'],
        [false, 'success'],
        [true, 'success'],
      ],
    );
    const audit = await hub.request('GET', '/api/audit?action=source.import', {
      headers: { authorization: `Bearer ${hub.adminToken}` },
    });
    assert.ok(
      (audit.body.items as { action: string }[]).some((event) => event.action === 'source.import'),
      audit.text,
    );
  });

  it('applies nothing from a file with problems unless applyValidRows, and reports each on its line', async () => {
    const bad =
      HEADER +
      row(1, { email: 'not-an-address' }) + // line 2
      row(2, { active: 'sometimes' }) + // line 3
      row(6) + // line 4: new and fine
      row(6) + // line 5: a duplicate key
      'E7,"unclosed,First7,Last7,x@example.test,true,Sales\n'; // line 6: malformed
    const refused = await upload(bad, '?dryRun=false');
    assert.equal(refused.body.ok, false, refused.text);
    assert.equal(refused.body.applied, false);
    assert.equal(refused.body.error.code, 'invalid_rows');
    assert.deepEqual(
      refused.body.problems.map((problem: { line: number; key: string | null }) => [
        problem.line,
        problem.key,
      ]),
      [
        [2, 'E1'],
        [3, 'E2'],
        [4, 'E6'],
        [5, 'E6'],
        [6, null],
      ],
    );
    assert.deepEqual(await userNames(), ['user1', 'user2', 'user3', 'user4', 'user5']);

    const valid = HEADER + row(1, { login: 'user1-renamed' }) + row(8) + row(8) + row(9, { active: 'x' });
    const partial = await upload(valid, '?dryRun=false&applyValidRows=true');
    assert.equal(partial.body.ok, true, partial.text);
    assert.equal(partial.body.applied, true);
    assert.equal(partial.body.validRows, 1);
    assert.equal(partial.body.stats.users.updated, 1);
    assert.equal(partial.body.stats.users.invalid, 2);
    assert.deepEqual(await userNames(), ['user1-renamed', 'user2', 'user3', 'user4', 'user5']);
  });

  it('deletes rows that vanished only from a complete file, through pull protection', async () => {
    const incomplete = await upload(file([1, 2, 3, 4]), '?dryRun=false');
    assert.equal(incomplete.body.stats.users.deleted, 0);
    assert.equal((await userNames()).length, 5);

    // 3 of 5 (60 %) is more than the source's 50 %: refused, nothing changed.
    const refused = await upload(file([1, 2]), '?dryRun=false&complete=true');
    assert.equal(refused.body.ok, false, refused.text);
    assert.equal(refused.body.error.code, 'protection');
    assert.equal(refused.body.stats.users.deleted, 3);
    assert.equal((await userNames()).length, 5);

    // A malformed row might be someone still there: deletions are withheld.
    const unreadable = await upload(
      `${file([1, 2, 3, 4])}E5,"broken\n`,
      '?dryRun=false&complete=true&applyValidRows=true',
    );
    assert.equal(unreadable.body.complete, false, unreadable.text);
    assert.equal(unreadable.body.stats.users.deleted, 0);
    assert.match(unreadable.body.warnings.join('\n'), /deletions withheld/);

    const dry = await upload(file([1, 2, 3, 4]), '?complete=true');
    assert.equal(dry.body.stats.users.deleted, 1);
    assert.equal(dry.body.samples.delete[0].key, 'E5');
    assert.equal((await userNames()).length, 5);
    const applied = await upload(file([1, 2, 3, 4]), '?dryRun=false&complete=true');
    assert.equal(applied.body.applied, true, applied.text);
    assert.equal(applied.body.stats.users.deleted, 1);
    assert.deepEqual(await userNames(), ['user1', 'user2', 'user3', 'user4']);
  });

  it('refuses a whole file whose header lacks a mapped column or is UTF-16', async () => {
    const wrong = await upload('employee_id,login\nE1,user1\n', '?dryRun=false');
    assert.equal(wrong.body.error.code, 'invalid_file');
    assert.equal(wrong.body.problems[0].line, 1);
    assert.match(wrong.body.problems[0].reason, /unknown column "first_name"/);
    const wide = await upload(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file([1]), 'utf16le')]),
      '?dryRun=false',
    );
    assert.match(wide.body.problems[0].reason, /UTF-16/);
    assert.equal(wide.body.applied, false);
  });

  it('validates the query and refuses an LDAP source or a missing one', async () => {
    const bad = await upload(file([1]), '?dryRun=perhaps');
    assert.equal(bad.status, 400, bad.text);
    const missing = await hub.app.inject({
      method: 'POST',
      url: '/api/tenants/acme/sources/nope/import',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'text/csv' },
      payload: file([1]),
    });
    assert.equal(missing.statusCode, 404, missing.body);
    const json = await hub.request('POST', `/api/tenants/acme/sources/${sourceId}/import`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      body: { rows: [] },
    });
    assert.equal(json.status, 400, json.text);
    assert.match(json.body.message, /text\/csv/);
  });
});
