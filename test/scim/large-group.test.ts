/**
 * A group of 100,000 members (decision 0004): adding or removing one member by PATCH writes one
 * member row and the group row, never reading or rewriting the list, and Entra's lookup
 * (`excludedAttributes=members&filter=displayName eq "…"`) never touches the members. Checked on the
 * SQL the storage executes, captured through Kysely's log hook; times are printed, not asserted.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createMembershipRepository } from '../../src/directory/membership-repository.ts';
import { createUserRepository, type UserRecord } from '../../src/directory/user-repository.ts';
import { GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const MEMBERS = 100_000;
const BATCH = 500;
/** Authentication, the group read, begin, member checks, the row change, the group update, the outbox row, commit. */
const MAX_STATEMENTS = 11;

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

/** A statement that reads or deletes group_members without naming the member(s): a whole-list operation. */
function touchesWholeList(statement: string): boolean {
  if (!/group_members/.test(statement) || /^\s*insert\b/i.test(statement)) return false;
  return !/"?member_id"?\s*(=|in\b)/i.test(statement);
}

for (const dialect of dialects) {
  describe(`a 100,000-member group (${dialect.name})`, () => {
    let storage: Storage;
    let service: TestService;
    let groupId: string;
    let memberIds: string[];
    let captured: string[] | undefined;
    before(async () => {
      storage = await dialect.open({
        log: (event) => {
          if (event.level === 'query') captured?.push(event.query.sql);
        },
      });
      service = await createTestService(storage);
      const group = await service.request('POST', 'Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName: 'Everyone' },
      });
      groupId = group.body.id;
      const started = performance.now();
      memberIds = await seedMembers(storage, service.tenantId, groupId);
      console.log(
        `# ${dialect.name}: seeded ${MEMBERS} users and memberships in ${Math.round(performance.now() - started)} ms`,
      );
    });
    after(async () => {
      await service.close();
      await storage.close();
    });

    /** Runs `request`, returning its response and the SQL it executed; prints its time. */
    const measured = async (label: string, request: () => ReturnType<TestService['request']>) => {
      captured = [];
      const started = performance.now();
      const response = await request();
      const elapsed = performance.now() - started;
      const statements = captured;
      captured = undefined;
      console.log(`# ${dialect.name}: ${label} in ${elapsed.toFixed(1)} ms, ${statements.length} statements`);
      return { response, statements };
    };
    const memberCount = async () =>
      Number(
        (
          await sql<{
            n: number | string;
          }>`select count(*) as n from group_members where group_id = ${groupId}`.execute(storage.db)
        ).rows[0]?.n,
      );
    const patchMembers = (operation: unknown) =>
      service.request('PATCH', `Groups/${groupId}`, {
        body: { schemas: [PATCH_OP_SCHEMA], Operations: [operation] },
      });

    it('adds one member without reading or rewriting the list', async () => {
      const user = await service.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName: 'newcomer' },
      });
      const { response, statements } = await measured('PATCH add one member', () =>
        patchMembers({ op: 'add', path: 'members', value: [{ value: user.body.id }] }),
      );
      assert.equal(response.status, 204, response.text);
      assert.deepEqual(statements.filter(touchesWholeList), []);
      assert.ok(statements.length <= MAX_STATEMENTS, statements.join('\n'));
      assert.equal(await memberCount(), MEMBERS + 1);
    });

    it("removes one member without reading or rewriting the list (Entra's and Okta's forms)", async () => {
      const entra = await measured('PATCH remove one member (value filter)', () =>
        patchMembers({ op: 'remove', path: `members[value eq "${memberIds[10]}"]` }),
      );
      const okta = await measured('PATCH remove one member (value array)', () =>
        patchMembers({ op: 'remove', path: 'members', value: [{ value: memberIds[20] }] }),
      );
      for (const { response, statements } of [entra, okta]) {
        assert.equal(response.status, 204, response.text);
        assert.deepEqual(statements.filter(touchesWholeList), []);
        assert.ok(statements.length <= MAX_STATEMENTS, statements.join('\n'));
      }
      assert.equal(await memberCount(), MEMBERS - 1);
    });

    it("answers Entra's lookup without touching the members", async () => {
      const filter = encodeURIComponent('displayName eq "Everyone"');
      const { response, statements } = await measured('GET lookup with excludedAttributes=members', () =>
        service.request('GET', `Groups?excludedAttributes=members&filter=${filter}`),
      );
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.totalResults, 1);
      assert.equal(response.body.Resources[0].members, undefined);
      assert.deepEqual(
        statements.filter((statement) => /group_members/.test(statement)),
        [],
      );
      const single = await measured('GET group with excludedAttributes=members', () =>
        service.request('GET', `Groups/${groupId}?excludedAttributes=members`),
      );
      assert.equal(single.response.status, 200);
      assert.deepEqual(
        single.statements.filter((statement) => /group_members/.test(statement)),
        [],
      );
    });

    // The detector above must see a whole-list read when one happens: reading a (small) group's members is one.
    it('recognises a statement that reads a whole member list', async () => {
      const small = await service.request('POST', 'Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName: 'Few', members: [{ value: memberIds[0] }] },
      });
      const { statements } = await measured('GET a one-member group with its members', () =>
        service.request('GET', `Groups/${small.body.id}`),
      );
      assert.ok(statements.some(touchesWholeList), statements.join('\n'));
    });
  });
}

/** Users and their membership rows, straight through the repositories in one transaction. */
async function seedMembers(storage: Storage, tenantId: string, groupId: string): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: MEMBERS }, () => randomUUID());
  await storage.db.transaction().execute(async (trx) => {
    const users = createUserRepository(trx, storage.dialect);
    for (let start = 0; start < MEMBERS; start += BATCH) {
      const records: UserRecord[] = ids.slice(start, start + BATCH).map((id, offset) => ({
        id,
        createdAt: now,
        lastModified: now,
        version: 1,
        doc: { userName: `member${start + offset}@example.com` },
        passwordHash: null,
      }));
      await users.insertMany(tenantId, records);
    }
    await createMembershipRepository(trx, storage.dialect).add(
      tenantId,
      groupId,
      ids.map((value) => ({ value, type: 'User' as const })),
    );
  });
  return ids;
}
