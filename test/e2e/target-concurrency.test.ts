/**
 * Issue 4, item 3, end to end: a target's `settings.concurrency` is the number of its requests in
 * flight at once. Hub (Lockstep in this process, its engine running) → a counting forwarder in this
 * test that holds every request 40 ms and records how many were open at once → the Alibaba Cloud RAM
 * emulator (its own process). With `concurrency: 1`, twelve new users reach the target one request at a
 * time; raised to 3, twelve changes overlap but never more than 3 at once.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { USER_SCHEMA } from '../../src/scim/schema/schema-urns.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { type RamEmulator, ramTargetBody, startRamEmulator } from '../e2e-support/ram-emulator.ts';
import { waitFor } from '../e2e-support/wait-for.ts';
import { createTestService, type TestService } from '../support/test-service.ts';
import { testDialects } from '../support/test-storage.ts';

const { dialects } = await testDialects();
const USERS = 12;
const HOLD_MS = 40;
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Forwards to `target`, each request held `HOLD_MS` first; `peak` is the most open at once. */
async function startCountingForwarder(target: string) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const counts = { open: 0, peak: 0, total: 0 };
  const server = http.createServer((request, response) => {
    counts.open++;
    counts.total++;
    counts.peak = Math.max(counts.peak, counts.open);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      await sleep(HOLD_MS);
      const outgoing = http.request(
        {
          agent,
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: upstream.host },
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            counts.open--; // before the client can see the answer and send its next request
            const { connection: _, 'transfer-encoding': __, ...headers } = answer.headers;
            response.writeHead(answer.statusCode ?? 502, headers).end(Buffer.concat(body));
          });
        },
      );
      outgoing.on('error', () => {
        counts.open--;
        response.writeHead(502).end();
      });
      outgoing.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The target URL through the forwarder (same path). */
    url: `http://127.0.0.1:${port}${upstream.pathname}`.replace(/\/+$/, ''),
    counts,
    reset() {
      counts.peak = counts.open;
      counts.total = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

for (const dialect of dialects) {
  describe(`a target's concurrency (hub on ${dialect.name})`, () => {
    let storage: Storage;
    let hub: TestService;
    let ram: RamEmulator;
    let forwarder: Awaited<ReturnType<typeof startCountingForwarder>>;
    let targetId: string;
    const ids: string[] = [];
    const admin = (method: string, path: string, body?: unknown) =>
      hub.request(method, `/api/tenants/acme${path}`, {
        headers: { authorization: `Bearer ${hub.adminToken}` },
        ...(body !== undefined ? { body } : {}),
      });
    const ramUsers = async (): Promise<Map<string, Record<string, unknown>>> => {
      const page = await ram.scim('GET', '/Users?count=100');
      const users = (page.body.Resources ?? []) as Record<string, unknown>[];
      return new Map(users.map((user) => [String(user.userName), user]));
    };

    before(async () => {
      ram = await startRamEmulator();
      forwarder = await startCountingForwarder(ram.url);
      storage = await dialect.open();
      hub = await createTestService(storage);
      hub.application.engine.start();
      const body = ramTargetBody(ram) as { connection: Record<string, unknown> };
      const target = await admin('POST', '/targets', {
        ...body,
        connection: { ...body.connection, baseUrl: forwarder.url },
        settings: { concurrency: 1 },
      });
      assert.equal(target.status, 201, target.text);
      targetId = target.body.id;
      assert.equal(target.body.settings.concurrency, 1);
      const provisioning = await admin('POST', '/provisionings', { name: 'to RAM', targetId });
      assert.equal(provisioning.status, 201, provisioning.text);
    });
    after(async () => {
      await hub?.close();
      await storage?.close();
      await forwarder?.close();
      await ram?.stop();
    });

    it('sends the requests of a target with concurrency 1 one at a time', async () => {
      for (let index = 0; index < USERS; index++) {
        const created = await hub.request('POST', 'Users', {
          body: { schemas: [USER_SCHEMA], userName: `serial${index}`, displayName: `Serial ${index}` },
        });
        assert.equal(created.status, 201, created.text);
        ids.push(created.body.id);
      }
      await waitFor(async () => ((await ramUsers()).size === USERS ? true : undefined), 'every user in RAM', {
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      assert.ok(forwarder.counts.total >= USERS, `${forwarder.counts.total} requests reached the target`);
      assert.equal(forwarder.counts.peak, 1, 'never two requests in flight to the target');
    });

    it('follows a changed concurrency: at most 3 at once once raised to 3', async () => {
      const raised = await admin('PATCH', `/targets/${targetId}`, { settings: { concurrency: 3 } });
      assert.equal(raised.status, 200, raised.text);
      assert.equal(raised.body.settings.concurrency, 3);
      forwarder.reset();
      for (const [index, id] of ids.entries()) {
        const patched = await hub.request('PATCH', `Users/${id}`, {
          body: {
            schemas: [PATCH],
            Operations: [{ op: 'replace', path: 'displayName', value: `Moved ${index}` }],
          },
        });
        assert.equal(patched.status, 200, patched.text);
      }
      await waitFor(
        async () => {
          const users = await ramUsers();
          return ids.every((_, index) => users.get(`serial${index}`)?.displayName === `moved ${index}`)
            ? true
            : undefined;
        },
        'every new displayName in RAM',
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      assert.ok(forwarder.counts.peak <= 3, `${forwarder.counts.peak} requests in flight at once`);
    });

    it("gives a new target its kind's default concurrency unless told another", async () => {
      const lockstep = (settings?: unknown) =>
        admin('POST', '/targets', {
          name: `another Lockstep ${Math.random()}`,
          profile: 'lockstep',
          connection: {
            baseUrl: 'http://127.0.0.1:9/t/x/scim/v2',
            authentication: { kind: 'bearer', token: 'not-used-here' },
          },
          ...(settings !== undefined ? { settings } : {}),
        });
      const limitOf = async (id: string) =>
        (
          await storage.db
            .selectFrom('job_group_limits')
            .select('max_running')
            .where('group_name', '=', id)
            .executeTakeFirst()
        )?.max_running;
      const byDefault = await lockstep();
      assert.equal(byDefault.status, 201, byDefault.text);
      assert.equal(byDefault.body.settings.concurrency, 16, 'a Lockstep takes 16 requests at once');
      assert.equal(await limitOf(byDefault.body.id), 16);
      const told = await lockstep({ concurrency: 4 });
      assert.equal(told.status, 201, told.text);
      assert.equal(told.body.settings.concurrency, 4);
      assert.equal(await limitOf(told.body.id), 4);
      const body = ramTargetBody(ram) as Record<string, unknown>;
      const ramTarget = await admin('POST', '/targets', { ...body, name: 'RAM by default' });
      assert.equal(ramTarget.status, 201, ramTarget.text);
      assert.equal(ramTarget.body.settings.concurrency, 8, 'RAM gets the polite default');
    });
  });
}
