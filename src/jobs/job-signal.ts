import { type Kysely, sql } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';

/** The storage signal topic that wakes idle workers. */
export const JOB_SIGNAL_TOPIC = 'jobs';

/**
 * Wakes the workers after an enqueue. Inside a PostgreSQL transaction the NOTIFY is issued in that
 * transaction, so it is delivered at commit and never before the jobs are visible (the channel is
 * the one postgres-signals.ts listens on). On SQLite a worker's claim queues behind the current
 * write batch, so signalling at once is safe.
 */
export async function signalJobs(storage: Storage, trx?: Kysely<DatabaseSchema>): Promise<void> {
  if (trx !== undefined && storage.dialect.name === 'postgres') {
    await sql`select pg_notify(left('lockstep_' || current_schema() || '_' || ${JOB_SIGNAL_TOPIC}, 63), '')`.execute(
      trx,
    );
  } else await storage.signals.publish(JOB_SIGNAL_TOPIC);
}
