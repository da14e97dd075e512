import type { RunStatus } from './provisioning-api-types.ts';

/** The admin API's reconciliation shapes, as the CLI reads them (src/provisioning/reconciliation). */
export type FindingKind = 'orphan' | 'missing' | 'drift';
export type FindingStatus = 'open' | 'ignored' | 'actioned';
export const FINDING_ACTIONS = ['adopt', 'deprovision', 'repair', 'ignore'] as const;
export type FindingAction = (typeof FINDING_ACTIONS)[number];

export interface ReconciliationRun {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly kind: 'reconciliation';
  readonly status: RunStatus;
  readonly progress: {
    readonly trigger: 'manual' | 'schedule';
    readonly accountsListed: number;
    readonly pages: number;
    readonly linksChecked: number;
    readonly complete: boolean;
    readonly unchecked: number;
  };
  readonly counts: Readonly<Record<FindingKind, Readonly<Record<FindingStatus | 'total', number>>>>;
  readonly error: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface Finding {
  readonly id: string;
  readonly runId: string;
  readonly provisioningId: string;
  readonly kind: FindingKind;
  readonly status: FindingStatus;
  readonly accountId: string;
  readonly userName: string | null;
  readonly externalId: string | null;
  readonly objectId: string | null;
  readonly details: {
    readonly reason: string;
    readonly linkState?: string;
    readonly suggestedObjectId?: string;
    readonly expectedAbsent?: boolean;
    readonly attributes?: readonly {
      readonly attribute: string;
      readonly target: unknown;
      readonly desired: unknown;
    }[];
  };
  readonly action: FindingAction | null;
  readonly actionObjectId: string | null;
  readonly actedAt: string | null;
  readonly createdAt: string;
}

export interface ReconciliationReport {
  readonly run: ReconciliationRun;
  readonly findings: { readonly items: readonly Finding[]; readonly nextCursor: string | null };
}
