/**
 * The lookups clients make on every request compile to SQL that the database answers through an
 * index, on both dialects: checked on the query plan of the exact statement the server runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { createGroupRepository, type GroupRecord } from '../../src/directory/group-repository.ts';
import { createMembershipRepository } from '../../src/directory/membership-repository.ts';
import { buildResourceQuerySql } from '../../src/directory/sql/query-resources.ts';
import {
  GROUP_SQL_MAPPING,
  type ResourceSqlMapping,
  USER_SQL_MAPPING,
} from '../../src/directory/sql/resource-sql-mapping.ts';
import { createUserRepository, type UserRecord } from '../../src/directory/user-repository.ts';
import { parseFilter } from '../../src/scim/filter/parse-filter.ts';
import { resolveFilter } from '../../src/scim/filter/resolve-filter.ts';
import { getResourceType } from '../../src/scim/schema/schema-registry.ts';
import { GROUP_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestTenant } from '../support/create-test-tenant.ts';
import { testDialects } from '../support/test-storage.ts';

/** Each lookup and the column its index must be searched on. */
const CASES: readonly [resourceType: 'User' | 'Group', filter: string, indexedColumn: string][] = [
  ['User', 'id eq "2819c223-7f76-453a-919d-413861904646"', 'id'],
  ['User', 'userName eq "bjensen@example.com"', 'user_name_ci'],
  ['User', 'externalId eq "701984"', 'external_id'],
  ['User', 'emails.value eq "bjensen@example.com"', 'value_ci'],
  ['User', 'emails eq "bjensen@example.com"', 'value_ci'],
  ['User', 'displayName eq "Babs Jensen"', 'display_name_ci'],
  ['User', 'meta.lastModified gt "2020-01-02T09:15:00Z"', 'last_modified'],
  ['User', 'userName eq "a" or userName eq "b"', 'user_name_ci'],
  ['Group', 'id eq "e9e30dba-f08f-4109-8486-d5c6a331660a"', 'id'],
  ['Group', 'displayName eq "Tour Guides"', 'display_name_ci'],
  ['Group', 'externalId eq "g-1"', 'external_id'],
  ['Group', 'members.value eq "2819c223-7f76-453a-919d-413861904646"', 'member_id'],
  ['Group', 'meta.lastModified ge "2020-01-01T03:15:00Z"', 'last_modified'],
];

/**
 * Enough rows for the planners to see that equality on the looked-up column is selective; PostgreSQL
 * also gets fresh statistics. SQLite gets none: production SQLite files have none at first either.
 */
async function seedDirectory(storage: Storage): Promise<void> {
  await createTestTenant(storage, 'acme');
  const now = '2020-01-01T00:00:00.000Z';
  const users: UserRecord[] = Array.from({ length: 2000 }, (_, n) => ({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    createdAt: now,
    lastModified: new Date(Date.parse(now) + n * 60_000).toISOString(),
    version: 1,
    doc: {
      schemas: [USER_SCHEMA],
      userName: `user${n}@example.com`,
      externalId: `e${n}`,
      displayName: `User ${n}`,
      emails: [{ value: `user${n}@example.com` }],
    },
    passwordHash: null,
  }));
  const groups: GroupRecord[] = Array.from({ length: 200 }, (_, n) => ({
    id: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    createdAt: now,
    lastModified: new Date(Date.parse(now) + n * 60_000).toISOString(),
    version: 1,
    doc: { schemas: [GROUP_SCHEMA], displayName: `Group ${n}`, externalId: `g${n}` },
  }));
  await storage.db.transaction().execute(async (trx) => {
    const userRepository = createUserRepository(trx, storage.dialect);
    for (let start = 0; start < users.length; start += 500)
      await userRepository.insertMany('acme', users.slice(start, start + 500));
    await createGroupRepository(trx, storage.dialect).insertMany('acme', groups);
    const memberships = createMembershipRepository(trx, storage.dialect);
    for (const [n, group] of groups.entries()) {
      const members = users
        .slice(n * 10, n * 10 + 50)
        .map((user) => ({ value: user.id, type: 'User' as const }));
      await memberships.add('acme', group.id, members);
    }
  });
  if (storage.dialect.name === 'postgres') await sql`analyze`.execute(storage.db);
}

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

for (const dialect of dialects) {
  describe(`indexed filter lookups (${dialect.name})`, () => {
    let storage: Storage;
    before(async () => {
      storage = await dialect.open();
      await seedDirectory(storage);
    });
    after(() => storage.close());

    const planOf = async (statement: { sql: string; parameters: readonly unknown[] }): Promise<string> => {
      if (storage.dialect.name === 'sqlite') {
        const result = await storage.db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]),
        );
        return result.rows.map((row) => row.detail).join('\n');
      }
      // With sequential scans priced out, a plan still scanning the table means no index can serve it.
      return storage.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]),
        );
        return result.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    };

    for (const [type, text, column] of CASES) {
      it(`${type}s?filter=${text}`, async () => {
        const resourceType = getResourceType(type);
        const mapping: ResourceSqlMapping = type === 'User' ? USER_SQL_MAPPING : GROUP_SQL_MAPPING;
        const { page } = buildResourceQuerySql(
          { dialect: storage.dialect, tenantId: 'acme', baseUrl: 'https://x/t/acme/scim/v2' },
          resourceType,
          mapping,
          { filter: resolveFilter(parseFilter(text), resourceType), offset: 0, limit: 100 },
        );
        const plan = await planOf(page.compile(storage.db));
        const table = mapping.table;
        if (storage.dialect.name === 'sqlite') {
          assert.doesNotMatch(plan, new RegExp(`SCAN ${mapping.alias}\\b`), plan);
          assert.match(
            plan,
            new RegExp(`USING (COVERING )?INDEX \\S+ \\(tenant_id=\\? AND ${column}[=<>]`),
            plan,
          );
        } else {
          assert.doesNotMatch(plan, new RegExp(`Seq Scan on ${table}\\b`), plan);
          assert.match(plan, new RegExp(`Index Cond: .*\\b${column}\\b`), plan);
        }
      });
    }
  });
}
