import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type AuditLog, createAuditLog } from '../auth/audit/create-audit-log.ts';
import { type Auth, createAuth } from '../auth/create-auth.ts';
import type { Config } from '../config.ts';
import { createGroupService } from '../directory/group-service.ts';
import { createUserService } from '../directory/user-service.ts';
import { groupLimitsStore } from '../jobs/group-limits.ts';
import { createLazyJobQueue } from '../jobs/lazy-job-queue.ts';
import { createPgBossJobQueue } from '../jobs/pg-boss-job-queue.ts';
import { createSqlJobQueue } from '../jobs/sql-job-queue.ts';
import {
  createProvisioningEngine,
  type ProvisioningEngine,
} from '../provisioning/engine/provisioning-engine.ts';
import { createProvisioningQueries } from '../provisioning/provisioning-queries.ts';
import { createProvisioningService } from '../provisioning/provisioning-service.ts';
import {
  createReconciliationService,
  type ReconciliationService,
} from '../provisioning/reconciliation/reconciliation-service.ts';
import { createTargetService } from '../provisioning/targets/target-service.ts';
import { createGroupEndpoint, createUserEndpoint } from '../scim/endpoints/resource-endpoints.ts';
import { ScimError } from '../scim/errors.ts';
import { createCsvImportService } from '../sources/csv-import-service.ts';
import { createSourceScheduler, type SourceScheduler } from '../sources/source-scheduler.ts';
import { createSourceService } from '../sources/source-service.ts';
import type { Storage } from '../storage/open-storage.ts';
import { createServer } from './create-server.ts';

export interface Application {
  readonly app: FastifyInstance;
  readonly auth: Auth;
  readonly auditLog: AuditLog;
  /** The provisioning engine; `start()` it to push changes to targets (the server process does). */
  readonly engine: ProvisioningEngine;
  /** Queues every scheduled source's next run (the server process calls it once the engine runs). */
  readonly scheduler: SourceScheduler;
  /** Reconciliation of provisionings; `scheduleAll()` queues scheduled runs (the server process calls it). */
  readonly reconciliation: ReconciliationService;
  /** Stops the engine and the server and flushes the audit log (the storage stays open). */
  close(): Promise<void>;
}

/** Composition root over an open storage: services, endpoints and the HTTP server (not listening yet). */
export async function createApplication(
  storage: Storage,
  config: Config,
  logger: FastifyBaseLogger,
  options: { secretKey?: Buffer } = {},
): Promise<Application> {
  const provisioningReferences = {
    kind: 'provisioning',
    list: (tenantId: string) =>
      storage.db
        .selectFrom('provisionings')
        .select(['id', 'name'])
        .where('tenant_id', '=', tenantId)
        .execute(),
  };
  const sourceReferences = {
    kind: 'source',
    list: (tenantId: string) =>
      storage.db.selectFrom('sources').select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
  };
  const auth = await createAuth(storage, config, {
    ...options,
    tenantReferences: [provisioningReferences, sourceReferences],
  });
  const auditLog = createAuditLog(storage, { logger, retentionDays: config.auditRetentionDays });
  // Embedded: the SQL queue in the application database. PostgreSQL (several processes): pg-boss
  // (decision 0013), connected on first use.
  const postgres = storage.postgres;
  const queue =
    postgres === undefined
      ? createSqlJobQueue(storage, { leaseMs: config.jobLeaseMs })
      : createLazyJobQueue(() => createPgBossJobQueue(storage, { url: postgres.url }), {
          setGroupLimit: groupLimitsStore(storage).set,
        });
  // A target's settings.concurrency is its job group's limit (decision 0019).
  const targets = createTargetService(storage, auth.box, { queue });
  let engine: ProvisioningEngine | undefined;
  const provisionings = createProvisioningService(storage, { onChange: (id) => engine?.forget(id) });
  const users = createUserService(storage);
  const groups = createGroupService(storage);
  const sources = createSourceService({ storage, users, groups, box: auth.box });
  const scheduler = createSourceScheduler({
    storage,
    queue,
    sources,
    logger,
    onDirectoryWrite: () => engine?.poke(),
  });
  const reconciliation = createReconciliationService({
    storage,
    queue,
    targets,
    provisionings,
    logger,
    retryObject: async (tenantId, provisioningId, objectType, objectId) => {
      if (engine === undefined) throw new Error('The provisioning engine is not created yet');
      await engine.retryObject(tenantId, provisioningId, objectType, objectId);
    },
  });
  engine = createProvisioningEngine({
    storage,
    queue,
    targets,
    provisionings,
    logger,
    logRetentionDays: config.provisioningLogRetentionDays,
    handlers: { ...scheduler.handlers, ...reconciliation.handlers },
  });
  const app = await createServer({
    config,
    logger,
    auth,
    auditLog,
    provisioning: {
      targets,
      provisionings,
      engine,
      queries: createProvisioningQueries(storage),
      reconciliation,
      disableUser: async (tenantId: string, userId: string) => {
        try {
          await users.patch(tenantId, userId, {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [{ op: 'replace', path: 'active', value: false }],
          });
          return true;
        } catch (error) {
          if (error instanceof ScimError && error.status === 404) return false;
          throw error;
        }
      },
    },
    sources: {
      sources,
      csvImports: createCsvImportService({ storage, users, groups, sources }),
      onDirectoryWrite: () => engine?.poke(),
      onSourceChange: (tenantId: string, sourceId: string) => scheduler.schedule(tenantId, sourceId),
    },
    onDirectoryWrite: () => engine?.poke(),
    endpoints: {
      Users: createUserEndpoint(users, config.list),
      Groups: createGroupEndpoint(groups, config.list),
    },
  });
  return {
    app,
    auth,
    auditLog,
    engine,
    scheduler,
    reconciliation,
    async close() {
      await engine?.stop();
      await app.close();
      await auditLog.close();
      await queue.close();
    },
  };
}
