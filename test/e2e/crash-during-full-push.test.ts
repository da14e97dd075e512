/**
 * Issue 4 "Done when": kill -9 the engine at random moments during a full push, five times, restart
 * each time; the target ends exactly equal to the desired state, with no duplicates and no losses.
 * Hub: a Lockstep process (its engine runs in it) seeded through SCIM /Bulk before the provisioning
 * exists; target: a second Lockstep process. The moments are drawn from a seeded generator, so a
 * failure can be replayed. The job lease is lowered (LOCKSTEP_JOB_LEASE_MS) so that the jobs a killed
 * process held run again within seconds rather than 30.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { BULK_REQUEST_SCHEMA, USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import {
  type AppCredentials,
  type LockstepProcess,
  startLockstepProcess,
} from '../e2e-support/lockstep-process.ts';
import { createSeededRandom } from '../support/fault-plan.ts';

/**
 * Users in the full push. The issue asks for 10,000; on this 2-core machine (shared with other test
 * processes) a push of N users to a second Lockstep takes about N / RATE seconds — see the report in
 * the test's output line — so the count is what fits the test's time budget.
 */
const USER_COUNT = 10_000;
const KILLS = 5;
const SEED = 20_240_601;
const BULK_OPERATIONS = 1_000;
const LEASE_MS = 4_000;
const RATE_LIMITS = { LOCKSTEP_TOKEN_RATE_PER_APP: '100000', LOCKSTEP_TOKEN_RATE_PER_IP: '100000' };

interface Bucket {
  total: number;
  success: number;
  failed: number;
}

interface Run {
  id: string;
  status: string;
  statistics: Record<'created' | 'updated' | 'deleted' | 'same' | 'skipped', Bucket> & {
    planned: number;
    pending: number;
  };
}

describe('a full push survives five SIGKILLs of the hub', () => {
  let hub: LockstepProcess;
  let target: LockstepProcess;
  let acme: AppCredentials;
  let globex: AppCredentials;

  const listAll = async (server: LockstepProcess, app: AppCredentials) => {
    const all: Record<string, unknown>[] = [];
    for (let start = 1; ; start += 1000) {
      const page = await server.scim('GET', `/Users?startIndex=${start}&count=1000`, undefined, app);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      all.push(...page.body.Resources);
      if (page.body.Resources.length === 0 || all.length >= page.body.totalResults) return all;
    }
  };

  before(async () => {
    [hub, target] = await Promise.all([
      startLockstepProcess({ env: { ...RATE_LIMITS, LOCKSTEP_JOB_LEASE_MS: String(LEASE_MS) } }),
      startLockstepProcess({ env: RATE_LIMITS }),
    ]);
    [acme, globex] = await Promise.all([
      hub.createTenantWithApp('acme'),
      target.createTenantWithApp('globex'),
    ]);
  });
  after(async () => {
    await Promise.all([hub?.stop(), target?.stop()]);
  });

  it(`pushes ${USER_COUNT} users exactly once through ${KILLS} crashes`, { timeout: 600_000 }, async () => {
    const random = createSeededRandom(SEED);
    const started = Date.now();
    for (let first = 0; first < USER_COUNT; first += BULK_OPERATIONS) {
      const operations = [];
      for (let n = first; n < Math.min(USER_COUNT, first + BULK_OPERATIONS); n++)
        operations.push({
          method: 'POST',
          path: '/Users',
          bulkId: `u${n}`,
          data: {
            schemas: [USER_SCHEMA],
            userName: `user${String(n).padStart(5, '0')}@example.com`,
            displayName: `User ${n}`,
            active: true,
          },
        });
      const answer = await hub.scim(
        'POST',
        '/Bulk',
        { schemas: [BULK_REQUEST_SCHEMA], failOnErrors: 1, Operations: operations },
        acme,
      );
      assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 500));
      for (const result of answer.body.Operations as { status: string }[])
        assert.equal(result.status, '201', JSON.stringify(result));
    }
    const hubUsers = await listAll(hub, acme);
    assert.equal(hubUsers.length, USER_COUNT);
    const seeded = Date.now();

    const createdTarget = await hub.adminApi('POST', '/tenants/acme/targets', {
      name: 'Globex',
      profile: 'lockstep',
      connection: {
        baseUrl: `${target.url}/t/globex/scim/v2`,
        authentication: {
          kind: 'oauth_client_credentials',
          tokenUrl: `${target.url}/t/globex/oauth2/token`,
          clientId: globex.clientId,
          clientSecret: globex.clientSecret,
        },
      },
    });
    assert.equal(createdTarget.status, 201, JSON.stringify(createdTarget.body));
    // Creating an enabled provisioning starts its first full push.
    const provisioning = await hub.adminApi('POST', '/tenants/acme/provisionings', {
      name: 'to Globex',
      targetId: createdTarget.body.id,
    });
    assert.equal(provisioning.status, 201, JSON.stringify(provisioning.body));
    const runsPath = `/tenants/acme/provisionings/${provisioning.body.id}/runs`;
    const runs = async () => (await hub.adminApi('GET', runsPath)).body.items as Run[];
    assert.equal((await runs()).length, 1, 'one run was started');

    // The moments are points of progress (users done), not times, so that every kill lands during the
    // push however fast it runs: five draws between 5% and 90%, in order.
    const marks = Array.from({ length: KILLS }, () => Math.floor(USER_COUNT * (0.05 + random() * 0.85))).sort(
      (a, b) => a - b,
    );
    const progress: string[] = [];
    for (const [index, mark] of marks.entries()) {
      const waited = Date.now();
      let before = (await runs())[0];
      while (before !== undefined && (before.statistics.planned ?? 0) - before.statistics.pending < mark) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        before = (await runs())[0];
      }
      await hub.kill('SIGKILL');
      assert.ok(
        before !== undefined && ['pending', 'running'].includes(before.status),
        `kill ${index + 1} came after the push ended: ${JSON.stringify(before)}`,
      );
      await hub.restart();
      progress.push(
        `kill ${index + 1} after ${Date.now() - waited} ms at ${before.statistics.planned - before.statistics.pending} done / ${before.statistics.pending} pending (${before.status})`,
      );
    }

    let finished: Run | undefined;
    const deadline = Date.now() + 540_000;
    while (finished === undefined) {
      const [run] = await runs();
      if (run !== undefined && !['pending', 'running'].includes(run.status)) finished = run;
      else if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify(run)}`);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const pushed = Date.now();
    assert.equal((await runs()).length, 1, 'still one run: restarts resume it');
    assert.equal(finished.status, 'success', JSON.stringify(finished));
    assert.equal(finished.statistics.planned, USER_COUNT);
    // A create cut short by a kill after the target answered is found again on the rerun: counted as
    // created when the link still said "creating", as same when the link was already saved.
    const { created, updated, same, deleted, skipped } = finished.statistics;
    const stats = JSON.stringify(finished.statistics);
    for (const bucket of [created, updated, same, deleted, skipped]) assert.equal(bucket.failed, 0, stats);
    assert.equal(created.success + same.success, USER_COUNT, stats);
    assert.equal(updated.total + deleted.total + skipped.total, 0, stats);

    // The target holds exactly the hub's users: no duplicates, none lost, each pointing back.
    const accounts = await listAll(target, globex);
    assert.equal(accounts.length, USER_COUNT, 'accounts on the target');
    const externalIds = new Set(accounts.map((account) => account.externalId as string));
    assert.equal(externalIds.size, USER_COUNT, 'each account has its own externalId');
    assert.deepEqual(
      [...externalIds].sort(),
      hubUsers.map((user) => user.id as string).sort(),
      'the externalIds are the hub ids',
    );
    const userNames = new Map(hubUsers.map((user) => [user.id as string, user.userName]));
    for (const account of accounts)
      assert.equal(account.userName, userNames.get(account.externalId as string), 'userName as mapped');

    // Every link is active and names the account that points back to its user.
    const accountOf = new Map(
      accounts.map((account) => [account.externalId as string, account.id as string]),
    );
    const db = new DatabaseSync(join(hub.dataDir, 'lockstep.db'), { readOnly: true });
    try {
      const links = db
        .prepare("select object_id, account_id, state from links where object_type = 'User'")
        .all() as { object_id: string; account_id: string | null; state: string }[];
      assert.equal(links.length, USER_COUNT, 'links');
      for (const link of links) {
        assert.equal(link.state, 'active', `the link of ${link.object_id}`);
        assert.equal(link.account_id, accountOf.get(link.object_id), `the account of ${link.object_id}`);
      }
    } finally {
      db.close();
    }
    console.log(
      `# ${USER_COUNT} users: seeded in ${seeded - started} ms, pushed through ${KILLS} kills in ${pushed - seeded} ms; ${progress.join('; ')}`,
    );
  });
});
