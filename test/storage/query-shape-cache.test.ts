/**
 * List statements are compiled once per query shape and reused with other values: the values of one
 * request (literals, tenant, base URL) must never leak into another's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserService } from '../../src/directory/user-service.ts';
import { parseFilter } from '../../src/scim/filter/parse-filter.ts';
import { resolveFilter } from '../../src/scim/filter/resolve-filter.ts';
import { getResourceType } from '../../src/scim/schema/schema-registry.ts';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestTenant } from '../support/create-test-tenant.ts';
import { testDialects } from '../support/test-storage.ts';

const USER = getResourceType('User');
const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

for (const dialect of dialects) {
  describe(`list statements reused across requests (${dialect.name})`, () => {
    let storage: Storage;
    const ids = new Map<string, string>();
    before(async () => {
      storage = await dialect.open();
      const users = createUserService(storage);
      for (const tenant of ['one', 'two']) {
        await createTestTenant(storage, tenant);
        for (const name of ['Alice', 'Bob']) {
          const record = await users.create(tenant, {
            schemas: [USER_SCHEMA],
            userName: `${name}@${tenant}`,
            title: name,
          });
          ids.set(`${tenant}/${name}`, record.id);
        }
      }
    });
    after(() => storage.close());

    const find = async (tenant: string, filter: string, baseUrl = `https://x/t/${tenant}/scim/v2`) => {
      const { records } = await createUserService(storage).query(tenant, baseUrl, {
        filter: resolveFilter(parseFilter(filter), USER),
        offset: 0,
        limit: 10,
      });
      return records.map((record) => record.id);
    };

    it('binds each request’s own literals, folded or not, tenant and base URL', async () => {
      assert.deepEqual(await find('one', 'userName eq "ALICE@one"'), [ids.get('one/Alice')]);
      assert.deepEqual(await find('one', 'userName eq "bob@ONE"'), [ids.get('one/Bob')]);
      assert.deepEqual(await find('two', 'userName eq "bob@two"'), [ids.get('two/Bob')]);
      assert.deepEqual(await find('two', 'userName eq "bob@one"'), []);
      // title is caseExact: false, but the literal appears in both a folded and a plain comparison here.
      assert.deepEqual(await find('one', 'title sw "A" and userName ew "@ONE"'), [ids.get('one/Alice')]);
      assert.deepEqual(await find('one', 'title sw "B" and userName ew "@one"'), [ids.get('one/Bob')]);
      const location = (tenant: string, name: string) =>
        `https://x/t/${tenant}/scim/v2/Users/${ids.get(`${tenant}/${name}`)}`;
      assert.deepEqual(await find('one', `meta.location eq "${location('one', 'Bob')}"`), [
        ids.get('one/Bob'),
      ]);
      assert.deepEqual(await find('two', `meta.location eq "${location('two', 'Alice')}"`), [
        ids.get('two/Alice'),
      ]);
      assert.deepEqual(
        await find('two', `meta.location eq "${location('two', 'Alice')}"`, 'https://elsewhere/scim'),
        [],
      );
      // Literals that change the statement's text keep shapes apart.
      assert.deepEqual(await find('one', 'title sw ""'), [ids.get('one/Alice'), ids.get('one/Bob')]);
      assert.deepEqual(await find('one', 'title eq null'), []);
    });
  });
}
