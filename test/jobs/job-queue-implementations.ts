import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { JobQueue } from '../../src/jobs/job-queue.ts';
import { createPgBossJobQueue } from '../../src/jobs/pg-boss-job-queue.ts';
import { createSqlJobQueue } from '../../src/jobs/sql-job-queue.ts';
import { withMigrationLock } from '../../src/storage/dialects/postgres/migration-lock.ts';
import { openStorage, type Storage } from '../../src/storage/open-storage.ts';
import { postgresTestUrl } from '../support/postgres-probe.ts';
import { testDialects } from '../support/test-storage.ts';

/** How a child process reaches the same database and queue (see crash-worker.ts). */
export interface QueueAddress {
  readonly implementation: 'sql' | 'pg-boss';
  readonly storage: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };
}

export interface OpenedQueue {
  readonly storage: Storage;
  readonly queue: JobQueue;
  readonly address: QueueAddress;
  close(): Promise<void>;
}

export interface QueueImplementation {
  readonly name: string;
  /** The lease after which a killed worker's job runs again, plus the time to notice it. */
  readonly takeoverMs: number;
  open(): Promise<OpenedQueue>;
}

/** Short leases so that the crash test is quick. */
export const TEST_LEASE_MS = 1_000;
export const TEST_HEARTBEAT_SECONDS = 10;

export function openQueueAt(storage: Storage, address: QueueAddress): Promise<JobQueue> {
  if (address.implementation === 'sql')
    return Promise.resolve(createSqlJobQueue(storage, { leaseMs: TEST_LEASE_MS }));
  if (address.storage.kind !== 'postgres') throw new Error('pg-boss needs PostgreSQL');
  return createPgBossJobQueue(storage, {
    url: address.storage.url,
    schema: `${address.storage.schema}_pgboss`,
    heartbeatSeconds: TEST_HEARTBEAT_SECONDS,
    monitorIntervalSeconds: 1,
  });
}

/** SQLite (file, so that a child process can share it), PostgreSQL with the SQL queue, and pg-boss. */
export async function queueImplementations(): Promise<{
  implementations: QueueImplementation[];
  skipped?: string;
}> {
  const { dialects, skipped } = await testDialects();
  const implementations: QueueImplementation[] = [
    {
      name: 'sql queue on sqlite',
      takeoverMs: TEST_LEASE_MS,
      async open() {
        const directory = mkdtempSync(join(tmpdir(), 'lockstep-jobs-'));
        const path = join(directory, 'lockstep.db');
        const storage = await openStorage({ kind: 'sqlite', path });
        const address: QueueAddress = { implementation: 'sql', storage: { kind: 'sqlite', path } };
        const queue = await openQueueAt(storage, address);
        return {
          storage,
          queue,
          address,
          async close() {
            await queue.close();
            await storage.close();
            rmSync(directory, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  if (dialects.some((dialect) => dialect.name === 'postgres')) {
    for (const implementation of ['sql', 'pg-boss'] as const) {
      implementations.push({
        name: implementation === 'sql' ? 'sql queue on postgres' : 'pg-boss on postgres',
        takeoverMs: implementation === 'sql' ? TEST_LEASE_MS : (TEST_HEARTBEAT_SECONDS + 2) * 1000,
        open: () => openPostgresQueue(implementation),
      });
    }
  }
  return { implementations, ...(skipped !== undefined ? { skipped } : {}) };
}

async function openPostgresQueue(implementation: 'sql' | 'pg-boss'): Promise<OpenedQueue> {
  const url = postgresTestUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const storage = await openStorage({ kind: 'postgres', url, schema, poolSize: 6 });
  const address: QueueAddress = { implementation, storage: { kind: 'postgres', url, schema } };
  const queue = await openQueueAt(storage, address);
  return {
    storage,
    queue,
    address,
    async close() {
      await queue.close();
      await withMigrationLock(url, async () => {
        await sql`drop schema if exists ${sql.raw(schema)} cascade`.execute(storage.db);
        await sql`drop schema if exists ${sql.raw(`${schema}_pgboss`)} cascade`.execute(storage.db);
      }).catch(() => {});
      await storage.close();
    },
  };
}
