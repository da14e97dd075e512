/**
 * Multi-row inserts are compiled once per row count and reused with other rows (links and log rows of
 * a full push's pages): the values of one statement must never leak into another's, on both dialects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLinkRepository, type SavedLink } from '../../src/provisioning/engine/link-repository.ts';
import { diffAttributes } from '../../src/provisioning/engine/reconcile-user.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

const link = (objectId: string, accountId: string | null, state: SavedLink['state']): SavedLink => ({
  provisioningId: 'prv_1',
  objectType: 'User',
  objectId,
  tenantId: 'acme',
  accountId,
  state,
  createdByUs: true,
  pushed: { userName: `${objectId}@acme` },
  lastError: null,
});

for (const dialect of dialects) {
  describe(`prepared multi-row inserts (${dialect.name})`, () => {
    let storage: Storage;
    before(async () => {
      storage = await dialect.open();
    });
    after(() => storage.close());

    it('writes each statement its own rows, whatever was written before with as many rows', async () => {
      const links = createLinkRepository(storage.db);
      await storage.write((trx) =>
        links.saveMany([link('u1', null, 'creating'), link('u2', null, 'creating')], trx),
      );
      await storage.write((trx) =>
        links.saveMany([link('u3', 'a3', 'active'), link('u1', 'a1', 'active')], trx),
      );
      await links.saveMany([link('u2', 'a2', 'disabled')]);
      const found = await links.findMany('prv_1', 'User', ['u1', 'u2', 'u3']);
      assert.deepEqual(
        [...found.values()]
          .map((row) => [row.objectId, row.accountId, row.state, row.pushed.userName])
          .sort(),
        [
          ['u1', 'a1', 'active', 'u1@acme'],
          ['u2', 'a2', 'disabled', 'u2@acme'],
          ['u3', 'a3', 'active', 'u3@acme'],
        ],
      );
    });

    it('stores the pushed values without the empty ones, which every diff reads as null', async () => {
      const links = createLinkRepository(storage.db);
      const pushed = { userName: 'u9@acme', title: null, 'name.givenName': 'Ann', nickName: undefined };
      await links.saveMany([{ ...link('u9', 'a9', 'active'), pushed }]);
      const stored = (await links.findMany('prv_1', 'User', ['u9'])).get('u9')?.pushed;
      assert.deepEqual(stored, { userName: 'u9@acme', 'name.givenName': 'Ann' });
      // The same attributes again: nothing to send; a value for an empty one: just that one.
      assert.deepEqual(diffAttributes(stored ?? {}, pushed).operations, []);
      assert.deepEqual(diffAttributes(stored ?? {}, { ...pushed, title: 'Boss' }).operations, [
        { op: 'replace', path: 'title', value: 'Boss' },
      ]);
    });
  });
}
