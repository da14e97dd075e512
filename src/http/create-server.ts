import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { AuditLog } from '../auth/audit/create-audit-log.ts';
import type { Auth } from '../auth/create-auth.ts';
import type { Config } from '../config.ts';
import type { ResourceEndpoint } from '../scim/endpoints/resource-endpoints.ts';
import type { ProvisioningRouteDependencies } from './admin/provisioning-routes.ts';
import { ADMIN_PREFIX, registerAdminRoutes } from './admin/register-admin-routes.ts';
import type { SourceRouteDependencies } from './admin/source-routes.ts';
import { createAuditRecorder } from './audit/audit-recorder.ts';
import { decoratePrincipal } from './auth/request-principal.ts';
import { registerOauthRoutes } from './oauth/register-oauth-routes.ts';
import { createTokenRateLimits } from './oauth/token-rate-limits.ts';
import { trackRoutes } from './route-inventory.ts';
import { registerScimRoutes } from './scim/register-scim-routes.ts';
import { handleFrameworkError } from './scim/scim-error-handler.ts';

export interface ServerDependencies {
  readonly config: Pick<Config, 'publicUrl' | 'bulk' | 'list' | 'bodyLimitBytes' | 'tokenRateLimit'>;
  readonly logger: FastifyBaseLogger;
  readonly auth: Auth;
  readonly auditLog: AuditLog;
  readonly endpoints: Readonly<Record<'Users' | 'Groups', ResourceEndpoint>>;
  readonly provisioning: ProvisioningRouteDependencies;
  readonly sources?: SourceRouteDependencies;
  /** Called after every successful SCIM write (the engine dispatches the change at once). */
  readonly onDirectoryWrite?: () => void;
}

/** The HTTP server: routes only; everything it serves comes from the injected services. */
export async function createServer(dependencies: ServerDependencies): Promise<FastifyInstance> {
  const { auth, config } = dependencies;
  const app = Fastify({
    loggerInstance: dependencies.logger,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      caseSensitive: true,
      maxParamLength: 500,
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors: handleFrameworkError,
    // One line per request, written by the onResponse hook below, without query strings.
    logController: new LogController({ disableRequestLogging: true }),
  });
  decoratePrincipal(app);
  trackRoutes(app);
  const level = dependencies.logger.level;
  if (level !== 'silent' && level !== 'fatal' && level !== 'error' && level !== 'warn') {
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          url: request.url.split('?')[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lockstep admin API',
        version: '1',
        description:
          'Tenants, OAuth apps and their secrets, admin tokens, signing keys and the audit log. ' +
          'Authenticate with `Authorization: Bearer <admin token>`; `admin:read` tokens may only read.',
      },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
      security: [{ adminToken: [] }],
    },
    transform: (input) =>
      input.url.startsWith(`${ADMIN_PREFIX}/`)
        ? jsonSchemaTransform(input)
        : { schema: { hide: true }, url: input.url },
    transformObject: jsonSchemaTransformObject,
  });

  const audit = createAuditRecorder(dependencies.auditLog);
  app.get('/healthz', async () => ({ status: 'ok' }));
  await registerScimRoutes(app, {
    ...dependencies,
    tokens: auth.tokens,
    credentials: auth.credentials,
    audit,
  });
  const onDirectoryWrite = dependencies.onDirectoryWrite;
  if (onDirectoryWrite !== undefined)
    app.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && reply.statusCode < 300 && request.url.includes('/scim/v2/'))
        onDirectoryWrite();
    });
  await registerOauthRoutes(app, {
    tokens: auth.tokens,
    credentials: auth.credentials,
    keys: auth.keys,
    tenants: auth.tenants,
    rateLimits: createTokenRateLimits(config.tokenRateLimit),
    audit,
    publicUrl: config.publicUrl,
  });
  await registerAdminRoutes(app, {
    auth,
    audit,
    auditLog: dependencies.auditLog,
    publicUrl: config.publicUrl,
    provisioning: dependencies.provisioning,
    ...(dependencies.sources !== undefined ? { sources: dependencies.sources } : {}),
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` }),
  );
  return app;
}
