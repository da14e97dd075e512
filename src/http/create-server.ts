import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { TenantService } from '../auth/tenant-service.ts';
import type { Config } from '../config.ts';
import type { ResourceEndpoint } from '../scim/endpoints/resource-endpoints.ts';
import { registerScimRoutes } from './scim/register-scim-routes.ts';
import { handleFrameworkError } from './scim/scim-error-handler.ts';

export interface ServerDependencies {
  readonly config: Pick<Config, 'publicUrl' | 'bulk' | 'list' | 'bodyLimitBytes'>;
  readonly logger: FastifyBaseLogger;
  readonly tenants: TenantService;
  readonly endpoints: Readonly<Record<'Users' | 'Groups', ResourceEndpoint>>;
}

/** The HTTP server: routes only; everything it serves comes from the injected services. */
export async function createServer(dependencies: ServerDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: dependencies.logger,
    bodyLimit: dependencies.config.bodyLimitBytes,
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
  if (
    dependencies.logger.level !== 'silent' &&
    dependencies.logger.level !== 'fatal' &&
    dependencies.logger.level !== 'error' &&
    dependencies.logger.level !== 'warn'
  ) {
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
  app.get('/healthz', async () => ({ status: 'ok' }));
  await registerScimRoutes(app, dependencies);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` }),
  );
  return app;
}
