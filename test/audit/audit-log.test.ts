/**
 * The audit log end to end on both dialects (issue 3): record → flush → query by every filter, paging,
 * export, scrubbing down to the stored row, purge, close, failed writes, and many concurrent callers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuditEvent, AuditEventView } from '../../src/auth/audit/audit-event.ts';
import { AuditQuerySchema } from '../../src/auth/audit/audit-query-schema.ts';
import { AuditQueryError } from '../../src/auth/audit/audit-repository.ts';
import {
  type AuditLog,
  type AuditLogOptions,
  createAuditLog,
} from '../../src/auth/audit/create-audit-log.ts';
import { issueSecret } from '../../src/auth/secrets/issued-secret.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects, skipped } = await testDialects();
if (skipped !== undefined) console.log(`# ${skipped}`);

interface LogLine {
  level: 'error' | 'info';
  details: Record<string, unknown>;
  message: string;
}

function recordingLogger() {
  const lines: LogLine[] = [];
  return {
    lines,
    logger: {
      error: (details: Record<string, unknown>, message: string) =>
        lines.push({ level: 'error', details, message }),
      info: (details: Record<string, unknown>, message: string) =>
        lines.push({ level: 'info', details, message }),
    },
  };
}

const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const minutes = (n: number) => new Date(T0 + n * 60_000).toISOString();

/** Newest first, as the API pages them. */
const newestFirst = (a: AuditEventView, b: AuditEventView) =>
  a.at === b.at ? Number(b.id) - Number(a.id) : a.at < b.at ? 1 : -1;

/** Every page of `filter`, following the cursors. */
async function readAllPages(log: AuditLog, filter: Record<string, unknown>, limit: number) {
  const items: AuditEventView[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await log.query({ ...filter, limit, ...(cursor !== undefined ? { cursor } : {}) });
    assert.ok(page.items.length <= limit);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor !== undefined);
  return { items, pages };
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const result: string[] = [];
  for await (const line of lines) result.push(line);
  return result;
}

for (const dialect of dialects) {
  describe(`audit log (${dialect.name})`, () => {
    let storage: Storage;
    const logs: AuditLog[] = [];
    const open = (options: Partial<AuditLogOptions> = {}) => {
      const { logger, lines } = recordingLogger();
      const log = createAuditLog(storage, { logger, ...options });
      logs.push(log);
      return { log, lines };
    };
    before(async () => {
      storage = await dialect.open();
    });
    after(async () => {
      for (const log of logs) await log.close();
      await storage.close();
    });

    describe('filters', () => {
      let log: AuditLog;
      let all: AuditEventView[];
      // 60 events over two tenants, three actors, four objects, two actions, both outcomes, an hour apart
      // in pairs (equal times: `seq` breaks the tie).
      before(async () => {
        ({ log } = open());
        for (let n = 0; n < 60; n += 1)
          log.record({
            at: minutes(Math.floor(n / 2) * 60),
            tenantId: n % 2 === 0 ? 'f-acme' : 'f-globex',
            actor: n % 3 === 0 ? { type: 'admin', id: 'f-admin-1' } : { type: 'app', id: `f-app-${n % 3}` },
            action: n % 4 === 0 ? 'app.create' : 'scim.user.replace',
            object: { type: 'user', id: `f-object-${n % 4}` },
            outcome: n % 5 === 0 ? 'failure' : 'success',
            status: n % 5 === 0 ? 409 : 200,
            requestId: `f-req-${n}`,
            sourceIp: '192.0.2.7',
            detail: { n },
          });
        await log.flush();
        all = [
          ...(await log.query({ tenant: 'f-acme', limit: 1000 })).items,
          ...(await log.query({ tenant: 'f-globex', limit: 1000 })).items,
        ];
        assert.equal(all.length, 60);
      });

      const cases: [string, Record<string, string>, (event: AuditEventView) => boolean][] = [
        ['tenant', { tenant: 'f-acme' }, (e) => e.tenantId === 'f-acme'],
        ['actor', { actor: 'f-admin-1' }, (e) => e.actor.id === 'f-admin-1'],
        ['object', { object: 'f-object-3' }, (e) => e.object?.id === 'f-object-3'],
        ['action', { action: 'app.create' }, (e) => e.action === 'app.create'],
        ['outcome', { outcome: 'failure' }, (e) => e.outcome === 'failure'],
        [
          'time range (from inclusive, to exclusive, any offset)',
          { from: minutes(300), to: '2025-03-01T12:00:00+02:00' },
          (e) => e.at >= minutes(300) && e.at < minutes(600),
        ],
        [
          'tenant, actor and time range together',
          { tenant: 'f-globex', actor: 'f-app-1', from: minutes(120) },
          (e) => e.tenantId === 'f-globex' && e.actor.id === 'f-app-1' && e.at >= minutes(120),
        ],
      ];
      for (const [name, filter, matches] of cases) {
        it(`by ${name}: exactly the matching events, newest first`, async () => {
          const expected = all.filter(matches).sort(newestFirst);
          assert.ok(expected.length > 0 && expected.length < 60);
          const { items } = await log.query(AuditQuerySchema.parse(filter));
          assert.deepEqual(items, expected);
        });
      }

      it('returns events as the contract shows them', async () => {
        const [event] = (await log.query({ tenant: 'f-acme', outcome: 'failure', limit: 1 })).items;
        assert.deepEqual(Object.keys(event!).sort(), [
          'action',
          'actor',
          'at',
          'detail',
          'id',
          'object',
          'outcome',
          'requestId',
          'sourceIp',
          'status',
          'tenantId',
        ]);
        assert.match(event!.id, /^\d+$/);
        assert.equal(event!.status, 409);
        assert.deepEqual(event!.detail, { n: 50 });
      });

      it('pages return every event exactly once, in order, whatever the page size', async () => {
        for (const limit of [1, 7, 30, 59, 60, 61]) {
          const { items, pages } = await readAllPages(log, { tenant: 'f-acme' }, limit);
          assert.deepEqual(
            items.map((event) => event.id),
            all
              .filter((event) => event.tenantId === 'f-acme')
              .sort(newestFirst)
              .map((event) => event.id),
          );
          assert.equal(pages, Math.ceil(30 / limit));
        }
      });

      it('exports JSON lines oldest first, identical to the queried events', async () => {
        for (const filter of [
          { tenant: 'f-globex' },
          { object: 'f-object-1', outcome: 'success' as const },
        ]) {
          const lines = await collect(log.exportLines(filter));
          assert.ok(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n')));
          const { items } = await log.query({ ...filter, limit: 1000 });
          assert.deepEqual(
            lines.map((line) => JSON.parse(line)),
            [...items].reverse(),
          );
        }
      });

      it('an unreadable time is a typed error, raised before an export starts', async () => {
        const isFilterError = (error: unknown) =>
          error instanceof AuditQueryError && error.code === 'invalid_filter';
        assert.throws(() => log.exportLines({ from: 'yesterday' }), isFilterError);
        await assert.rejects(log.query({ to: '2025-13-45T99:00:00Z' }), isFilterError);
        const parsed = AuditQuerySchema.safeParse({ from: 'yesterday', limit: '0', outcome: 'maybe' });
        assert.deepEqual(
          parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message]),
          [
            ['outcome', 'must be "success" or "failure"'],
            ['from', 'must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z'],
            ['limit', 'must be a whole number from 1 to 1000'],
          ],
        );
      });

      it('a cursor it did not issue is a typed error', async () => {
        for (const cursor of [
          'nope',
          Buffer.from('12~yesterday').toString('base64url'),
          '',
          'a'.repeat(500),
        ]) {
          await assert.rejects(log.query({ tenant: 'f-acme', cursor }), (error: unknown) => {
            assert.ok(error instanceof AuditQueryError);
            assert.equal(error.code, 'invalid_cursor');
            return true;
          });
          assert.equal(AuditQuerySchema.safeParse({ cursor }).success, false);
        }
      });
    });

    it('exports more events than one chunk, in order, each once', async () => {
      const { log } = open({ maxBuffer: 1000 });
      for (let n = 0; n < 1234; n += 1)
        log.record({
          at: minutes(n % 100),
          tenantId: 'x-big',
          actor: { type: 'system', id: null },
          action: 'sync.run',
          outcome: 'success',
          requestId: `x-${n}`,
        });
      const lines = (await collect(log.exportLines({ tenant: 'x-big' }))).map(
        (line) => JSON.parse(line) as AuditEventView,
      );
      assert.equal(lines.length, 1234);
      assert.equal(new Set(lines.map((event) => event.id)).size, 1234);
      assert.deepEqual(lines, [...lines].sort(newestFirst).reverse());
    });

    it('never stores a secret: scrubbed before it reaches the table', async () => {
      const { log } = open();
      const appSecret = issueSecret('lss').value;
      const adminToken = issueSecret('lsa').value;
      const legacy = 'lst_legacy-bearer-token-value-1234';
      log.record({
        tenantId: 's-acme',
        actor: { type: 'app', id: 'lsc_0123456789abcdef0123' },
        action: 'app.secret.create',
        object: { type: 'secret', id: '0123456789abcdef' },
        outcome: 'success',
        status: 201,
        requestId: `Bearer ${legacy}`,
        sourceIp: '198.51.100.1',
        detail: {
          password: 'hunter2-correct-horse',
          body: { client_secret: appSecret, note: `rotated, new value ${appSecret}` },
          headers: [{ name: 'x-forwarded', value: `token ${adminToken}` }],
          [adminToken]: 'as a key',
        },
      });
      await log.flush();
      const rows = await storage.db
        .selectFrom('audit_events')
        .selectAll()
        .where('tenant_id', '=', 's-acme')
        .execute();
      assert.equal(rows.length, 1);
      const raw = JSON.stringify(rows);
      for (const secret of [appSecret, adminToken, legacy, 'hunter2-correct-horse', appSecret.slice(-43)])
        assert.ok(!raw.includes(secret), `stored row holds ${secret}: ${raw}`);
      assert.match(raw, /\[redacted\]/);
      const [event] = (await log.query({ tenant: 's-acme' })).items;
      assert.equal((event!.detail as { password: string }).password, '[redacted]');
      assert.equal(event!.actor.id, 'lsc_0123456789abcdef0123');
    });

    it('purges events older than the retention, and only those', async () => {
      // Earlier than every other test's events, which share the table.
      const now = new Date('2020-06-01T00:00:00.000Z');
      const { log } = open({ now: () => now, retentionDays: 30 });
      const day = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
      for (const age of [400, 31, 30.01, 29.99, 1, 0])
        log.record({
          at: day(age),
          tenantId: 'p-acme',
          actor: { type: 'system', id: null },
          action: 'x',
          outcome: 'success',
        });
      await log.flush();
      assert.equal(await log.purgeExpired(), 3);
      const { items } = await log.query({ tenant: 'p-acme' });
      assert.deepEqual(
        items.map((event) => event.at),
        [day(0), day(1), day(29.99)],
      );
      assert.equal(await log.purgeExpired(), 0);
    });

    it('close() writes what is still buffered; later records are refused loudly', async () => {
      const { log, lines } = open({ flushIntervalMs: 60_000, maxBuffer: 10_000 });
      for (let n = 0; n < 3; n += 1)
        log.record({
          tenantId: 'c-acme',
          actor: { type: 'admin', id: 'a' },
          action: 'x',
          outcome: 'success',
        });
      await log.close();
      const count = await storage.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', 'c-acme')
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 3);
      log.record({ tenantId: 'c-acme', actor: { type: 'admin', id: 'a' }, action: 'x', outcome: 'success' });
      assert.deepEqual(
        lines.map((line) => line.details),
        [{ lost: 1 }],
      );
    });

    it('a failed write is logged with its count only, retried once, and then lost loudly', async () => {
      let failures = 0;
      const flaky: Storage = {
        ...storage,
        write: (work) =>
          failures-- > 0 ? Promise.reject(new Error(`disk full near ${'lss_'}abc`)) : storage.write(work),
      };
      const { logger, lines } = recordingLogger();
      const log = createAuditLog(flaky, { logger, flushIntervalMs: 60_000 });
      logs.push(log);
      const event = (n: number): AuditEvent => ({
        tenantId: 'r-acme',
        actor: { type: 'app', id: 'app' },
        action: 'scim.user.create',
        outcome: 'success',
        requestId: `r-${n}`,
        detail: { marker: 'CONTENT-MARKER' },
      });
      failures = 1;
      log.record(event(1));
      log.record(event(2));
      await log.flush(); // fails: two events kept for one more try
      log.record(event(3));
      await log.flush(); // the retry, with the new event
      const stored = (await log.query({ tenant: 'r-acme' })).items.map((item) => item.requestId);
      assert.deepEqual(stored.sort(), ['r-1', 'r-2', 'r-3']);
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!.level, 'error');
      assert.equal(lines[0]!.details.count, 2);

      failures = 2;
      log.record(event(4));
      await log.flush();
      log.record(event(5));
      await log.flush(); // the retry fails too: r-4 is lost, r-5 waits for its own second try
      await log.flush();
      const after = (await log.query({ tenant: 'r-acme' })).items.map((item) => item.requestId);
      assert.deepEqual(after.sort(), ['r-1', 'r-2', 'r-3', 'r-5']);
      assert.ok(lines.some((line) => line.details.lost === 1 && /lost/.test(line.message)));
      const said = JSON.stringify(lines);
      assert.ok(!said.includes('CONTENT-MARKER') && !said.includes('lss_abc'), said);
    });

    it('while writes stall, events beyond maxPending are lost loudly, not silently', async () => {
      let release: () => void = () => {};
      const stalled = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow: Storage = { ...storage, write: async (work) => stalled.then(() => storage.write(work)) };
      const { logger, lines } = recordingLogger();
      const log = createAuditLog(slow, { logger, maxBuffer: 2, maxPending: 5 });
      logs.push(log);
      for (let n = 0; n < 12; n += 1)
        log.record({
          tenantId: 'm-acme',
          actor: { type: 'system', id: null },
          action: 'x',
          outcome: 'success',
        });
      release();
      await log.flush();
      await log.flush();
      const { items } = await log.query({ tenant: 'm-acme' });
      // Two went with the stalled write, five waited; five were refused.
      assert.equal(items.length, 7);
      assert.deepEqual(
        lines.map((line) => line.details.lost),
        [5],
      );
    });

    it('record never throws, whatever it is given', async () => {
      const { log, lines } = open();
      const hostile = {
        get boom() {
          throw new Error('getter');
        },
      };
      assert.doesNotThrow(() =>
        log.record({
          tenantId: 'h-acme',
          actor: { type: 'admin', id: 'a' },
          action: 'x',
          outcome: 'success',
          detail: hostile,
        }),
      );
      assert.doesNotThrow(() => log.record(null as unknown as AuditEvent));
      assert.doesNotThrow(() =>
        log.record({
          at: 'not a time',
          tenantId: 'h-acme\u0000',
          actor: { type: 'admin', id: 'a' },
          action: 'x\uD800',
          outcome: 'success',
          status: 1e12,
        }),
      );
      await log.flush();
      assert.deepEqual(
        lines.map((line) => line.details.lost),
        [1],
      );
      const unreadable = (await log.query({ tenant: 'h-acme' })).items;
      assert.deepEqual(unreadable[0]?.detail, { unreadable: 'the detail could not be read' });
      const { items } = await log.query({ tenant: 'h-acme\uFFFD' });
      assert.equal(items.length, 1);
      assert.equal(items[0]!.status, null);
      assert.equal(items[0]!.action, 'x\uFFFD');
    });

    it('2,000 events from many concurrent callers all arrive, each once', async () => {
      const { log, lines } = open({ maxBuffer: 64, flushIntervalMs: 5 });
      const callers = 100;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: callers }, async (_, caller) => {
          for (let n = 0; n < 2000 / callers; n += 1) {
            log.record({
              tenantId: 'k-acme',
              actor: { type: 'app', id: `k-app-${caller}` },
              action: 'scim.user.create',
              object: { type: 'user', id: `k-${caller}-${n}` },
              outcome: 'success',
              status: 201,
              requestId: `k-${caller}-${n}`,
            });
            if (n % 3 === caller % 3) await nextTurn();
          }
        }),
      );
      await log.flush();
      const elapsed = performance.now() - started;
      const exported = (await collect(log.exportLines({ tenant: 'k-acme' }))).map(
        (line) => (JSON.parse(line) as AuditEventView).requestId,
      );
      assert.equal(exported.length, 2000);
      assert.equal(new Set(exported).size, 2000);
      assert.deepEqual(lines, []);
      console.log(
        `# ${dialect.name}: 2,000 concurrent audit events recorded and written in ${elapsed.toFixed(0)} ms`,
      );
    });
  });
}
