import type { Kysely, SelectQueryBuilder } from 'kysely';
import { chunks } from '../../directory/chunks.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import type { SqlDialect } from '../../storage/sql-dialect.ts';
import type { AuditEventView, AuditOutcome } from './audit-event.ts';
import { type AuditRow, type AuditRowInput, toAuditView } from './audit-row.ts';

/** Which events to read. Times are canonical ISO (see `normaliseTime`): `from` inclusive, `to` exclusive. */
export interface AuditFilter {
  readonly tenantId?: string;
  readonly actorId?: string;
  readonly objectId?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly from?: string;
  readonly to?: string;
}

export interface AuditPage {
  readonly items: AuditEventView[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 1000;

export type AuditQueryErrorCode = 'invalid_cursor' | 'invalid_filter';

export class AuditQueryError extends Error {
  override readonly name = 'AuditQueryError';
  readonly code: AuditQueryErrorCode;
  constructor(code: AuditQueryErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A position in the (at, seq) order. Pages are ordered by time, not by insertion: an event may be
 * recorded with the time its request began, after events of shorter requests. `seq` breaks ties.
 * The opaque cursor carries both, so a page needs no lookup and survives the purge of its row.
 */
export interface AuditPosition {
  readonly at: string;
  readonly seq: number;
}

const CURSOR_TEXT = /^(\d{1,15})~(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/;

export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(`${position.seq}~${position.at}`).toString('base64url');
}

function decodeAuditCursor(cursor: string): AuditPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  return match === null ? undefined : { seq: Number(match[1]), at: match[2]! };
}

/** Whether `cursor` has the shape of one this server issues (for input validation). */
export function isAuditCursor(cursor: string): boolean {
  return decodeAuditCursor(cursor) !== undefined;
}

type EventQuery = SelectQueryBuilder<DatabaseSchema, 'audit_events', AuditRow>;

/**
 * SQL for the audit log. Every filter is served by an index: tenant, actor and object by their
 * (column, at) indexes, a time range alone by the `at` index; action and outcome only narrow what one
 * of those yields. Keyset predicates are written as `at <= x AND (at < x OR seq < y)` so both planners
 * turn the first half into an index bound.
 */
export function createAuditRepository(db: Kysely<DatabaseSchema>, dialect: SqlDialect) {
  const select = (filter: AuditFilter): EventQuery => {
    let query = db.selectFrom('audit_events').selectAll() as EventQuery;
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
    if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    return query;
  };
  const positionOf = (row: AuditRow): AuditPosition => ({ at: row.at, seq: Number(row.seq) });

  /** Statement of one page, newest first (exported for the query-plan test). */
  const pageQuery = (filter: AuditFilter, options: { limit?: number; cursor?: string } = {}) => {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? AUDIT_PAGE_DEFAULT), 1), AUDIT_PAGE_MAX);
    let query = select(filter);
    if (options.cursor !== undefined) {
      const before = decodeAuditCursor(options.cursor);
      if (before === undefined)
        throw new AuditQueryError('invalid_cursor', 'The cursor is not one this server issued');
      query = query
        .where('at', '<=', before.at)
        .where((eb) => eb.or([eb('at', '<', before.at), eb('seq', '<', before.seq)]));
    }
    return {
      limit,
      query: query
        .orderBy('at', 'desc')
        .orderBy('seq', 'desc')
        .limit(limit + 1),
    };
  };

  /** Statement of one export chunk, oldest first, after `after` (exported for the query-plan test). */
  const exportChunkQuery = (filter: AuditFilter, after: AuditPosition | undefined, chunkSize: number) => {
    let query = select(filter);
    if (after !== undefined) {
      const { at, seq } = after;
      query = query.where('at', '>=', at).where((eb) => eb.or([eb('at', '>', at), eb('seq', '>', seq)]));
    }
    return query.orderBy('at').orderBy('seq').limit(chunkSize);
  };

  return {
    pageQuery,
    exportChunkQuery,

    /** Inserts rows in multi-row statements of up to 1,000 rows (one statement for a usual flush). */
    async insertMany(rows: readonly AuditRowInput[]): Promise<void> {
      for (const part of chunks(rows, 1000)) await db.insertInto('audit_events').values(part).execute();
    },

    /** One page, newest first. Throws AuditQueryError for a cursor this server did not issue. */
    async findPage(
      filter: AuditFilter,
      options: { limit?: number; cursor?: string } = {},
    ): Promise<AuditPage> {
      const { limit, query } = pageQuery(filter, options);
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => toAuditView(row, dialect)),
        nextCursor: rows.length > limit && last !== undefined ? encodeAuditCursor(positionOf(last)) : null,
      };
    },

    /**
     * Every matching event, oldest first, read `chunkSize` rows per statement: memory stays bounded
     * however many there are. Events recorded meanwhile with later times are included.
     */
    async *exportAll(filter: AuditFilter, chunkSize = 500): AsyncGenerator<AuditEventView> {
      let after: AuditPosition | undefined;
      for (;;) {
        const rows = await exportChunkQuery(filter, after, chunkSize).execute();
        for (const row of rows) yield toAuditView(row, dialect);
        const last = rows.at(-1);
        if (rows.length < chunkSize || last === undefined) return;
        after = positionOf(last);
      }
    },

    /** Deletes up to `limit` events older than `before`; the count deleted (less than `limit`: done). */
    async deleteOlderThan(before: string, limit: number): Promise<number> {
      const doomed = db.selectFrom('audit_events').select('seq').where('at', '<', before).limit(limit);
      const result = await db.deleteFrom('audit_events').where('seq', 'in', doomed).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
