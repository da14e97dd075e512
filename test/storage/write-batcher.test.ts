/**
 * SQLite's group commit (write-batcher.ts): writes of one event-loop turn share a transaction, and a
 * write with `lingerMs` that finds the batcher idle waits that long for company — unless a write that
 * may not wait arrives, which starts the batch at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LogEvent, sql } from 'kysely';
import { openStorage, type Storage } from '../../src/storage/open-storage.ts';

describe('the SQLite write batcher', () => {
  let storage: Storage;
  /** Savepoints are how a shared transaction keeps its writes apart: one per write of a batch of two or more. */
  let savepoints = 0;
  before(async () => {
    storage = await openStorage({
      kind: 'sqlite',
      path: ':memory:',
      log: (event: LogEvent) => {
        if (event.query.sql === 'savepoint batch_item') savepoints++;
      },
    });
    await sql`create table t (n integer)`.execute(storage.db);
  });
  after(() => storage.close());

  const insert = (n: number) => async (trx: Storage['db']) => {
    await sql`insert into t (n) values (${n})`.execute(trx);
    return performance.now();
  };

  it('runs a lone write at once, in a transaction of its own', async () => {
    savepoints = 0;
    const started = performance.now();
    const done = await storage.write(insert(1));
    assert.ok(done - started < 50, `took ${done - started} ms`);
    assert.equal(savepoints, 0);
  });

  it('lets a lingering write wait for another to share its commit', async () => {
    savepoints = 0;
    const started = performance.now();
    const first = storage.write(insert(2), { lingerMs: 80 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = storage.write(insert(3), { lingerMs: 80 });
    const [a, b] = await Promise.all([first, second]);
    assert.ok(a - started >= 75, `the first write did not wait (${a - started} ms)`);
    assert.ok(b - started < 80 + 60, `the second write waited again (${b - started} ms)`);
    assert.equal(savepoints, 2, 'both writes in one transaction');
  });

  it('starts a lingering batch at once when a write that may not wait arrives', async () => {
    savepoints = 0;
    const started = performance.now();
    const lingering = storage.write(insert(4), { lingerMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const urgent = storage.write(insert(5));
    const [a, b] = await Promise.all([lingering, urgent]);
    assert.ok(a - started < 1_000 && b - started < 1_000, 'the urgent write waited for the linger');
    assert.equal(savepoints, 2, 'the waiting write went with it');
    const { rows } = await sql<{ n: number }>`select n from t order by n`.execute(storage.db);
    assert.deepEqual(
      rows.map((row) => row.n),
      [1, 2, 3, 4, 5],
    );
  });
});
