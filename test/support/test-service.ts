import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { createApplication } from '../../src/http/create-application.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import type { Storage } from '../../src/storage/open-storage.ts';

export interface TestService {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly tenantId: string;
  readonly token: string;
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
  const { app, tenants } = await createApplication(storage, config, logger);
  const tenantId = options.tenantId ?? 'acme';
  await tenants.createTenant(tenantId);
  const { token } = await tenants.createToken(tenantId, 'test');
  const base = `/t/${tenantId}/scim/v2`;
  return {
    app,
    storage,
    tenantId,
    token,
    base,
    logs,
    async request(method, path, requestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (!requestOptions.anonymous) headers.authorization ??= `Bearer ${token}`;
      let payload: string | undefined = requestOptions.rawBody;
      if (requestOptions.body !== undefined) {
        payload = JSON.stringify(requestOptions.body);
        headers['content-type'] ??= 'application/scim+json';
      }
      const response = await app.inject({
        method: method as 'GET',
        url: path.startsWith('/') ? path : `${base}/${path}`,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });
      let body: unknown;
      try {
        body = response.body === '' ? undefined : JSON.parse(response.body);
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, headers: response.headers, body, text: response.body };
    },
    async close() {
      await app.close();
    },
  };
}
