import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSeededRandom } from './fault-plan.ts';
import { createFaultProxy, type FaultProxy, type JournalEntry } from './fault-proxy.ts';

interface Seen {
  method: string;
  url: string;
  body: string;
  host: string | undefined;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Milliseconds between the first and the last body chunk. */
  spreadMs: number;
  chunks: number;
}

/** A plain node:http request, so that resets and timeouts surface as the socket errors they are. */
function send(base: string, method: string, path: string, body = '', timeoutMs = 2_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      let first = 0;
      response.on('data', (chunk: Buffer) => {
        if (chunks.length === 0) first = Date.now();
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          spreadMs: chunks.length === 0 ? 0 : Date.now() - first,
          chunks: chunks.length,
        }),
      );
    });
    request.setTimeout(timeoutMs, () =>
      request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
    );
    request.on('error', reject);
    request.end(body);
  });
}

const errorCode = (error: unknown) => (error as { code?: string }).code;

describe('fault proxy', () => {
  let echo: http.Server;
  let echoUrl = '';
  let seen: Seen[] = [];
  let proxy: FaultProxy;

  before(async () => {
    echo = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', body, host: request.headers.host });
        response.statusCode = request.method === 'POST' ? 201 : 200;
        response.setHeader('content-type', 'application/json');
        response.setHeader('x-echo', 'yes');
        response.end(
          JSON.stringify({ method: request.method, url: request.url, body, pad: 'x'.repeat(600) }),
        );
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const address = echo.address();
    echoUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    proxy = await createFaultProxy({ target: echoUrl, control: true });
  });
  after(async () => {
    await proxy.close();
    await new Promise((resolve) => echo.close(resolve));
  });
  beforeEach(() => {
    seen = [];
    proxy.reset();
  });

  it('passes requests through: method, path, query, body, status, headers; the Host stays the proxy', async () => {
    const reply = await send(proxy.url, 'POST', '/Users?x=1', '{"userName":"ann"}');
    assert.equal(reply.status, 201);
    assert.equal(reply.headers['x-echo'], 'yes');
    assert.deepEqual(JSON.parse(reply.body).body, '{"userName":"ann"}');
    assert.deepEqual(
      seen.map((s) => [s.method, s.url, s.body]),
      [['POST', '/Users?x=1', '{"userName":"ann"}']],
    );
    assert.equal(seen[0]?.host, new URL(proxy.url).host);
    const [entry] = proxy.journal();
    assert.equal(entry?.fault.kind, 'pass');
    assert.equal(entry?.rule, undefined);
    assert.equal(entry?.forwarded, true);
    assert.equal(entry?.upstreamStatus, 201);
    assert.equal(entry?.outcome, 201);
    assert.equal(entry?.requestBody, '{"userName":"ann"}');
  });

  it('answers 429 with Retry-After, 503 with and without it, and 500, without forwarding', async () => {
    proxy.setPlan({
      rules: [
        { method: 'post', path: '^/Users$', nth: 1, fault: { kind: 'status', status: 429, retryAfter: 2 } },
        { method: 'POST', path: '^/Users$', nth: 2, fault: { kind: 'status', status: 503, retryAfter: 1 } },
        { path: '^/Groups', nth: [1], fault: { kind: 'status', status: 503 } },
        { path: /^\/Groups/, nth: 2, fault: { kind: 'status', status: 500 } },
      ],
    });
    const first = await send(proxy.url, 'POST', '/Users', '{}');
    assert.equal(first.status, 429);
    assert.equal(first.headers['retry-after'], '2');
    assert.equal(JSON.parse(first.body).status, '429');
    // Each rule counts every POST /Users, also the one the first rule took: nth 2 is the second.
    const second = await send(proxy.url, 'POST', '/Users', '{}');
    assert.deepEqual([second.status, second.headers['retry-after']], [503, '1']);
    assert.equal((await send(proxy.url, 'POST', '/Users', '{}')).status, 201);
    const groups = [await send(proxy.url, 'GET', '/Groups'), await send(proxy.url, 'GET', '/Groups')];
    assert.deepEqual(
      groups.map((reply) => [reply.status, reply.headers['retry-after']]),
      [
        [503, undefined],
        [500, undefined],
      ],
    );
    assert.equal((await send(proxy.url, 'GET', '/Groups')).status, 200);
    assert.deepEqual(
      seen.map((s) => s.url),
      ['/Users', '/Groups'],
    );
    assert.deepEqual(
      proxy.journal().map((entry) => [entry.seq, entry.rule, entry.outcome, entry.forwarded]),
      [
        [1, 0, 429, false],
        [2, 1, 503, false],
        [3, undefined, 201, true],
        [4, 2, 503, false],
        [5, 3, 500, false],
        [6, undefined, 200, true],
      ],
    );
  });

  it('the second rule applies when the first is used up (times), e.g. 503 then 429 then pass', async () => {
    proxy.setPlan({
      rules: [
        { times: 1, fault: { kind: 'status', status: 503, retryAfter: 0 } },
        { times: 1, fault: { kind: 'status', status: 429, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' } },
      ],
    });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await send(proxy.url, 'GET', '/Users')).status);
    assert.deepEqual(statuses, [503, 429, 200]);
  });

  it('draws probability faults from the seeded generator: the same seed gives the same faults', async () => {
    const run = async (seed: number) => {
      proxy.reset();
      proxy.setPlan({ seed, rules: [{ probability: 0.5, fault: { kind: 'status', status: 503 } }] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await send(proxy.url, 'GET', '/Users')).status);
      return statuses;
    };
    const first = await run(42);
    assert.deepEqual(await run(42), first);
    assert.notDeepEqual(await run(7), first);
    const faults = first.filter((status) => status === 503).length;
    assert.ok(faults > 3 && faults < 17, `${faults} of 20 faulted`);
    const a = createSeededRandom(9);
    const b = createSeededRandom(9);
    assert.deepEqual([a(), a(), a()], [b(), b(), b()]);
  });

  it('hangs before forwarding: the target never sees the request, the client times out', async () => {
    proxy.setPlan({ rules: [{ fault: { kind: 'hang' } }] });
    await assert.rejects(send(proxy.url, 'POST', '/Users', '{"userName":"hang"}', 300), (error) => {
      assert.equal(errorCode(error), 'TIMEOUT');
      return true;
    });
    assert.deepEqual(seen, []);
    await waitFor(() => proxy.journal()[0]?.outcome === 'hang');
    const [entry] = proxy.journal();
    assert.equal(entry?.forwarded, false);
    assert.ok((entry?.durationMs ?? 0) >= 250, `hung for ${entry?.durationMs} ms`);
  });

  it('hangs after forwarding: the target did the write, the client times out', async () => {
    proxy.setPlan({ rules: [{ fault: { kind: 'hang', when: 'after-forward' } }] });
    await assert.rejects(send(proxy.url, 'POST', '/Users', '{"userName":"late"}', 300), (error) => {
      assert.equal(errorCode(error), 'TIMEOUT');
      return true;
    });
    assert.deepEqual(
      seen.map((s) => s.body),
      ['{"userName":"late"}'],
    );
    await waitFor(() => proxy.journal()[0]?.outcome === 'hang');
    assert.equal(proxy.journal()[0]?.upstreamStatus, 201);
  });

  it('resets the connection before forwarding: the target sees nothing, the client ECONNRESET', async () => {
    proxy.setPlan({ rules: [{ method: 'POST', fault: { kind: 'reset' } }] });
    await assert.rejects(send(proxy.url, 'POST', '/Users', '{"userName":"cut"}'), (error) => {
      assert.equal(errorCode(error), 'ECONNRESET');
      return true;
    });
    assert.deepEqual(seen, []);
    assert.deepEqual(
      proxy.journal().map((entry) => [entry.outcome, entry.forwarded, entry.upstreamStatus]),
      [['reset', false, undefined]],
    );
  });

  it('resets the connection AFTER forwarding: the target did the write, the client sees a failure', async () => {
    proxy.setPlan({
      rules: [{ method: 'POST', path: '^/Users', nth: 1, fault: { kind: 'reset', when: 'after-forward' } }],
    });
    await assert.rejects(send(proxy.url, 'POST', '/Users', '{"userName":"ghost"}'), (error) => {
      assert.ok(['ECONNRESET', 'EPIPE'].includes(errorCode(error) ?? ''), String(error));
      return true;
    });
    assert.deepEqual(
      seen.map((s) => [s.method, s.body]),
      [['POST', '{"userName":"ghost"}']],
    );
    // fetch (undici) reports the same cut as "fetch failed".
    proxy.setPlan({ rules: [{ fault: { kind: 'reset', when: 'after-forward' } }] });
    await assert.rejects(
      fetch(`${proxy.url}/Users`, { method: 'POST', body: '{"userName":"ghost2"}' }),
      TypeError,
    );
    assert.equal(seen.length, 2);
    assert.deepEqual(
      proxy.journal().map((entry) => [entry.outcome, entry.forwarded, entry.upstreamStatus]),
      [
        ['reset', true, 201],
        ['reset', true, 201],
      ],
    );
  });

  it('slows answers: a delay before forwarding, then the body in chunks', async () => {
    proxy.setPlan({ rules: [{ fault: { kind: 'slow', delayMs: 200 } }] });
    const started = Date.now();
    assert.equal((await send(proxy.url, 'GET', '/Users')).status, 200);
    assert.ok(Date.now() - started >= 190, `answered after ${Date.now() - started} ms`);

    proxy.setPlan({ rules: [{ fault: { kind: 'slow', chunkDelayMs: 40, chunkBytes: 200 } }] });
    const reply = await send(proxy.url, 'GET', '/Users');
    assert.equal(JSON.parse(reply.body).url, '/Users');
    assert.ok(reply.chunks >= 3, `${reply.chunks} chunks`);
    assert.ok(reply.spreadMs >= 100, `body spread over ${reply.spreadMs} ms`);
    // A client that gives up during a slow body is journaled as having left.
    proxy.setPlan({ rules: [{ fault: { kind: 'slow', chunkDelayMs: 300, chunkBytes: 100 } }] });
    await assert.rejects(send(proxy.url, 'GET', '/Users', '', 200));
    await waitFor(() => proxy.journal().at(-1)?.outcome === 'client-closed', 3_000);
  });

  it('answers 502 and journals it when the target is unreachable', async () => {
    const dead = await createFaultProxy({ target: 'http://127.0.0.1:1' });
    try {
      assert.equal((await send(dead.url, 'GET', '/Users')).status, 502);
      assert.equal(dead.journal()[0]?.outcome, 'upstream-error');
    } finally {
      await dead.close();
    }
  });

  it('serves its control API under /_proxy: plan, journal, reset; a bad plan is a 400', async () => {
    const put = await fetch(`${proxy.url}/_proxy/plan`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ nth: 1, fault: { kind: 'status', status: 503, retryAfter: 1 } }] }),
    });
    assert.equal(put.status, 204);
    assert.equal((await send(proxy.url, 'GET', '/Users')).status, 503);
    assert.equal((await send(proxy.url, 'GET', '/Users')).status, 200);
    const journal = (await (await fetch(`${proxy.url}/_proxy/journal`)).json()) as JournalEntry[];
    assert.deepEqual(
      journal.map((entry) => entry.outcome),
      [503, 200],
    );
    const bad = await fetch(`${proxy.url}/_proxy/plan`, {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ fault: { kind: 'explode' } }] }),
    });
    assert.equal(bad.status, 400);
    assert.equal((await fetch(`${proxy.url}/_proxy/reset`, { method: 'POST' })).status, 204);
    assert.deepEqual(await (await fetch(`${proxy.url}/_proxy/journal`)).json(), []);
  });
});

async function waitFor(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
