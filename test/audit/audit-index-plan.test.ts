/**
 * Every audit filter is answered through an index on both dialects, for the first page, a later page
 * (cursor) and an export chunk: checked on the query plan of the exact statement the repository runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import {
  type AuditFilter,
  createAuditRepository,
  encodeAuditCursor,
} from '../../src/auth/audit/audit-repository.ts';
import type { AuditRowInput } from '../../src/auth/audit/audit-row.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

const START = Date.parse('2024-01-01T00:00:00.000Z');

const TENANT = ['audit_events_tenant_ix', 'tenant_id'] as const;
const ACTOR = ['audit_events_actor_ix', 'actor_id'] as const;
const OBJECT = ['audit_events_object_ix', 'object_id'] as const;
const TIME = ['audit_events_at_ix', 'at'] as const;

/**
 * Each filter and the indexes that may serve it, as [index, leading column searched]. Where a filter
 * combines two indexed columns the planner may pick either (PostgreSQL takes the narrower one).
 */
const CASES: readonly [name: string, filter: AuditFilter, indexes: (readonly [string, string])[]][] = [
  ['tenant', { tenantId: 't7' }, [TENANT]],
  ['tenant and time range', { tenantId: 't7', from: iso(100), to: iso(900) }, [TENANT, TIME]],
  ['actor', { actorId: 'actor-42' }, [ACTOR]],
  ['actor and action', { actorId: 'actor-42', action: 'app.update' }, [ACTOR]],
  ['object', { objectId: 'object-123' }, [OBJECT]],
  ['object and outcome', { objectId: 'object-123', outcome: 'failure' }, [OBJECT]],
  ['time range', { from: iso(1000), to: iso(1100) }, [TIME]],
  ['from only', { from: iso(4900) }, [TIME]],
];

function iso(minutes: number): string {
  return new Date(START + minutes * 60_000).toISOString();
}

async function seed(storage: Storage): Promise<void> {
  const rows: AuditRowInput[] = Array.from({ length: 5000 }, (_, n) => ({
    at: iso(n),
    tenant_id: `t${n % 20}`,
    actor_type: 'admin',
    actor_id: `actor-${n % 200}`,
    action: ['app.create', 'app.update', 'scim.user.create'][n % 3]!,
    object_type: 'app',
    object_id: `object-${n % 1000}`,
    outcome: n % 7 === 0 ? 'failure' : 'success',
    status: 200,
    request_id: `req-${n}`,
    source_ip: '127.0.0.1',
    detail: null,
  }));
  await storage.write((trx) => createAuditRepository(trx, storage.dialect).insertMany(rows));
  if (storage.dialect.name === 'postgres') await sql`analyze audit_events`.execute(storage.db);
}

for (const dialect of dialects) {
  describe(`audit queries use an index (${dialect.name})`, () => {
    let storage: Storage;
    before(async () => {
      storage = await dialect.open();
      await seed(storage);
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

    const assertIndexed = (plan: string, indexes: readonly (readonly [string, string])[]) => {
      const served = indexes.map(([index, column]) =>
        storage.dialect.name === 'sqlite'
          ? new RegExp(`SEARCH audit_events USING INDEX ${index} \\(${column}[=<>]`)
          : new RegExp(
              `(?:Index Scan(?: Backward)? using|Bitmap Index Scan on) ${index}\\b.*\\n\\s*Index Cond: \\(+${column}\\b`,
            ),
      );
      assert.ok(
        served.some((pattern) => pattern.test(plan)),
        plan,
      );
      if (storage.dialect.name === 'sqlite') {
        assert.doesNotMatch(plan, /SCAN audit_events\b(?! USING)/, plan);
        // SQLite indexes end with the rowid (`seq`), so (column, at) already yields (at, seq) order.
        assert.doesNotMatch(plan, /TEMP B-TREE/, plan);
      } else assert.doesNotMatch(plan, /Seq Scan on audit_events\b/, plan);
    };

    for (const [name, filter, indexes] of CASES) {
      it(`${name}: first page, later page and export chunk`, async () => {
        const repository = createAuditRepository(storage.db, storage.dialect);
        const cursor = encodeAuditCursor({ at: iso(2500), seq: 2501 });
        for (const statement of [
          repository.pageQuery(filter).query.compile(),
          repository.pageQuery(filter, { cursor }).query.compile(),
          repository.exportChunkQuery(filter, undefined, 500).compile(),
          repository.exportChunkQuery(filter, { at: iso(2500), seq: 2501 }, 500).compile(),
        ])
          assertIndexed(await planOf(statement), indexes);
      });
    }

    it('no filter: newest first along the time index, no sort', async () => {
      const plan = await planOf(
        createAuditRepository(storage.db, storage.dialect).pageQuery({}).query.compile(),
      );
      if (storage.dialect.name === 'sqlite')
        assert.match(plan, /SCAN audit_events USING INDEX audit_events_at_ix/, plan);
      else assert.match(plan, /Index Scan Backward using audit_events_at_ix/, plan);
    });
  });
}
