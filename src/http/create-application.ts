import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createTenantService, type TenantService } from '../auth/tenant-service.ts';
import type { Config } from '../config.ts';
import { createGroupService } from '../directory/group-service.ts';
import { createUserService } from '../directory/user-service.ts';
import { createGroupEndpoint, createUserEndpoint } from '../scim/endpoints/resource-endpoints.ts';
import type { Storage } from '../storage/open-storage.ts';
import { createServer } from './create-server.ts';

export interface Application {
  readonly app: FastifyInstance;
  readonly tenants: TenantService;
}

/** Composition root over an open storage: services, endpoints and the HTTP server (not listening yet). */
export async function createApplication(
  storage: Storage,
  config: Config,
  logger: FastifyBaseLogger,
): Promise<Application> {
  const tenants = createTenantService(storage);
  const app = await createServer({
    config,
    logger,
    tenants,
    endpoints: {
      Users: createUserEndpoint(createUserService(storage), config.list),
      Groups: createGroupEndpoint(createGroupService(storage), config.list),
    },
  });
  return { app, tenants };
}
