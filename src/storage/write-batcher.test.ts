import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStorage, type Storage } from './open-storage.ts';

describe('group commit (SQLite write batcher)', () => {
  let storage: Storage;
  let transactions = 0;
  before(async () => {
    storage = await openStorage({
      kind: 'sqlite',
      path: ':memory:',
      log: (event) => {
        if (event.level === 'query' && event.query.sql === 'begin') transactions++;
      },
    });
    await storage.db
      .insertInto('tenants')
      .values({ id: 't', display_name: 'T', status: 'active', created_at: '2020-01-01T00:00:00.000Z' })
      .execute();
  });
  after(() => storage.close());

  const insertTenant = (id: string) => (trx: Storage['db']) =>
    trx
      .insertInto('tenants')
      .values({ id, display_name: id, status: 'active', created_at: '2020-01-01T00:00:00.000Z' })
      .execute()
      .then(() => id);

  it('runs concurrent writes in shared transactions; a failing write rolls back alone', async () => {
    const ids = Array.from({ length: 60 }, (_, n) => `b${n}`);
    const before = transactions;
    // Every tenth write collides with an earlier one of the same batch (duplicate primary key).
    const results = await Promise.allSettled(
      ids.map((id, n) => storage.write(insertTenant(n % 10 === 9 ? ids[n - 1]! : id))),
    );
    const failed = results.filter((result) => result.status === 'rejected');
    assert.equal(failed.length, 6);
    for (const failure of failed) assert.match(String(failure.reason), /UNIQUE constraint failed/);
    const rows = await storage.db.selectFrom('tenants').select('id').where('id', 'like', 'b%').execute();
    assert.equal(rows.length, 54);
    assert.ok(transactions - before <= 2, `60 concurrent writes took ${transactions - before} transactions`);
  });

  it('a write that partly succeeded before failing leaves nothing behind', async () => {
    const outcome = storage.write(async (trx) => {
      await insertTenant('partial')(trx);
      throw new Error('fails after its first statement');
    });
    const sibling = storage.write(insertTenant('sibling'));
    await assert.rejects(outcome, /fails after its first statement/);
    assert.equal(await sibling, 'sibling');
    const found = await storage.db
      .selectFrom('tenants')
      .select('id')
      .where('id', 'in', ['partial', 'sibling'])
      .execute();
    assert.deepEqual(
      found.map((row) => row.id),
      ['sibling'],
    );
  });

  it('a lone write keeps plain transaction semantics', async () => {
    await assert.rejects(
      storage.write(async (trx) => {
        await insertTenant('alone')(trx);
        await sql`select * from no_such_table`.execute(trx);
      }),
      /no such table/,
    );
    const found = await storage.db.selectFrom('tenants').select('id').where('id', '=', 'alone').execute();
    assert.equal(found.length, 0);
  });
});
