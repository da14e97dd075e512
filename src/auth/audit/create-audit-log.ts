import type { Storage } from '../../storage/open-storage.ts';
import type { AuditEvent } from './audit-event.ts';
import type { AuditExportQuery, AuditQuery } from './audit-query-schema.ts';
import {
  type AuditFilter,
  type AuditPage,
  AuditQueryError,
  createAuditRepository,
} from './audit-repository.ts';
import { type AuditRowInput, normaliseTime, toAuditRow } from './audit-row.ts';
import { scrubAuditText } from './scrub-audit-detail.ts';

/** The part of the service logger the audit log uses (a pino logger fits). */
export interface AuditLogLogger {
  error(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

export interface AuditLogOptions {
  readonly logger: AuditLogLogger;
  /** How long a recorded event may wait for company before it is written. */
  readonly flushIntervalMs?: number;
  /** Buffered events that trigger a write at once. */
  readonly maxBuffer?: number;
  /** Events held while writes lag (the database slow or down); beyond it new events are lost, loudly. */
  readonly maxPending?: number;
  readonly retentionDays?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
  /** Delay of the first automatic purge after start; then one a day. */
  readonly firstPurgeDelayMs?: number;
}

export interface AuditLog {
  /** Queues `event` for writing; never throws, never waits. Secrets are scrubbed here (scrub-audit-detail.ts). */
  record(event: AuditEvent): void;
  /** Resolves once every event recorded before the call has been written or its failure logged; never rejects. */
  flush(): Promise<void>;
  /** A page, newest first; includes every event recorded before the call. Throws AuditQueryError. */
  query(filter: AuditQuery): Promise<AuditPage>;
  /**
   * Matching events oldest first, one JSON line each (ending in `\n`), read in chunks. Throws
   * AuditQueryError at once (not while iterating) for a filter that is not valid.
   */
  exportLines(filter: AuditExportQuery): AsyncIterable<string>;
  /** Deletes events older than the retention; the number deleted. */
  purgeExpired(): Promise<number>;
  /** Stops the timers and writes what is left. */
  close(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PURGE_BATCH = 5000;
/** A write that failed is tried again no sooner than this. */
const RETRY_DELAY_MS = 1000;

/**
 * The audit log: requests record events into a buffer, and one write at a time moves the buffer to the
 * database in multi-row inserts, so auditing adds no round trip to any request. A write that fails is
 * logged (counts only) and its events are tried once more with the next write; events that fail twice,
 * or that arrive while `maxPending` events already wait (the database being down), are lost, and the
 * log says how many. Old events are purged daily.
 */
export function createAuditLog(storage: Storage, options: AuditLogOptions): AuditLog {
  const { logger, flushIntervalMs = 50, maxBuffer = 500, retentionDays = 365 } = options;
  const now = options.now ?? (() => new Date());
  const maxPending = Math.max(options.maxPending ?? 20_000, maxBuffer);
  const reads = createAuditRepository(storage.db, storage.dialect);
  let buffer: AuditRowInput[] = [];
  /** Events whose first write failed: they ride with the next write, once. */
  let retrying: AuditRowInput[] = [];
  let dropped = 0;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const arm = (delay: number) => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      startWrite();
    }, delay);
  };

  const write = async (): Promise<void> => {
    if (dropped > 0) {
      logger.error({ lost: dropped }, 'Audit events lost: the audit buffer was full');
      dropped = 0;
    }
    const secondTry = retrying.length;
    const batch = retrying.concat(buffer);
    retrying = [];
    buffer = [];
    try {
      await storage.write((trx) => createAuditRepository(trx, storage.dialect).insertMany(batch));
    } catch (error) {
      if (secondTry > 0)
        logger.error(
          { lost: secondTry, cause: describeError(error) },
          'Audit events lost: their write failed twice',
        );
      retrying = batch.slice(secondTry);
      if (retrying.length > 0)
        logger.error(
          { count: retrying.length, cause: describeError(error) },
          'Audit events not written; retrying with the next write',
        );
    }
  };

  const startWrite = () => {
    if (inFlight !== undefined || (buffer.length === 0 && retrying.length === 0)) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    inFlight = write().finally(() => {
      inFlight = undefined;
      if (buffer.length >= maxBuffer) startWrite();
      else if (retrying.length > 0) arm(Math.max(flushIntervalMs, RETRY_DELAY_MS));
      else if (buffer.length > 0) arm(flushIntervalMs);
    });
  };

  const flush = async (): Promise<void> => {
    // The write in flight holds none of the events buffered now; the next one takes them all.
    if (inFlight !== undefined) await inFlight;
    startWrite();
    if (inFlight !== undefined) await inFlight;
  };

  const purgeExpired = async (): Promise<number> => {
    const cutoff = new Date(now().getTime() - retentionDays * DAY_MS).toISOString();
    let total = 0;
    for (;;) {
      const deleted = await storage.write((trx) =>
        createAuditRepository(trx, storage.dialect).deleteOlderThan(cutoff, PURGE_BATCH),
      );
      total += deleted;
      if (deleted < PURGE_BATCH) return total;
    }
  };

  const purgeInBackground = () => {
    purgeExpired().then(
      (deleted) => {
        if (deleted > 0) logger.info({ deleted, retentionDays }, 'Expired audit events purged');
      },
      (error: unknown) => logger.error({ cause: describeError(error) }, 'Audit purge failed'),
    );
  };
  const firstPurge = setTimeout(purgeInBackground, options.firstPurgeDelayMs ?? 60_000).unref();
  const dailyPurge = setInterval(purgeInBackground, DAY_MS).unref();

  return {
    record(event) {
      try {
        if (closed) {
          logger.error({ lost: 1 }, 'Audit event recorded after the audit log closed: not stored');
          return;
        }
        const row = toAuditRow(event, now(), storage.dialect);
        if (buffer.length >= maxPending) dropped += 1;
        else buffer.push(row);
        if (buffer.length >= maxBuffer) startWrite();
        else arm(flushIntervalMs);
      } catch (error) {
        logger.error({ lost: 1, cause: describeError(error) }, 'Audit event could not be recorded');
      }
    },

    flush,

    async query(query) {
      const { limit, cursor, ...filter } = query;
      await flush();
      return reads.findPage(toFilter(filter), {
        ...(limit !== undefined ? { limit } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
    },

    exportLines(query) {
      // The filter is checked now, so a bad one throws before a response starts streaming.
      const filter = toFilter(query);
      return (async function* () {
        await flush();
        for await (const event of reads.exportAll(filter)) yield `${JSON.stringify(event)}\n`;
      })();
    },

    purgeExpired,

    async close() {
      closed = true;
      clearTimeout(firstPurge);
      clearInterval(dailyPurge);
      // A write that fails leaves its events for one more; a second failure logs them as lost.
      for (
        let attempt = 0;
        attempt < 3 && (inFlight || buffer.length > 0 || retrying.length > 0);
        attempt += 1
      )
        await flush();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (retrying.length > 0) {
        logger.error(
          { lost: retrying.length },
          'Audit events lost: still unwritten when the audit log closed',
        );
        retrying = [];
      }
    },
  };
}

/** The repository's filter for validated query parameters; an unreadable time is an error, not "no bound". */
function toFilter(query: AuditExportQuery): AuditFilter {
  const time = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    const normalised = normaliseTime(value);
    if (normalised === undefined) throw new AuditQueryError('invalid_filter', `"${name}" is not a date-time`);
    return normalised;
  };
  const from = time(query.from, 'from');
  const to = time(query.to, 'to');
  return {
    ...(query.tenant !== undefined ? { tenantId: query.tenant } : {}),
    ...(query.actor !== undefined ? { actorId: query.actor } : {}),
    ...(query.object !== undefined ? { objectId: query.object } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
    ...(query.outcome !== undefined ? { outcome: query.outcome } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

/** What the service log may say about a failed write: the kind of error, never the rows. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: 'non-error thrown' };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: scrubAuditText(error.message, 300),
  };
}
