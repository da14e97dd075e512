/**
 * Per-target rate limits over the database: on PostgreSQL two processes (two storages on one
 * database) booking slots for the same target together stay within its rate in every 1-second
 * window; on SQLite the schedule is this process's own. Changing or removing the limit takes effect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTargetPacers } from '../../src/provisioning/targets/target-pacers.ts';
import { openStorage, type Storage } from '../../src/storage/open-storage.ts';
import type { RequestPacer } from '../../src/targets/scim-client/request-pacer.ts';
import { busiestSecond } from '../support/busiest-second.ts';
import { postgresTestUrl } from '../support/postgres-probe.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();

/**
 * Books `count` slots through `pacers` in turn, all at once; when each request would start, in ms: its
 * delay counted from when the booking came back, as the SCIM client waits it.
 */
async function bookTogether(pacers: readonly RequestPacer[], count: number): Promise<number[]> {
  const started = performance.now();
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const pacer = pacers[index % pacers.length] as RequestPacer;
      const delay = await pacer.reserve();
      return performance.now() - started + delay;
    }),
  );
}

for (const dialect of dialects) {
  describe(`target rate limits (${dialect.name})`, () => {
    let storage: Storage;
    let second: Storage | undefined;

    before(async () => {
      storage = await dialect.open();
      // Another process on the same database: its own pool on the same schema.
      if (storage.postgres !== undefined)
        second = await openStorage({
          kind: 'postgres',
          url: postgresTestUrl(),
          ...(storage.postgres.schema !== undefined ? { schema: storage.postgres.schema } : {}),
          poolSize: 4,
        });
    });
    after(async () => {
      await second?.close();
      await storage?.close();
    });

    it('keeps every process together within the rate, in any 1-second window', async () => {
      const limit = { requestsPerSecond: 20 };
      const stores = second === undefined ? [storage] : [storage, second];
      const pacers = stores.map(
        (store) => createTargetPacers(store).pacerFor('tgt_a', limit) as RequestPacer,
      );
      const slots = await bookTogether(pacers, 60);
      assert.equal(busiestSecond(slots), 20, `slots: ${slots.map(Math.round).join(' ')}`);
      assert.ok(Math.max(...slots) >= 2_950, 'the 60th request starts ~3 s after the first');
      // Another target has its own schedule.
      const other = createTargetPacers(storage).pacerFor('tgt_b', limit) as RequestPacer;
      assert.equal(await other.reserve(), 0);
    });

    it('takes a new limit at once, and none when it is removed', async () => {
      const pacers = createTargetPacers(storage);
      assert.equal(pacers.pacerFor('tgt_c', null), undefined);
      const fast = pacers.pacerFor('tgt_c', { requestsPerSecond: 1000, burst: 10 }) as RequestPacer;
      const first = await Promise.all(Array.from({ length: 10 }, () => fast.reserve()));
      assert.ok(
        first.every((delay) => delay < 5),
        `a burst of 10 goes at once: ${first.join(', ')}`,
      );
      const slow = pacers.pacerFor('tgt_c', { requestsPerSecond: 2 }) as RequestPacer;
      await slow.reserve();
      const next = await slow.reserve();
      assert.ok(next > 400 && next <= 530, `two per second: the next waits ~510 ms, waited ${next}`);
    });
  });
}
