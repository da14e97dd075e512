import { z } from 'zod';
import { AUDIT_PAGE_MAX, isAuditCursor } from './audit-repository.ts';

const name = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .min(1, `must be ${what}`)
    .max(256, 'must have at most 256 characters');
const time = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
});

const filterShape = {
  tenant: name('a tenant id').optional(),
  actor: name('an actor id (an app client id or an admin token id)').optional(),
  object: name('an object id').optional(),
  action: name('an action, e.g. app.create').optional(),
  outcome: z.enum(['success', 'failure'], { error: 'must be "success" or "failure"' }).optional(),
  /** Inclusive. */
  from: time.optional(),
  /** Exclusive. */
  to: time.optional(),
};

/** Query parameters of `GET /api/audit` (contract); query strings arrive as text, so `limit` is coerced. */
export const AuditQuerySchema = z.object({
  ...filterShape,
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 1000' })
    .int('must be a whole number from 1 to 1000')
    .min(1, 'must be a whole number from 1 to 1000')
    .max(AUDIT_PAGE_MAX, 'must be a whole number from 1 to 1000')
    .optional(),
  cursor: z
    .string()
    .refine(isAuditCursor, 'must be a nextCursor value from a previous page, unchanged')
    .optional(),
});

/** Query parameters of `GET /api/audit/export`: the same filters, no paging. */
export const AuditExportQuerySchema = z.object(filterShape);

export type AuditQuery = z.infer<typeof AuditQuerySchema>;
export type AuditExportQuery = z.infer<typeof AuditExportQuerySchema>;
