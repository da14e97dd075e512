import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { compileProvisioning } from '../src/provisioning/compile-provisioning.ts';
import type {
  CompiledProvisioning,
  DirectoryUser,
} from '../src/provisioning/engine/compiled-provisioning.ts';
import { findTargetProfile } from '../src/targets/profiles/target-profiles.ts';
import { benchUserId, buildUserDocument } from './seed-documents.ts';

/** What the engine sends to create user n on an empty target: its matching lookup, then the create. */
export interface ReplayRequest {
  /** `/Users?filter=…`, relative to the SCIM base path. */
  readonly lookupPath: string;
  readonly createBody: string;
}

/** The push's provisioning as the hub compiles it: the `lockstep` profile's default mapping and matching. */
export function compileBenchProvisioning(): CompiledProvisioning {
  const profile = findTargetProfile('lockstep');
  if (profile === undefined) throw new Error('No lockstep target profile');
  const compiled = compileProvisioning(
    { id: 'replay', tenant_id: 'bench', target_id: 'replay', status: 'enabled' },
    {},
    profile,
  );
  if (!compiled.ok)
    throw new Error(`The default provisioning does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.compiled;
}

/** User n as the hub's directory reader hands it to the engine (seeded without groups). */
export function benchDirectoryUser(n: number): DirectoryUser {
  const id = benchUserId(n);
  return { id, doc: { ...buildUserDocument(n), id }, groupIds: [] };
}

/**
 * The requests a full push of users 1..users sends, reproduced with the engine's own compiled
 * provisioning (the `lockstep` profile's default mapping and matching on userName) from the same seed
 * documents, so the replay sends the same bytes without capturing them.
 */
export function buildReplayRequests(users: number): ReplayRequest[] {
  const compiled = compileBenchProvisioning();
  const requests: ReplayRequest[] = [];
  for (let n = 1; n <= users; n++) {
    const user = benchDirectoryUser(n);
    const projection = compiled.project(user, 'create');
    const matching = compiled.matchFilters(user);
    if (!projection.ok || !matching.ok) throw new Error(`User ${n} does not map`);
    const filter = matching.filters[0];
    if (filter === undefined) throw new Error(`User ${n} has no matching filter`);
    requests.push({
      lookupPath: `/Users?filter=${encodeURIComponent(filter)}`,
      createBody: JSON.stringify(projection.document),
    });
  }
  return requests;
}

export interface ReplayResult {
  readonly users: number;
  readonly seconds: number;
  readonly usersPerSecond: number;
  /** Answers by status, lookups and creates together. */
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly unexpected: number;
}

export interface ReplaySettings {
  /** `http://127.0.0.1:<port>/t/<tenant>/scim/v2` */
  readonly baseUrl: string;
  readonly token: string;
  readonly concurrency: number;
  /** Send only the creates (no lookups). */
  readonly createsOnly?: boolean;
}

/** What a plain load generator's connections answered: counts by status, and how many were not the expected one. */
export interface RequestSender {
  /** Sends one request on a pooled keep-alive connection and resolves once its answer has been read. */
  send(method: string, path: string, body: string | undefined, expected: number): Promise<void>;
  readonly statusCounts: Readonly<Record<string, number>>;
  unexpected(): number;
  close(): void;
}

/**
 * `node:http` with a keep-alive agent of `concurrency` sockets, the SCIM headers the engine sends and
 * nothing else: no Lockstep code between the load generator and the target.
 */
export function createRequestSender(settings: Omit<ReplaySettings, 'createsOnly'>): RequestSender {
  const base = new URL(settings.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: settings.concurrency });
  const headers = {
    authorization: `Bearer ${settings.token}`,
    accept: 'application/scim+json, application/json;q=0.9',
  };
  const statusCounts: Record<string, number> = {};
  let unexpected = 0;
  const send = (method: string, path: string, body: string | undefined, expected: number) =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path: `${base.pathname}${path}`,
          headers:
            body === undefined
              ? headers
              : {
                  ...headers,
                  'content-type': 'application/scim+json',
                  'content-length': Buffer.byteLength(body),
                },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
          if (status !== expected) unexpected++;
          response.resume();
          response.once('end', resolve);
          response.once('error', reject);
        },
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  return { send, statusCounts, unexpected: () => unexpected, close: () => agent.destroy() };
}

/**
 * A plain load generator: `concurrency` keep-alive connections (node:http), each taking the next user
 * and sending its lookup then its create, as an engine worker does, until every user is sent.
 */
export async function replayPush(
  requests: readonly ReplayRequest[],
  settings: ReplaySettings,
): Promise<ReplayResult> {
  const sender = createRequestSender(settings);
  let next = 0;
  const started = performance.now();
  const workers = Array.from({ length: settings.concurrency }, async () => {
    for (let index = next++; index < requests.length; index = next++) {
      const user = requests[index] as ReplayRequest;
      if (settings.createsOnly !== true) await sender.send('GET', user.lookupPath, undefined, 200);
      await sender.send('POST', '/Users', user.createBody, 201);
    }
  });
  await Promise.all(workers);
  const seconds = (performance.now() - started) / 1000;
  sender.close();
  return {
    users: requests.length,
    seconds,
    usersPerSecond: requests.length / seconds,
    statusCounts: sender.statusCounts,
    unexpected: sender.unexpected(),
  };
}
