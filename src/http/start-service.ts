import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { TenantService } from '../auth/tenant-service.ts';
import type { Config } from '../config.ts';
import { openStorage, type Storage } from '../storage/open-storage.ts';
import { createApplication } from './create-application.ts';

export interface RunningService {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly tenants: TenantService;
  /** Where the server listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Opens the configured storage and serves the application; listening when this resolves. */
export async function startService(config: Config, logger: FastifyBaseLogger): Promise<RunningService> {
  const storage = await openStorage(
    config.storage.kind === 'sqlite' ? { ...config.storage, backgroundCheckpoints: true } : config.storage,
  );
  try {
    const { app, tenants } = await createApplication(storage, config, logger);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      app,
      storage,
      tenants,
      url: `http://${host}:${port}`,
      async close() {
        await app.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
