/**
 * A reverse proxy on 127.0.0.1 that sits between a client (the provisioning engine) and a target and
 * injects faults by plan (fault-plan.ts): answers of its own (429 with Retry-After, 500, 503), hangs,
 * connection resets before or after the target did the work, slow answers. It keeps a journal of
 * every request and what was done to it, for assertions and for checking that the engine's log
 * tells the same story. Plain node:http: a proxy this small needs no library, and owning the socket
 * is what makes "reset after forward" possible.
 *
 * With `control: true` it also serves its own API (for a proxy in another process, see
 * test/e2e-support/fault-proxy-main.ts): `GET /_proxy/journal`, `GET|PUT /_proxy/plan`,
 * `POST /_proxy/reset`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { compileFaultPlan, type Fault, type FaultPlan } from './fault-plan.ts';
import { answerFaultProxyControl, CONTROL_PREFIX } from './fault-proxy-control.ts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'content-length',
]);
const JOURNAL_BODY_LIMIT = 4096;

export interface JournalEntry {
  /** 1-based order of arrival. */
  readonly seq: number;
  readonly method: string;
  /** Path with query string, as the client sent it. */
  readonly path: string;
  /** The request body as text (first 4 KiB), for "which user did this POST create". */
  readonly requestBody: string;
  /** The fault applied (`pass` when none). */
  readonly fault: Fault;
  /** Index of the plan rule that chose the fault; undefined for a pass-through no rule took. */
  readonly rule: number | undefined;
  /** Whether the target received the request. */
  forwarded: boolean;
  /** The target's status, when it answered. */
  upstreamStatus: number | undefined;
  /**
   * What the client saw: a status; `reset`; `hang` (no answer until the client closed); `client-closed`
   * (the client left during a slow answer); `upstream-error` (target unreachable, the client got 502);
   * `pending` while in flight.
   */
  outcome: number | 'reset' | 'hang' | 'client-closed' | 'upstream-error' | 'pending';
  readonly startedAt: string;
  /** Until the outcome (for a hang: until the client closed the connection). */
  durationMs: number | undefined;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use it where the target's URL would go (paths are kept). */
  readonly url: string;
  /** Replaces the plan and restarts its counters (`nth`, `times`) and generator. */
  setPlan(plan: FaultPlan): void;
  /** The plan in force. */
  plan(): FaultPlan;
  /** A copy of the journal, oldest first. */
  journal(): JournalEntry[];
  /** Empties the journal and goes back to pass-through for everything. */
  reset(): void;
  /** Stops listening and destroys every open connection (hung ones included). */
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The target's origin, e.g. `http://127.0.0.1:4000` (a path prefix is kept too). */
  readonly target: string;
  readonly port?: number;
  /** Serve the control API under /_proxy (default false). */
  readonly control?: boolean;
  /** Send the client's Host header on to the target (default true, so the target's links point at the proxy). */
  readonly preserveHost?: boolean;
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const prefix = target.pathname.replace(/\/+$/, '');
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let decide = compileFaultPlan({});
  let currentPlan: FaultPlan = {};
  let entries: JournalEntry[] = [];
  let seq = 0;

  const forward = (request: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(request.headers))
        if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      if (options.preserveHost === false) headers.host = target.host;
      headers['content-length'] = String(body.length);
      const outgoing = http.request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          method: request.method,
          path: `${prefix}${request.url ?? '/'}`,
          headers,
        },
        async (answer) => {
          try {
            resolve({
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: await readAll(answer),
            });
          } catch (error) {
            reject(error);
          }
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const started = Date.now();
    const body = await readAll(request);
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    if (options.control === true && path.startsWith(`${CONTROL_PREFIX}/`))
      return answerFaultProxyControl(proxy, method, path, body, response);
    const decision = decide(method, path);
    const { fault } = decision;
    seq += 1;
    const entry: JournalEntry = {
      seq,
      method,
      path,
      requestBody: body.subarray(0, JOURNAL_BODY_LIMIT).toString('utf8'),
      fault,
      rule: decision.rule,
      forwarded: false,
      upstreamStatus: undefined,
      outcome: 'pending',
      startedAt: new Date(started).toISOString(),
      durationMs: undefined,
    };
    entries.push(entry);
    const finish = (outcome: JournalEntry['outcome']) => {
      if (entry.outcome !== 'pending') return;
      entry.outcome = outcome;
      entry.durationMs = Date.now() - started;
    };
    const when = fault.kind === 'hang' || fault.kind === 'reset' ? fault.when : undefined;
    if (fault.kind === 'status') {
      response.statusCode = fault.status;
      if (fault.retryAfter !== undefined) response.setHeader('retry-after', String(fault.retryAfter));
      response.setHeader('content-type', 'application/scim+json');
      response.end(fault.body ?? scimError(fault.status));
      return finish(fault.status);
    }
    if (fault.kind === 'hang' && when === 'before-forward') {
      request.socket.once('close', () => finish('hang'));
      return;
    }
    if (fault.kind === 'reset' && when === 'before-forward') {
      request.socket.resetAndDestroy();
      return finish('reset');
    }
    if (fault.kind === 'slow' && fault.delayMs > 0) await sleep(fault.delayMs);
    let upstream: Upstream;
    try {
      entry.forwarded = true;
      upstream = await forward(request, body);
    } catch (error) {
      response.statusCode = 502;
      response.setHeader('content-type', 'text/plain');
      response.end(`fault proxy: target unreachable (${String(error)})`);
      return finish('upstream-error');
    }
    entry.upstreamStatus = upstream.status;
    if (fault.kind === 'hang') {
      request.socket.once('close', () => finish('hang'));
      return;
    }
    if (fault.kind === 'reset') {
      request.socket.resetAndDestroy();
      return finish('reset');
    }
    response.statusCode = upstream.status;
    for (const [name, value] of Object.entries(upstream.headers))
      if (!HOP_BY_HOP.has(name) && value !== undefined) response.setHeader(name, value);
    response.setHeader('content-length', upstream.body.length);
    if (fault.kind === 'slow' && fault.chunkDelayMs > 0) {
      for (let offset = 0; offset < upstream.body.length; offset += fault.chunkBytes) {
        if (offset > 0) await sleep(fault.chunkDelayMs);
        if (response.destroyed) return finish('client-closed');
        response.write(upstream.body.subarray(offset, offset + fault.chunkBytes));
      }
      response.end();
    } else {
      response.end(upstream.body);
    }
    return finish(upstream.status);
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.statusCode = 500;
      response.end(`fault proxy error: ${String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    setPlan(plan) {
      decide = compileFaultPlan(plan);
      currentPlan = plan;
    },
    plan: () => currentPlan,
    journal: () => entries.map((entry) => ({ ...entry })),
    reset() {
      entries = [];
      seq = 0;
      proxy.setPlan({});
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await closed;
    },
  };
  return proxy;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function scimError(status: number): string {
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
    detail: `Injected by the fault proxy (${status})`,
  });
}
