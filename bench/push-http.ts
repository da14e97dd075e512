import { createHash } from 'node:crypto';

/** Small JSON-over-HTTP helpers for the push benchmark's set-up and checks (not its measured load). */

export interface JsonAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers of several APIs, checked where they are used.
  readonly body: any;
}

export async function sendJson(
  url: string,
  method: string,
  options: { body?: unknown; token?: string; contentType?: string } = {},
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { accept: 'application/json, application/scim+json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: response.status, body: parsed };
}

/** Throws with the answer when its status is not the expected one. */
export function expectStatus(answer: JsonAnswer, status: number, what: string): JsonAnswer {
  if (answer.status !== status)
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

export interface TenantApp {
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Creates a tenant and an app with scope `scim` through the admin API of the server at `url`. */
export async function createTenantWithApp(
  url: string,
  adminToken: string,
  tenant: string,
): Promise<TenantApp> {
  expectStatus(
    await sendJson(`${url}/api/tenants`, 'POST', { body: { id: tenant }, token: adminToken }),
    201,
    `creating tenant ${tenant}`,
  );
  const app = expectStatus(
    await sendJson(`${url}/api/tenants/${tenant}/apps`, 'POST', {
      body: { name: 'bench-push', scopes: ['scim'] },
      token: adminToken,
    }),
    201,
    `creating an app in ${tenant}`,
  );
  return { tenant, clientId: app.body.app.clientId, clientSecret: app.body.secret.value };
}

/** An access token by OAuth client credentials (what the engine uses against a `lockstep` target). */
export async function requestAccessToken(url: string, app: TenantApp): Promise<string> {
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
  const response = await fetch(`${url}/t/${app.tenant}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`token request for ${app.tenant} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** The number of users of a tenant, from a list's totalResults. */
export async function countUsers(url: string, tenant: string, token: string): Promise<number> {
  const answer = expectStatus(
    await sendJson(`${url}/t/${tenant}/scim/v2/Users?count=1&attributes=id`, 'GET', { token }),
    200,
    `counting the users of ${tenant}`,
  );
  return Number(answer.body.totalResults);
}

/** A target's users, compared without what each server assigns (`id`, `meta`). */
export interface UserSetDigest {
  readonly count: number;
  /** sha256 of the sorted documents. */
  readonly sha256: string;
}

/**
 * Every user of a tenant, read in pages of 1,000 and reduced to one hash: two targets with the same
 * digest hold the same documents, whichever requests made them.
 */
export async function digestUsers(url: string, tenant: string, token: string): Promise<UserSetDigest> {
  const documents: string[] = [];
  for (let startIndex = 1; ; ) {
    const answer = expectStatus(
      await sendJson(`${url}/t/${tenant}/scim/v2/Users?startIndex=${startIndex}&count=1000`, 'GET', {
        token,
      }),
      200,
      `listing the users of ${tenant}`,
    );
    const resources = (answer.body.Resources ?? []) as Record<string, unknown>[];
    for (const { id: _id, meta: _meta, ...rest } of resources) documents.push(JSON.stringify(rest));
    if (resources.length === 0 || documents.length >= Number(answer.body.totalResults)) break;
    startIndex += resources.length;
  }
  documents.sort();
  const hash = createHash('sha256');
  for (const document of documents) hash.update(document).update('\n');
  return { count: documents.length, sha256: hash.digest('hex') };
}

/**
 * The SCIM writes a target received for a tenant, by `action status` from its audit log (reads are not
 * audited): `scim.bulk 200` per Bulk request, `scim.user.create 201` per single create.
 */
export async function countScimWrites(
  url: string,
  adminToken: string,
  tenant: string,
): Promise<Record<string, number>> {
  const response = await fetch(`${url}/api/audit/export?tenant=${encodeURIComponent(tenant)}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (response.status !== 200) throw new Error(`exporting the audit log of ${tenant}: ${response.status}`);
  const counts: Record<string, number> = {};
  for (const line of (await response.text()).split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as { action: string; status: number | null };
    if (!event.action.startsWith('scim.')) continue;
    const key = `${event.action} ${event.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
