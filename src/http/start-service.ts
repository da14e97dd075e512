import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Auth } from '../auth/create-auth.ts';
import type { Config } from '../config.ts';
import { openStorage, type Storage } from '../storage/open-storage.ts';
import { createApplication } from './create-application.ts';

export interface RunningService {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly auth: Auth;
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
    const application = await createApplication(storage, config, logger);
    await application.app.listen({ host: config.host, port: config.port });
    application.engine.start();
    await application.scheduler.scheduleAll();
    await application.reconciliation.scheduleAll();
    const address = application.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      app: application.app,
      storage,
      auth: application.auth,
      url: `http://${host}:${port}`,
      async close() {
        await application.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
