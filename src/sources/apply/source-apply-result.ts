import type { SourceObjectType } from './source-snapshot.ts';

/** Per object type, what a run did (or, dry, would do). */
export interface SourceObjectCounts {
  created: number;
  updated: number;
  /** Existing directory objects the source took ownership of (matched by the bind attribute). */
  bound: number;
  deleted: number;
  same: number;
  /** Entries the source supplied that cannot be applied (an invalid value, an owner conflict). */
  invalid: number;
  /** Writes the directory refused during the run. */
  failed: number;
}

export interface SourceApplyStats {
  users: SourceObjectCounts;
  groups: SourceObjectCounts;
  orgUnits: SourceObjectCounts;
}

export interface SourceRunItemReport {
  readonly type: SourceObjectType;
  readonly key: string;
  /** The LDAP DN or CSV line the entry came from. */
  readonly name: string | null;
  readonly objectId: string | null;
  readonly action: 'create' | 'update' | 'bind' | 'delete' | 'invalid';
  readonly outcome: 'planned' | 'success' | 'failed';
  readonly message?: string;
}

export type SourceApplyErrorCode = 'protection' | 'empty_source' | 'invalid_entries';

export type SourceApplyResult =
  | {
      readonly ok: true;
      readonly dryRun: boolean;
      readonly stats: SourceApplyStats;
      readonly items: SourceRunItemReport[];
    }
  | {
      readonly ok: false;
      readonly error: { readonly code: SourceApplyErrorCode; readonly message: string };
      /** What the refused run would have done. */
      readonly stats: SourceApplyStats;
      readonly items: SourceRunItemReport[];
    };

export const emptyCounts = (): SourceObjectCounts => ({
  created: 0,
  updated: 0,
  bound: 0,
  deleted: 0,
  same: 0,
  invalid: 0,
  failed: 0,
});

export const emptyStats = (): SourceApplyStats => ({
  users: emptyCounts(),
  groups: emptyCounts(),
  orgUnits: emptyCounts(),
});
