/**
 * Issue 4 "Done when": a fault proxy between the engine and the target (429 and 503 with
 * Retry-After, 500, hangs past the client timeout, resets before and after the target did the work,
 * slow answers) — every change still arrives exactly once in effect, no duplicate accounts, and the
 * log tells the story. Hub: Lockstep in this process with its engine running; target: a second
 * Lockstep process behind an in-process fault proxy (token endpoint included), OAuth client
 * credentials, a 1 s client timeout. 100 users are created, updated, disabled and deleted in three
 * waves while the proxy injects faults by a seeded plan; each wave must settle to the desired state.
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
import { createFaultProxy, type FaultProxy, type JournalEntry } from '../support/fault-proxy.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const sqlite = dialects[0];
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USERS = 100;
const CLIENT_TIMEOUT_MS = 1_000;
/** Clocks of one machine, but timestamps are taken at slightly different points: this much slack. */
const CLOCK_SLACK_MS = 25;

const USERS_PATH = /^\/t\/globex\/scim\/v2\/Users(\/|\?|$)/;
/** Every kind of fault the proxy knows, on the requests the engine sends; first match wins. */
const FAULTS: FaultRule[] = [
  // The token endpoint goes through the proxy too: its first request is refused for a second.
  { path: /\/oauth2\/token$/, nth: 1, fault: { kind: 'status', status: 503, retryAfter: 1 } },
  // The target creates the user, the engine sees a reset or no answer at all: the ambiguous create.
  { method: 'POST', path: USERS_PATH, nth: [2, 9], fault: { kind: 'reset', when: 'after-forward' } },
  { method: 'POST', path: USERS_PATH, nth: [5], fault: { kind: 'hang', when: 'after-forward' } },
  { method: 'POST', path: USERS_PATH, probability: 0.06, fault: { kind: 'reset', when: 'after-forward' } },
  { method: 'PATCH', path: USERS_PATH, probability: 0.08, fault: { kind: 'reset', when: 'after-forward' } },
  { method: 'DELETE', path: USERS_PATH, probability: 0.1, fault: { kind: 'reset', when: 'after-forward' } },
  { path: USERS_PATH, probability: 0.04, fault: { kind: 'status', status: 429, retryAfter: 1 } },
  { path: USERS_PATH, probability: 0.03, fault: { kind: 'status', status: 503, retryAfter: 2 } },
  { path: USERS_PATH, probability: 0.03, fault: { kind: 'status', status: 500 } },
  { path: USERS_PATH, probability: 0.02, fault: { kind: 'hang', when: 'before-forward' } },
  { path: USERS_PATH, probability: 0.02, fault: { kind: 'reset', when: 'before-forward' } },
  // Slow, but within the timeout: these must simply succeed.
  {
    path: USERS_PATH,
    probability: 0.05,
    fault: { kind: 'slow', delayMs: 150, chunkDelayMs: 15, chunkBytes: 256 },
  },
];

const eventually = <T>(check: () => Promise<T | undefined>, what: () => string, timeoutMs: number) =>
  waitFor(check, what, { timeoutMs, intervalMs: 200 });

interface Desired {
  readonly id: string;
  readonly userName: string;
  readonly displayName: string;
  readonly title: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  readonly active: boolean;
}

/** The target account a desired user maps to under the lockstep profile's default mapping. */
function expectedAccount(user: Desired) {
  return {
    userName: user.userName,
    externalId: user.id,
    displayName: user.displayName,
    title: user.title,
    active: user.active,
    givenName: user.givenName,
    familyName: user.familyName,
    workEmail: user.email,
  };
}

function accountView(account: Record<string, unknown>) {
  const name = (account.name ?? {}) as { givenName?: string; familyName?: string };
  const emails = (account.emails ?? []) as { type?: string; value?: string }[];
  return {
    userName: account.userName,
    externalId: account.externalId,
    displayName: account.displayName,
    title: account.title,
    active: account.active,
    givenName: name.givenName,
    familyName: name.familyName,
    workEmail: emails.find((email) => email.type === 'work')?.value,
  };
}

describe('provisioning through a faulty network', { skip: sqlite === undefined }, () => {
  let storage: Storage;
  let hub: TestService;
  let target: LockstepProcess;
  let proxy: FaultProxy;
  let credentials: AppCredentials;
  let provisioningId: string;
  const desired = new Map<string, Desired>();
  const deleted = new Set<string>();
  const admin = (method: string, path: string, body?: unknown) =>
    hub.request(method, `/api/tenants/acme${path}`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      ...(body !== undefined ? { body } : {}),
    });

  /** Every account on the target, paged (the proxy is not in this path). */
  async function targetAccounts(): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for (let start = 1; ; start += 50) {
      const page = await target.scim('GET', `/Users?startIndex=${start}&count=50`, undefined, credentials);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      all.push(...page.body.Resources);
      if (page.body.Resources.length === 0 || all.length >= page.body.totalResults) return all;
    }
  }

  /** Differences between the target and the desired state, in words (empty when they agree). */
  async function differences(): Promise<string[]> {
    const accounts = await targetAccounts();
    const problems: string[] = [];
    const byUserName = new Map<string, Record<string, unknown>>();
    for (const account of accounts) {
      const userName = account.userName as string;
      if (byUserName.has(userName)) problems.push(`duplicate account for ${userName}`);
      byUserName.set(userName, account);
    }
    const externalIds = accounts.map((account) => account.externalId);
    if (new Set(externalIds).size !== externalIds.length) problems.push('duplicate externalId');
    for (const user of desired.values()) {
      const account = byUserName.get(user.userName);
      if (account === undefined) problems.push(`${user.userName} missing`);
      else if (JSON.stringify(accountView(account)) !== JSON.stringify(expectedAccount(user)))
        problems.push(`${user.userName}: ${JSON.stringify(accountView(account))}`);
    }
    for (const userName of byUserName.keys())
      if (![...desired.values()].some((user) => user.userName === userName))
        problems.push(`${userName} should not exist`);
    return problems;
  }

  interface LinkView {
    objectId: string;
    accountId: string | null;
    state: string;
    pushed: Record<string, unknown>;
  }
  const listLinks = async () =>
    (await admin('GET', `/provisionings/${provisioningId}/links`)).body.items as LinkView[];

  /** Links that do not say what the target holds (the engine saves a link after the target answered). */
  async function linkProblems(): Promise<string[]> {
    const accounts = new Map(
      (await targetAccounts()).map((account) => [account.externalId as string, account.id as string]),
    );
    const links = await listLinks();
    const problems: string[] = [];
    if (links.length !== desired.size + deleted.size) problems.push(`${links.length} links`);
    for (const link of links) {
      const user = desired.get(link.objectId);
      if (user === undefined) {
        if (!deleted.has(link.objectId)) problems.push(`a link for an unknown user ${link.objectId}`);
        else if (link.state !== 'deleted')
          problems.push(`the link of deleted ${link.objectId} is ${link.state}`);
        continue;
      }
      const state = user.active ? 'active' : 'disabled';
      if (link.state !== state) problems.push(`the link of ${user.userName} is ${link.state}, not ${state}`);
      if (link.accountId !== accounts.get(user.id))
        problems.push(`the link of ${user.userName} names ${link.accountId}, not ${accounts.get(user.id)}`);
    }
    return problems;
  }

  /**
   * Reconcile jobs still queued or running: a wave is over only when the engine is idle, so that the
   * next wave's changes do not meet a job waiting out a Retry-After (see the report on coalescing).
   */
  async function busyJobs(): Promise<string[]> {
    const jobs = await storage.db
      .selectFrom('jobs')
      .select(['job_key', 'state'])
      .where('state', 'in', ['queued', 'running'])
      .execute();
    return jobs.map((job) => `${job.job_key} is ${job.state}`);
  }

  async function settle(wave: string): Promise<void> {
    let last: string[] = [];
    await eventually(
      async () => {
        last = await differences();
        if (last.length === 0) last = await linkProblems();
        if (last.length === 0) last = await busyJobs();
        return last.length === 0 ? true : undefined;
      },
      () => `${wave} to reach the target: ${last.slice(0, 5).join('; ')}`,
      25_000,
    );
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
    const created = await admin('POST', '/targets', {
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
    assert.equal(created.status, 201, created.text);
    const provisioning = await admin('POST', '/provisionings', {
      name: 'to Globex',
      targetId: created.body.id,
      // 20 deletes of 100 users in a burst is what the deletion guard stops; here the faults are the subject.
      config: { deprovision: { deletionGuard: { enabled: false } } },
    });
    assert.equal(provisioning.status, 201, provisioning.text);
    provisioningId = provisioning.body.id;
  });
  after(async () => {
    await hub?.close();
    await storage?.close();
    await proxy?.close();
    await target?.stop();
  });

  it('converges exactly, once per change, honouring Retry-After, with the retries in the log', async () => {
    proxy.setPlan({ seed: 4242, rules: FAULTS });
    const started = Date.now();

    // Wave 1: create everyone.
    for (let n = 0; n < USERS; n++) {
      const user = {
        userName: `user${String(n).padStart(3, '0')}@example.com`,
        displayName: `User ${n}`,
        title: 'Engineer',
        givenName: `Given${n}`,
        familyName: `Family${n}`,
        email: `user${n}@example.com`,
        active: true,
      };
      const answer = await hub.request('POST', 'Users', {
        body: {
          schemas: [USER_SCHEMA],
          userName: user.userName,
          displayName: user.displayName,
          title: user.title,
          active: true,
          name: { givenName: user.givenName, familyName: user.familyName },
          emails: [{ value: user.email, type: 'work', primary: true }],
        },
      });
      assert.equal(answer.status, 201, answer.text);
      desired.set(answer.body.id, { ...user, id: answer.body.id });
    }
    await settle('the creates');

    // Wave 2: 40 updates of two attributes, 20 disables; 20 left alone.
    const ids = [...desired.keys()];
    for (const [index, id] of ids.entries()) {
      const user = desired.get(id) as Desired;
      if (index < 40) {
        const answer = await hub.request('PATCH', `Users/${id}`, {
          body: {
            schemas: [PATCH],
            Operations: [
              { op: 'replace', path: 'title', value: 'Lead' },
              { op: 'replace', path: 'displayName', value: `${user.displayName} (lead)` },
            ],
          },
        });
        assert.equal(answer.status, 200, answer.text);
        desired.set(id, { ...user, title: 'Lead', displayName: `${user.displayName} (lead)` });
      } else if (index < 60) {
        const answer = await hub.request('PATCH', `Users/${id}`, {
          body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] },
        });
        assert.equal(answer.status, 200, answer.text);
        desired.set(id, { ...user, active: false });
      }
    }
    await settle('the updates');

    // Wave 3: 20 deletes.
    for (const id of ids.slice(80)) {
      assert.equal((await hub.request('DELETE', `Users/${id}`)).status, 204);
      desired.delete(id);
      deleted.add(id);
    }
    await settle('the deletes');
    const settledAfter = Date.now() - started;

    // The links say the same: one account per live user, none for the deleted ones.
    assert.deepEqual(await linkProblems(), []);
    const links = await listLinks();

    // Exactly once in effect: one successful create per user, one successful delete per deleted user.
    const journal = proxy.journal();
    const forwardedWith = (method: string, status: number) =>
      journal.filter((entry) => entry.method === method && entry.forwarded && entry.upstreamStatus === status)
        .length;
    assert.equal(forwardedWith('POST', 201), USERS, 'users created on the target');
    assert.equal(forwardedWith('DELETE', 204), deleted.size, 'accounts deleted on the target');

    // Every fault kind was exercised.
    const kinds = new Set(
      journal.map((entry) =>
        entry.fault.kind === 'status'
          ? `status ${entry.fault.status}`
          : 'when' in entry.fault
            ? `${entry.fault.kind} ${entry.fault.when}`
            : entry.fault.kind,
      ),
    );
    for (const kind of [
      'status 429',
      'status 503',
      'status 500',
      'hang before-forward',
      'hang after-forward',
      'reset before-forward',
      'reset after-forward',
      'slow',
    ])
      assert.ok(kinds.has(kind), `the plan never injected ${kind}: ${[...kinds].join(', ')}`);

    // Retry-After: nothing more for the same user until it has passed.
    const accountUser = new Map(links.map((link) => [link.accountId, link.pushed.userName as string]));
    const userOf = (entry: JournalEntry): string | undefined => {
      const [path, query] = entry.path.split('?');
      if (entry.method === 'GET' && query !== undefined)
        return /userName eq "([^"]+)"/.exec(new URLSearchParams(query).get('filter') ?? '')?.[1];
      if (entry.method === 'POST' && path?.endsWith('/Users'))
        return (JSON.parse(entry.requestBody) as { userName: string }).userName;
      const accountId = /\/Users\/([^/]+)$/.exec(path ?? '')?.[1];
      return accountId === undefined ? undefined : accountUser.get(decodeURIComponent(accountId));
    };
    let retryAfterChecked = 0;
    for (const entry of journal) {
      if (entry.fault.kind !== 'status' || typeof entry.fault.retryAfter !== 'number') continue;
      const userName = userOf(entry);
      if (userName === undefined) continue;
      const next = journal.find((later) => later.seq > entry.seq && userOf(later) === userName);
      assert.ok(next !== undefined, `nothing followed the ${entry.fault.status} for ${userName}`);
      const waited = Date.parse(next.startedAt) - Date.parse(entry.startedAt);
      assert.ok(
        waited >= entry.fault.retryAfter * 1000 - CLOCK_SLACK_MS,
        `${userName}: retried ${waited} ms after a ${entry.fault.status} with Retry-After ${entry.fault.retryAfter}`,
      );
      retryAfterChecked++;
    }
    assert.ok(retryAfterChecked >= 3, `only ${retryAfterChecked} Retry-After answers were checked`);

    // The log tells the story: a warning with the target's status for each refusal, then success.
    const story = new Map<string, { status: string; targetStatus: number | null; id: number }[]>();
    for (const id of [...desired.keys(), ...deleted]) {
      const log = await admin('GET', `/provisionings/${provisioningId}/log?object=${id}&limit=1000`);
      assert.equal(log.status, 200, log.text);
      story.set(
        id,
        (log.body.items as { status: string; targetStatus: number | null; id: string }[])
          .map((item) => ({ ...item, id: Number(item.id) }))
          .reverse(),
      );
    }
    const idOf = new Map(
      [...desired.values(), ...[...deleted].map((id) => ({ id, userName: '' }))].map((user) => [
        user.userName,
        user.id,
      ]),
    );
    for (const link of links) idOf.set(link.pushed.userName as string, link.objectId);
    let warnings = 0;
    for (const [id, entries] of story) {
      assert.ok(
        entries.every((entry) => entry.status !== 'failure'),
        `a failure for ${id}: ${JSON.stringify(entries)}`,
      );
      for (const [index, entry] of entries.entries()) {
        if (entry.status !== 'warning') continue;
        warnings++;
        assert.ok(
          entries.slice(index + 1).some((later) => later.status === 'success'),
          `no success after a warning for ${id}: ${JSON.stringify(entries)}`,
        );
      }
    }
    for (const entry of journal) {
      if (entry.fault.kind !== 'status') continue;
      const userName = userOf(entry);
      if (userName === undefined) continue;
      const entries = story.get(idOf.get(userName) ?? '') ?? [];
      assert.ok(
        entries.some((item) => item.status === 'warning' && item.targetStatus === entry.outcome),
        `the ${entry.outcome} for ${userName} is not in its log: ${JSON.stringify(entries)}`,
      );
    }
    const failedRequests = journal.filter(
      (entry) => entry.fault.kind !== 'pass' && entry.fault.kind !== 'slow',
    ).length;
    assert.ok(
      warnings >= failedRequests,
      `${warnings} warnings in the log for ${failedRequests} failed requests`,
    );
    assert.deepEqual((await admin('GET', `/provisionings/${provisioningId}/events`)).body.items, []);
    console.log(
      `# ${journal.length} requests, ${failedRequests} faults, ${warnings} warnings, ${retryAfterChecked} Retry-After checked; settled in ${settledAfter} ms`,
    );
  });
});
