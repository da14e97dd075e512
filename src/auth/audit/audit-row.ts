import type { Insertable, Selectable } from 'kysely';
import type { AuditEventTable } from '../../storage/database-schema.ts';
import type { SqlDialect } from '../../storage/sql-dialect.ts';
import type { AuditActorType, AuditEvent, AuditEventView } from './audit-event.ts';
import { scrubAuditDetail, scrubAuditText } from './scrub-audit-detail.ts';

export type AuditRowInput = Insertable<AuditEventTable>;
/** A row as read: PostgreSQL returns the bigint `seq` as a string. */
export type AuditRow = Omit<Selectable<AuditEventTable>, 'seq'> & { seq: number | string };

const ACTOR_TYPES: readonly AuditActorType[] = ['admin', 'app', 'system', 'anonymous'];
const MAX_ID = 256;
const MAX_ACTION = 200;
const MAX_IP = 64;

/**
 * The row stored for `event`: every string scrubbed of credentials and bounded, `at` normalised to
 * `YYYY-MM-DDTHH:mm:ss.sssZ` (so text order is time order and time-range filters can use the index),
 * `now` when absent or unreadable. Never throws for odd input: recording must not fail a request.
 */
export function toAuditRow(event: AuditEvent, now: Date, dialect: SqlDialect): AuditRowInput {
  const text = (value: string | null | undefined, max: number) =>
    typeof value === 'string' ? scrubAuditText(value, max) : null;
  const detail = readDetail(event.detail);
  const status = event.status;
  return {
    at: normaliseTime(event.at) ?? now.toISOString(),
    tenant_id: text(event.tenantId, MAX_ID),
    actor_type: ACTOR_TYPES.includes(event.actor?.type) ? event.actor.type : 'anonymous',
    actor_id: text(event.actor?.id, MAX_ID),
    action: text(event.action, MAX_ACTION) ?? 'unknown',
    object_type: event.object ? (text(event.object.type, MAX_ACTION) ?? 'unknown') : null,
    object_id: event.object ? text(event.object.id, MAX_ID) : null,
    outcome: event.outcome === 'success' ? 'success' : 'failure',
    status:
      typeof status === 'number' && Number.isInteger(status) && status >= 0 && status <= 999 ? status : null,
    request_id: text(event.requestId, MAX_ID),
    source_ip: text(event.sourceIp, MAX_IP),
    detail: detail === null ? null : dialect.encodeJson(detail),
  };
}

/** The scrubbed detail; a detail that cannot be read (a getter that throws) must not cost the event itself. */
function readDetail(detail: unknown): Record<string, unknown> | null {
  try {
    return scrubAuditDetail(detail);
  } catch {
    return { unreadable: 'the detail could not be read' };
  }
}

/** `value` as a canonical UTC ISO time, or undefined when it is not a time with a four-digit year. */
export function normaliseTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  const iso = new Date(time).toISOString();
  return iso.length === 24 ? iso : undefined;
}

/** The admin API's view of a stored row (contract: AuditEvent). */
export function toAuditView(row: AuditRow, dialect: SqlDialect): AuditEventView {
  const detail = row.detail === null || row.detail === undefined ? null : dialect.decodeJson(row.detail);
  return {
    id: String(row.seq),
    at: row.at,
    tenantId: row.tenant_id,
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    object: row.object_type === null ? null : { type: row.object_type, id: row.object_id },
    outcome: row.outcome,
    status: row.status === null ? null : Number(row.status),
    requestId: row.request_id,
    sourceIp: row.source_ip,
    detail: (detail as Record<string, unknown> | null) ?? null,
  };
}
