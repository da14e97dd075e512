import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { answerError, sendFault, surfaceOf } from './answer-errors.ts';
import { CONTROL_PREFIX, registerControlRoutes, sendControlError } from './control-routes.ts';
import { registerDiscoveryRoutes } from './discovery-routes.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './parse-paging.ts';
import {
  createRamEmulatorState,
  type RamEmulatorState,
  type RamEmulatorStateOptions,
} from './ram-emulator-state.ts';
import { DEFAULT_DISPLAY_NAME_MAX_LENGTH } from './ram-user-rules.ts';
import { describeRpcRequest, registerRpcRoutes } from './rpc-routes.ts';
import { RamScimError, sendScimError } from './scim-error-reply.ts';
import { registerTokenRoute } from './token-route.ts';
import { registerUsersRoutes } from './users-routes.ts';

export interface RamEmulatorOptions extends RamEmulatorStateOptions {
  /** Where `start` listens: 127.0.0.1 unless told. */
  host?: string;
  /** Origin written into `meta.location` (RAM's is `https://scim.aliyun.com`); the request's when absent. */
  publicUrl?: string;
  /** What to do with attributes RAM does not have; see `parse-scim-user-body.ts`. */
  unknownAttributes?: 'reject' | 'ignore';
  defaultPageSize?: number;
  maxPageSize?: number;
  /** Serve `/_emulator/…` (default true). */
  controlApi?: boolean;
}

export interface RamEmulator {
  readonly app: FastifyInstance;
  readonly state: RamEmulatorState;
  /** Listens (port 0: any free port) and answers the base URL, e.g. `http://127.0.0.1:43121`. */
  start(port?: number): Promise<{ url: string }>;
  close(): Promise<void>;
}

/**
 * A stand-in for Alibaba Cloud RAM as a SCIM target, on one origin: RAM's OAuth token endpoint at
 * `/v1/token` (oauth.aliyun.com), RAM's SCIM API at the root (scim.aliyun.com: `/Users`, discovery),
 * RAM's RPC API (ram.aliyuncs.com, 2015-05-01, V3-signed) at `/`, and the emulator's own control API
 * under `/_emulator`. No `/Groups`: RAM provisions users only. SCIM and RPC share one set of users.
 * @see REFERENCE.md §4
 */
export function createRamEmulator(options: RamEmulatorOptions = {}): RamEmulator {
  const state = createRamEmulatorState(options);
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });

  // JSON bodies only (415 for anything else); the token route adds form bodies in its own scope.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/scim+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      // An empty body is no body: the RAM guide's DELETE sends `Content-Type: application/json` and none.
      if (String(body).trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(String(body)));
      } catch (error) {
        done(
          new RamScimError(
            400,
            `The request body is not valid JSON: ${(error as Error).message}`,
            'invalidSyntax',
          ),
          undefined,
        );
      }
    },
  );

  app.addHook('onRequest', async (request, reply) => {
    const surface = surfaceOf(request);
    const fault = surface === undefined ? undefined : state.faults.take(surface);
    if (fault === undefined || surface === undefined) return;
    if (fault.latencyMs !== undefined) await sleep(fault.latencyMs);
    if (fault.status !== undefined) return sendFault(reply, surface, fault);
  });
  app.addHook('onResponse', async (request, reply) => {
    const surface = surfaceOf(request);
    if (surface === undefined) return;
    state.journal.record({
      at: new Date(state.clock.now()).toISOString(),
      method: request.method,
      // An RPC request's query may hold a login password: journaled without it.
      url: surface === 'rpc' ? describeRpcRequest(request) : request.url,
      status: reply.statusCode,
      // A token request's body may hold the client secret: never journaled.
      ...(surface === 'scim' && request.body !== undefined ? { body: request.body } : {}),
    });
  });

  registerTokenRoute(app, state.oauth);
  registerUsersRoutes(app, state, {
    displayNameMaxLength: options.displayNameMaxLength ?? DEFAULT_DISPLAY_NAME_MAX_LENGTH,
    unknownAttributes: options.unknownAttributes ?? 'reject',
    defaultPageSize: options.defaultPageSize ?? DEFAULT_PAGE_SIZE,
    maxPageSize: options.maxPageSize ?? MAX_PAGE_SIZE,
    publicUrl: options.publicUrl,
  });
  registerDiscoveryRoutes(app, options.publicUrl);
  registerRpcRoutes(app, state);
  if (options.controlApi !== false) registerControlRoutes(app, state);

  app.setErrorHandler((error: FastifyError | Error, request, reply) => answerError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (path?.startsWith(CONTROL_PREFIX))
      return sendControlError(reply, 404, 'not_found', `No route ${request.method} ${path}`);
    // *unverified*: RAM's answer for paths it does not serve, /Groups among them.
    return sendScimError(reply, new RamScimError(404, `No resource at ${request.method} ${path}`));
  });

  return {
    app,
    state,
    async start(port = 0) {
      await app.listen({ port, host: options.host ?? '127.0.0.1' });
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${host}:${address.port}` };
    },
    close: () => app.close(),
  };
}
