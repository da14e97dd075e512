import type { PlanTable } from '../../storage/database-schema.ts';
import type { PlanBasis } from './check-plan.ts';
import type { PlanRepository } from './plan-repository.ts';
import type { PlannedOperation, PlanRefusal, PlanSummary, PlanView } from './plan-types.ts';

export interface PageOptions {
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
  /** Include objects with nothing to do (unchanged, out of scope). */
  readonly all?: boolean | undefined;
}

export const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** A plan as the API shows it, with one page of its operations (none when `page` is undefined). */
export async function toPlanView(
  repository: PlanRepository,
  row: PlanTable,
  page: PageOptions | undefined,
  now: Date,
): Promise<PlanView> {
  const basis = json<PlanBasis>(row.basis);
  const limit = page?.limit ?? 100;
  const items =
    page === undefined
      ? []
      : await repository.items(row.id, {
          ...(page.cursor !== undefined ? { after: page.cursor } : {}),
          limit: limit + 1,
          changesOnly: page.all !== true,
        });
  const shown = items.slice(0, limit);
  const expired = row.status === 'ready' && row.expires_at <= now.toISOString();
  const { held: _held, ...guard } = basis.guard;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    provisioningId: row.provisioning_id,
    kind: row.kind,
    status: expired ? 'expired' : row.status,
    enables: row.enables === 1,
    deletionStrategy: row.deletion_strategy,
    summary: json<PlanSummary>(row.summary),
    guard,
    notes: basis.notes,
    runId: row.run_id,
    refusal: row.refusal === null ? null : json<PlanRefusal>(row.refusal),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    appliedAt: row.applied_at,
    operations: {
      items: shown.map((item): PlannedOperation => {
        const { admission: _admission, ...operation } = item.operation;
        return operation;
      }),
      nextCursor: items.length > limit ? (shown[shown.length - 1]?.objectId ?? null) : null,
    },
  };
}
