import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type AuditLog, createAuditLog } from '../auth/audit/create-audit-log.ts';
import { type Auth, createAuth } from '../auth/create-auth.ts';
import type { Config } from '../config.ts';
import { createGroupService } from '../directory/group-service.ts';
import { createUserService } from '../directory/user-service.ts';
import { createGroupEndpoint, createUserEndpoint } from '../scim/endpoints/resource-endpoints.ts';
import type { Storage } from '../storage/open-storage.ts';
import { createServer } from './create-server.ts';

export interface Application {
  readonly app: FastifyInstance;
  readonly auth: Auth;
  readonly auditLog: AuditLog;
  /** Stops the server and flushes the audit log (the storage stays open). */
  close(): Promise<void>;
}

/** Composition root over an open storage: services, endpoints and the HTTP server (not listening yet). */
export async function createApplication(
  storage: Storage,
  config: Config,
  logger: FastifyBaseLogger,
  options: { secretKey?: Buffer } = {},
): Promise<Application> {
  const auth = await createAuth(storage, config, options);
  const auditLog = createAuditLog(storage, { logger, retentionDays: config.auditRetentionDays });
  const app = await createServer({
    config,
    logger,
    auth,
    auditLog,
    endpoints: {
      Users: createUserEndpoint(createUserService(storage), config.list),
      Groups: createGroupEndpoint(createGroupService(storage), config.list),
    },
  });
  return {
    app,
    auth,
    auditLog,
    async close() {
      await app.close();
      await auditLog.close();
    },
  };
}
