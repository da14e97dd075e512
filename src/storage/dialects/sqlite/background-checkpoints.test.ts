import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery } from 'kysely';
import { openStorage, type Storage } from '../../open-storage.ts';

const walSize = (path: string) => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};

describe('WAL checkpoints on a worker thread', () => {
  let directory: string;
  let path: string;
  let storage: Storage;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'lockstep-ckpt-'));
    path = join(directory, 'lockstep.db');
    storage = await openStorage({ kind: 'sqlite', path, backgroundCheckpoints: true });
  });
  after(async () => {
    await storage.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the WAL from growing while the serving connection never checkpoints', async () => {
    const write = (n: number) =>
      storage.write((trx) =>
        trx
          .insertInto('tenants')
          .values({
            id: `t${n}`,
            display_name: 'x'.repeat(2000),
            status: 'active',
            created_at: '2020-01-01T00:00:00.000Z',
          })
          .execute(),
      );
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: 2000 }, (_, n) => write(round * 2000 + n)));
      // Give the worker a few of its 250 ms rounds; the next write then restarts the WAL from its start.
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await write(99_999);
    const rows = await storage.db
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(rows.n), 12_001);
    // 12,000 rows of 2 KB are over 24 MB of pages; checkpointed between rounds, the WAL holds about one.
    assert.ok(walSize(path) < 12 * 1024 * 1024, `WAL is ${walSize(path)} bytes`);
    const setting = await storage.db.executeQuery<{ wal_autocheckpoint: number }>(
      CompiledQuery.raw('pragma wal_autocheckpoint'),
    );
    assert.equal(
      setting.rows[0]?.wal_autocheckpoint,
      0,
      'the serving connection leaves checkpoints to the worker',
    );
  });
});
