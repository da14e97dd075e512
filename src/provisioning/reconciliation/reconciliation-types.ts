import type { ProvisioningRunTable } from '../../storage/database-schema.ts';
import type { AttributeDrift } from './compare-account.ts';

export const FINDING_KINDS = ['orphan', 'missing', 'drift'] as const;
export const FINDING_STATUSES = ['open', 'ignored', 'actioned'] as const;
export const FINDING_ACTIONS = ['adopt', 'deprovision', 'repair', 'ignore'] as const;

/**
 * - `orphan`: an account on the target that no live link points to (made by hand, or left behind: a
 *   link `kept` or `deleted` while the account lives on);
 * - `missing`: a live link whose account is gone on the target;
 * - `drift`: a linked account whose mapped attributes differ from what the mapping gives now, or that
 *   should not exist any more (its directory user is gone or out of scope).
 */
export type FindingKind = (typeof FINDING_KINDS)[number];
/** `open` until acted on; `ignored` (remembered for later runs); `actioned` once adopt, deprovision or repair was asked. */
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export type FindingAction = (typeof FINDING_ACTIONS)[number];

/** What a finding says beyond its kind. */
export interface FindingDetails {
  /** Why it is a finding, in plain words. */
  readonly reason: string;
  /** orphan: the state of the link that used to point to the account (`kept`, `deleted`), if any. */
  readonly linkState?: string;
  /** orphan: a directory user that seems to be this account's (its externalId is that user's id). */
  readonly suggestedObjectId?: string;
  /** drift: each differing attribute, target value → desired value. */
  readonly attributes?: readonly AttributeDrift[];
  /** drift: the account should not exist (its directory user is gone, disabled or out of scope). */
  readonly expectedAbsent?: boolean;
}

export interface FindingView {
  readonly id: string;
  readonly runId: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly kind: FindingKind;
  readonly status: FindingStatus;
  readonly accountId: string;
  /** As the target reports them (missing: as last pushed). */
  readonly userName: string | null;
  readonly externalId: string | null;
  /** The directory object, when known. */
  readonly objectId: string | null;
  readonly details: FindingDetails;
  readonly action: FindingAction | null;
  readonly actionObjectId: string | null;
  readonly actedAt: string | null;
  readonly createdAt: string;
}

export type FindingCounts = Record<FindingKind, Record<FindingStatus | 'total', number>>;

/** How a run went through the target and the links. */
export interface ReconciliationProgress {
  readonly trigger: 'manual' | 'schedule';
  readonly accountsListed: number;
  readonly pages: number;
  readonly linksChecked: number;
  /** False when the target could not be listed whole (a target without paging that holds more). */
  readonly complete: boolean;
  /** Accounts or links that could not be checked (the target failed for them). */
  readonly unchecked: number;
}

export interface ReconciliationRunView {
  readonly id: string;
  readonly tenantId: string;
  readonly provisioningId: string;
  readonly kind: 'reconciliation';
  readonly status: ProvisioningRunTable['status'];
  readonly progress: ReconciliationProgress;
  readonly counts: FindingCounts;
  readonly error: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export function emptyCounts(): FindingCounts {
  const counts = {} as FindingCounts;
  for (const kind of FINDING_KINDS) counts[kind] = { open: 0, ignored: 0, actioned: 0, total: 0 };
  return counts;
}
