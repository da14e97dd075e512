/**
 * A full push in pages (user-page-handler.ts: batched lookups, `POST /Bulk`) through a faulty network:
 * lookups and Bulk requests refused (429 with Retry-After, 500), Bulk answers lost after the target
 * did the work (reset, hang past the client timeout) — the target still ends with exactly one account
 * per user, every link names its account, and the run counts every user once. Some users already
 * have an account on the target (TakeOver), so a page mixes batched creates with users reconciled
 * one by one. Hub: Lockstep in this process (SQLite, the queue that pages need); target: a second
 * Lockstep process behind an in-process fault proxy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import {
  type AppCredentials,
  type LockstepProcess,
  startLockstepProcess,
} from '../e2e-support/lockstep-process.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import type { FaultRule } from '../support/fault-plan.ts';
import { createFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const sqlite = dialects[0];
// Five pages of the engine's 250 users (USER_PAGE_SIZE): enough Bulk requests for the four scripted faults.
const USERS = 1_125;
/** Users whose account exists on the target before the push (taken over, not created). */
const EXISTING = 15;
const CLIENT_TIMEOUT_MS = 1_500;

const BULK_PATH = /^\/t\/globex\/scim\/v2\/Bulk$/;
const LOOKUP_PATH = /^\/t\/globex\/scim\/v2\/Users\?filter=/;
const FAULTS: FaultRule[] = [
  // Lost answers: the target created the page's users, the engine never hears of it.
  { method: 'POST', path: BULK_PATH, nth: [1], fault: { kind: 'reset', when: 'after-forward' } },
  { method: 'POST', path: BULK_PATH, nth: [2], fault: { kind: 'hang', when: 'after-forward' } },
  { method: 'POST', path: BULK_PATH, nth: [3], fault: { kind: 'status', status: 429, retryAfter: 1 } },
  { method: 'POST', path: BULK_PATH, nth: [4], fault: { kind: 'status', status: 500 } },
  { method: 'POST', path: BULK_PATH, probability: 0.1, fault: { kind: 'reset', when: 'after-forward' } },
  { method: 'GET', path: LOOKUP_PATH, nth: [2], fault: { kind: 'status', status: 503, retryAfter: 1 } },
  { method: 'GET', path: LOOKUP_PATH, probability: 0.03, fault: { kind: 'status', status: 500 } },
  { method: 'GET', path: LOOKUP_PATH, probability: 0.03, fault: { kind: 'reset', when: 'before-forward' } },
];

interface Bucket {
  total: number;
  success: number;
  failed: number;
}

describe('a full push in pages through a faulty network', { skip: sqlite === undefined }, () => {
  let storage: Storage;
  let hub: TestService;
  let target: LockstepProcess;
  let proxy: FaultProxy;
  let credentials: AppCredentials;
  const admin = (method: string, path: string, body?: unknown) =>
    hub.request(method, `/api/tenants/acme${path}`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      ...(body !== undefined ? { body } : {}),
    });

  async function targetAccounts(): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for (let start = 1; ; start += 200) {
      const page = await target.scim('GET', `/Users?startIndex=${start}&count=200`, undefined, credentials);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      all.push(...page.body.Resources);
      if (page.body.Resources.length === 0 || all.length >= page.body.totalResults) return all;
    }
  }

  before(async () => {
    target = await startLockstepProcess({
      env: { LOCKSTEP_TOKEN_RATE_PER_APP: '100000', LOCKSTEP_TOKEN_RATE_PER_IP: '100000' },
    });
    credentials = await target.createTenantWithApp('globex');
    proxy = await createFaultProxy({ target: target.url });
    storage = await (sqlite as NonNullable<typeof sqlite>).open();
    hub = await createTestService(storage);
    hub.application.engine.start();
  });
  after(async () => {
    await hub?.close();
    await storage?.close();
    await proxy?.close();
    await target?.stop();
  });

  it('creates every user exactly once, takes over the existing, and counts each once', async () => {
    const hubIds = new Map<string, string>();
    for (let n = 0; n < USERS; n++) {
      const userName = `user${String(n).padStart(3, '0')}@example.com`;
      const answer = await hub.request('POST', 'Users', {
        body: { schemas: [USER_SCHEMA], userName, displayName: `User ${n}`, active: true },
      });
      assert.equal(answer.status, 201, answer.text);
      hubIds.set(userName, answer.body.id);
    }
    // Accounts someone made by hand, spread over the pages: TakeOver links them.
    for (let n = 0; n < USERS; n += USERS / EXISTING) {
      const userName = `user${String(n).padStart(3, '0')}@example.com`;
      const made = await target.scim(
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], userName, displayName: 'made by hand' },
        credentials,
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }

    proxy.setPlan({ seed: 77, rules: FAULTS });
    const createdTarget = await admin('POST', '/targets', {
      name: 'Globex behind a faulty network',
      profile: 'lockstep',
      connection: {
        baseUrl: `${proxy.url}/t/globex/scim/v2`,
        timeoutMs: CLIENT_TIMEOUT_MS,
        authentication: {
          kind: 'oauth_client_credentials',
          tokenUrl: `${proxy.url}/t/globex/oauth2/token`,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
        },
      },
    });
    assert.equal(createdTarget.status, 201, createdTarget.text);
    // Creating an enabled provisioning starts its first full push.
    const provisioning = await admin('POST', '/provisionings', {
      name: 'to Globex',
      targetId: createdTarget.body.id,
    });
    assert.equal(provisioning.status, 201, provisioning.text);
    const runsPath = `/provisionings/${provisioning.body.id}/runs`;
    const run = await waitFor(
      async () => {
        const [latest] = (await admin('GET', runsPath)).body.items;
        return ['pending', 'running'].includes(latest?.status) ? undefined : latest;
      },
      () => 'the full push to finish',
      { timeoutMs: 90_000, intervalMs: 250 },
    );

    const stats = run.statistics as Record<string, Bucket> & { planned: number; pending: number };
    const words = JSON.stringify(stats);
    assert.equal(run.status, 'success', words);
    assert.equal(stats.planned, USERS, words);
    for (const action of ['created', 'updated', 'deleted', 'same', 'skipped'])
      assert.equal(stats[action]?.failed, 0, words);
    // A lost Bulk answer is found again by the retry: counted as created (the link still said creating).
    assert.equal(stats.created?.success, USERS - EXISTING, words);
    assert.equal((stats.updated?.success ?? 0) + (stats.same?.success ?? 0), EXISTING, words);

    // Exactly one account per user, each pointing back to its user.
    const accounts = await targetAccounts();
    assert.equal(accounts.length, USERS, 'accounts on the target');
    const byUserName = new Map(accounts.map((account) => [account.userName as string, account]));
    assert.equal(byUserName.size, USERS, 'one account per userName');
    for (const [userName, id] of hubIds) assert.equal(byUserName.get(userName)?.externalId, id, userName);

    const links = await storage.db
      .selectFrom('links')
      .select(['object_id', 'account_id', 'state'])
      .where('provisioning_id', '=', provisioning.body.id)
      .execute();
    assert.equal(links.length, USERS, 'links');
    const accountOf = new Map(
      accounts.map((account) => [account.externalId as string, account.id as string]),
    );
    for (const link of links) {
      assert.equal(link.state, 'active', `the link of ${link.object_id}`);
      assert.equal(link.account_id, accountOf.get(link.object_id), `the account of ${link.object_id}`);
    }

    // The faults happened, and the log tells them: warnings for the lost creates, one create each.
    const journal = proxy.journal();
    const bulkFaults = journal.filter((entry) => BULK_PATH.test(entry.path) && entry.fault.kind !== 'pass');
    assert.ok(bulkFaults.length >= 4, `Bulk faults: ${bulkFaults.length}`);
    const log = await storage.db
      .selectFrom('provisioning_log')
      .select(['object_id', 'action', 'status', 'duration_ms'])
      .where('provisioning_id', '=', provisioning.body.id)
      .execute();
    assert.ok(
      log.some((entry) => entry.action === 'create' && entry.status === 'warning'),
      'a lost create is logged as a warning',
    );
    const successes = new Map<string, number>();
    for (const entry of log)
      if (entry.status === 'success' && (entry.action === 'create' || entry.action === 'link'))
        successes.set(entry.object_id, (successes.get(entry.object_id) ?? 0) + 1);
    assert.equal(successes.size, USERS, 'every user has its create or link in the log');
    assert.ok(
      log.every((entry) => entry.duration_ms !== null),
      'every log entry has a duration',
    );
    console.log(
      `# ${USERS} users through ${bulkFaults.length} Bulk faults and ${journal.filter((entry) => LOOKUP_PATH.test(entry.path) && entry.fault.kind !== 'pass').length} lookup faults; ${journal.length} requests`,
    );
  });
});
