import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson } from './push-http.ts';
import { benchUserId, benchUserName } from './seed-documents.ts';

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const POLL_MS = 20;
const SETTLE_TIMEOUT_MS = 60_000;

export interface LatencySettings {
  /** The hub: its URL, tenant, a bearer token of the tenant, the admin token and the provisioning. */
  readonly hubUrl: string;
  readonly hubTenant: string;
  readonly hubToken: string;
  readonly adminToken: string;
  readonly provisioningId: string;
  /** The target: its URL, tenant and an access token, for the sampled polls. */
  readonly targetUrl: string;
  readonly targetTenant: string;
  readonly targetToken: string;
  /** Users 1..users exist on both sides. */
  readonly users: number;
  readonly changesPerSecond: number;
  readonly seconds: number;
  /** Every how many changes one is also polled on the target. */
  readonly sampleEvery: number;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LatencyResult {
  readonly changes: number;
  readonly sentPerSecond: number;
  readonly failedWrites: number;
  /** Hub PATCH round trip (request → 2xx), ms. */
  readonly hubWriteMs: Percentiles;
  /** Hub 2xx → the engine's `update` log entry (written after the target's 2xx), ms. */
  readonly logMs: Percentiles;
  /** Hub 2xx → the new value seen by polling the target every 20 ms, ms (sampled). */
  readonly pollMs: Percentiles;
  /** Changes with no log entry (or never seen by the poll) within a minute. */
  readonly missing: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

interface Change {
  readonly n: number;
  readonly value: string;
  acknowledgedAt?: number;
  writeMs?: number;
}

/** Distinct random user numbers, so each change has its own log entry. */
function pickUsers(count: number, users: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, users)) picked.add(1 + Math.floor(Math.random() * users));
  return [...picked];
}

/**
 * Single changes at a steady rate on the hub (PATCH displayName of distinct random users), and for
 * each the time from the hub's 2xx to the change on the target, measured two ways: the engine's
 * `update` log entry (its `at` is written just after the target answered 2xx, same machine clock) for
 * every change, and polling the target every 20 ms for a sample.
 */
export async function measureChangeLatency(settings: LatencySettings): Promise<LatencyResult> {
  const total = Math.round(settings.changesPerSecond * settings.seconds);
  const stamp = Date.now().toString(36);
  const changes: Change[] = pickUsers(total, settings.users).map((n, index) => ({
    n,
    value: `Changed ${stamp} ${index}`,
  }));
  const hubBase = `${settings.hubUrl}/t/${settings.hubTenant}/scim/v2`;
  const targetBase = `${settings.targetUrl}/t/${settings.targetTenant}/scim/v2`;
  let failedWrites = 0;
  const polled: number[] = [];
  let missing = 0;

  const poll = async (change: Change) => {
    const filter = encodeURIComponent(`userName eq "${benchUserName(change.n)}"`);
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const answer = await sendJson(`${targetBase}/Users?filter=${filter}&attributes=displayName`, 'GET', {
        token: settings.targetToken,
      });
      if (answer.body?.Resources?.[0]?.displayName === change.value) {
        polled.push(Date.now() - (change.acknowledgedAt as number));
        return;
      }
      await sleep(POLL_MS);
    }
    missing++;
  };

  const send = async (change: Change, index: number) => {
    const sentAt = Date.now();
    const answer = await sendJson(`${hubBase}/Users/${benchUserId(change.n)}`, 'PATCH', {
      token: settings.hubToken,
      contentType: 'application/scim+json',
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'displayName', value: change.value }],
      },
    });
    if (answer.status !== 200 && answer.status !== 204) {
      failedWrites++;
      return;
    }
    change.acknowledgedAt = Date.now();
    change.writeMs = change.acknowledgedAt - sentAt;
    if (index % settings.sampleEvery === 0) await poll(change);
  };

  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (const [index, change] of changes.entries()) {
    const due = started + (index * 1000) / settings.changesPerSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(send(change, index));
  }
  const sentPerSecond = total / ((Date.now() - started) / 1000);
  await Promise.all(inFlight);

  const logged = await readLogLatencies(settings, changes);
  missing += logged.missing;
  return {
    changes: total,
    sentPerSecond,
    failedWrites,
    hubWriteMs: percentiles(
      changes.flatMap((change) => (change.writeMs === undefined ? [] : [change.writeMs])),
    ),
    logMs: percentiles(logged.latencies),
    pollMs: percentiles(polled),
    missing,
  };
}

/** Each acknowledged change's `update` log entry on the hub (waits up to a minute for stragglers). */
async function readLogLatencies(settings: LatencySettings, changes: readonly Change[]) {
  const latencies: number[] = [];
  let missing = 0;
  const logUrl = (n: number) =>
    `${settings.hubUrl}/api/tenants/${settings.hubTenant}/provisionings/${settings.provisioningId}/log?object=${benchUserId(n)}&action=update&limit=5`;
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let next = 0;
  const acknowledged = changes.filter((change) => change.acknowledgedAt !== undefined);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let index = next++; index < acknowledged.length; index = next++) {
        const change = acknowledged[index] as Change;
        for (;;) {
          const answer = await sendJson(logUrl(change.n), 'GET', { token: settings.adminToken });
          const entry = (answer.body?.items ?? []).find(
            (item: { changes?: { displayName?: { new?: unknown } } }) =>
              item.changes?.displayName?.new === change.value,
          );
          if (entry !== undefined) {
            latencies.push(Date.parse(entry.at) - (change.acknowledgedAt as number));
            break;
          }
          if (Date.now() > deadline) {
            missing++;
            break;
          }
          await sleep(200);
        }
      }
    }),
  );
  return { latencies, missing };
}
