import { z } from 'zod';
import type { SourceObjectType } from './source-snapshot.ts';

/** A threshold for one kind of object: a run deleting more than either is refused. */
export const DeletionThresholdSchema = z.object({
  /** Deletions per run; null turns the count off. */
  maxCount: z.number().int().min(0).nullable().default(100),
  /** Deletions as a percentage of what the source owns; null turns it off. */
  maxPercent: z.number().min(0).max(100).nullable().default(10),
  /** The percentage only counts from this many deletions on, so a small directory can lose one user. */
  percentFrom: z.number().int().min(1).default(10),
});

/**
 * Pull protection (IDaaS's PullProtectedRule): thresholds for deleted users, groups and org units per
 * run. A run that would exceed one changes nothing.
 */
export const SourceProtectionSchema = z.object({
  users: DeletionThresholdSchema.default(DeletionThresholdSchema.parse({})),
  groups: DeletionThresholdSchema.default(DeletionThresholdSchema.parse({})),
  orgUnits: DeletionThresholdSchema.default(DeletionThresholdSchema.parse({})),
});
export type SourceProtection = z.output<typeof SourceProtectionSchema>;
export type SourceProtectionInput = z.input<typeof SourceProtectionSchema>;

export const DEFAULT_SOURCE_PROTECTION: SourceProtection = SourceProtectionSchema.parse({});

const FIELD: Readonly<Record<SourceObjectType, keyof SourceProtection>> = {
  User: 'users',
  Group: 'groups',
  OrgUnit: 'orgUnits',
};
const PLURAL: Readonly<Record<SourceObjectType, string>> = {
  User: 'users',
  Group: 'groups',
  OrgUnit: 'org units',
};

export interface DeletionCount {
  readonly type: SourceObjectType;
  readonly deletes: number;
  /** How many objects of the type the source owns before the run. */
  readonly owned: number;
}

/** The first threshold a run's deletions exceed, as a message an operator can act on; else undefined. */
export function checkDeletionThresholds(
  protection: SourceProtection,
  counts: readonly DeletionCount[],
): string | undefined {
  for (const { type, deletes, owned } of counts) {
    const threshold = protection[FIELD[type]];
    const what = PLURAL[type];
    if (threshold.maxCount !== null && deletes > threshold.maxCount) {
      return (
        `Pull protection: this run would delete ${deletes} ${what}, more than the threshold of ` +
        `${threshold.maxCount}; nothing was changed. Check the source, or raise protection.${FIELD[type]}.maxCount`
      );
    }
    const percent = owned === 0 ? 0 : (deletes / owned) * 100;
    if (threshold.maxPercent !== null && deletes >= threshold.percentFrom && percent > threshold.maxPercent) {
      return (
        `Pull protection: this run would delete ${deletes} of ${owned} ${what} (${percent.toFixed(1)}%), ` +
        `more than the threshold of ${threshold.maxPercent}%; nothing was changed. Check the source, or ` +
        `raise protection.${FIELD[type]}.maxPercent`
      );
    }
  }
  return undefined;
}
