/** The provisioning log and failed events: a failure opens an event, a success closes it; retention purges old entries. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createProvisioningLogWriter,
  purgeProvisioningLog,
} from '../../src/provisioning/engine/provisioning-log-writer.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();

for (const dialect of dialects) {
  describe(`provisioning log (${dialect.name})`, () => {
    let storage: Storage;
    before(async () => {
      storage = await dialect.open();
    });
    after(() => storage.close());
    const entry = (objectId: string, status: 'success' | 'failure') => ({
      tenantId: 'acme',
      provisioningId: 'prv_1',
      targetId: 'tgt_1',
      runId: null,
      objectType: 'User' as const,
      objectId,
      accountId: null,
      action: 'create',
      status,
      attempt: 1,
      message: status === 'failure' ? 'refused' : undefined,
    });

    it('counts failures in one event per object and closes it on success', async () => {
      const log = createProvisioningLogWriter(storage.db);
      await log.record(entry('u1', 'failure'));
      await log.record(entry('u1', 'failure'));
      const events = await storage.db.selectFrom('provisioning_events').selectAll().execute();
      assert.equal(events.length, 1);
      assert.equal(events[0]?.error_count, 2);
      await log.record(entry('u1', 'success'));
      assert.equal((await storage.db.selectFrom('provisioning_events').selectAll().execute()).length, 0);
    });

    it('purges entries older than the retention and keeps the rest', async () => {
      const log = createProvisioningLogWriter(storage.db);
      await log.record(entry('u2', 'success'));
      const total = (await storage.db.selectFrom('provisioning_log').select('seq').execute()).length;
      assert.equal(await purgeProvisioningLog(storage.db, 1, Date.now()), 0);
      assert.equal(await purgeProvisioningLog(storage.db, 1, Date.now() + 2 * 86_400_000), total);
      assert.equal((await storage.db.selectFrom('provisioning_log').select('seq').execute()).length, 0);
    });
  });
}
