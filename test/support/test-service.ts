import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { type Application, createApplication } from '../../src/http/create-application.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import type { Storage } from '../../src/storage/open-storage.ts';
import { captureLogs, captureSecrets, findSecrets } from './log-capture.ts';

export interface TestService {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly application: Application;
  readonly tenantId: string;
  /** An access token (a signed JWT from the tenant's token endpoint) of an app with scope `scim`. */
  readonly token: string;
  /** That app's client id and secret. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** An unrestricted admin token for /api. */
  readonly adminToken: string;
  /** Base path of the tenant's SCIM API, e.g. `/t/acme/scim/v2`. */
  readonly base: string;
  /** Every log line the server wrote. */
  readonly logs: string[];
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** A raw body string (sent as is). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /** Send no Authorization header. */
  readonly anonymous?: boolean;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field
  readonly body: any;
  readonly text: string;
}

const SECRET_KEYS = new WeakMap<Storage, Buffer>();

/** An in-process server over `storage` with one tenant and a token, driven through `app.inject`. */
export async function createTestService(
  storage: Storage,
  options: { tenantId?: string; env?: Record<string, string> } = {},
): Promise<TestService> {
  const config = loadConfig({ LOCKSTEP_PUBLIC_URL: 'https://scim.example.test', ...options.env });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  // Services over one storage are one deployment: they share its secret key (it seals the signing keys).
  let secretKey = SECRET_KEYS.get(storage);
  if (secretKey === undefined) {
    secretKey = randomBytes(32);
    SECRET_KEYS.set(storage, secretKey);
  }
  const application = await createApplication(storage, config, logger, { secretKey });
  const { app, auth } = application;
  const tenantId = options.tenantId ?? 'acme';
  await auth.tenants.createTenant(tenantId);
  const { app: client, secret } = await auth.apps.createApp(tenantId, { name: 'test', scopes: ['scim'] });
  const issued = await app.inject({
    method: 'POST',
    url: `/t/${tenantId}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_id=${client.id}&client_secret=${secret.value}`,
  });
  if (issued.statusCode !== 200) throw new Error(`The test token request failed: ${issued.body}`);
  const token = (JSON.parse(issued.body) as { access_token: string }).access_token;
  const { value: adminToken } = await auth.adminTokens.createAdminToken({ label: 'test', scope: 'admin' });
  const base = `/t/${tenantId}/scim/v2`;
  const seen = new Set<string>([token, secret.value, adminToken]);
  return {
    app,
    application,
    storage,
    tenantId,
    token,
    clientId: client.id,
    clientSecret: secret.value,
    adminToken,
    base,
    logs,
    async request(method, path, requestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (!requestOptions.anonymous) headers.authorization ??= `Bearer ${token}`;
      let payload: string | undefined = requestOptions.rawBody;
      if (requestOptions.body !== undefined) {
        payload = JSON.stringify(requestOptions.body);
        headers['content-type'] ??= path.startsWith('/api/') ? 'application/json' : 'application/scim+json';
      }
      const response = await app.inject({
        method: method as 'GET',
        url: path.startsWith('/') ? path : `${base}/${path}`,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });
      for (const found of findSecrets(response.body)) seen.add(found);
      for (const value of Object.values(headers)) for (const found of findSecrets(value)) seen.add(found);
      let body: unknown;
      try {
        body = response.body === '' ? undefined : JSON.parse(response.body);
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, headers: response.headers, body, text: response.body };
    },
    async close() {
      await application.close();
      captureSecrets(seen);
      captureLogs(logs);
    },
  };
}
