import type { CleanupKind } from './deprovision-policy.ts';

/**
 * What deprovisioning needs of a target's native API (RAM's OpenAPI today): read an account's
 * blocking dependents, clear the ones the policy allows in the documented order, revoke access on a
 * target without a disabled state, verify an account is gone, and put dependents back on restore.
 * The provisioning layer depends on this shape; `src/targets/<profile>/` implements it.
 */
export type NativeResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly error: {
        readonly message: string;
        readonly code?: string | undefined;
        /** Worth another attempt later (throttled, unreachable, server error). */
        readonly retryable: boolean;
      };
    };

/** One native call of a cleanup, revocation or restore, as the log shows it. */
export interface NativeStep {
  readonly kind: CleanupKind | 'user';
  /** e.g. `DeleteAccessKey LTAI…`, `DetachPolicyFromUser AliyunOSSFullAccess (System)`. */
  readonly description: string;
  readonly ok: boolean;
  readonly message?: string | undefined;
  readonly durationMs: number;
}

/** A state that blocks the delete and that the policy does not allow Lockstep to clear. */
export interface BlockingState {
  /** The target's own name for it, e.g. `MFADevice` (from `DeleteConflict.User.MFADevice`). */
  readonly state: string;
  readonly kind: CleanupKind;
  /** What a person must do, in plain words. */
  readonly instruction: string;
}

export interface NativeInspection {
  /** JSON-serialisable; stored in the backup (never secret values). */
  readonly snapshot: Readonly<Record<string, unknown>>;
  /** The blocking states present. */
  readonly states: readonly CleanupKind[];
}

export interface NativeAccountApi {
  readonly kind: string;
  inspect(userName: string): Promise<NativeResult<NativeInspection | 'absent'>>;
  clear(
    userName: string,
    snapshot: Readonly<Record<string, unknown>>,
    allowed: ReadonlySet<CleanupKind>,
  ): Promise<NativeResult<{ steps: readonly NativeStep[]; blocked: readonly BlockingState[] }>>;
  /** The strongest revocation short of deleting the account. */
  revoke(
    userName: string,
    snapshot: Readonly<Record<string, unknown>>,
  ): Promise<NativeResult<{ steps: readonly NativeStep[] }>>;
  /** True when the account no longer exists. */
  verifyGone(userName: string): Promise<NativeResult<boolean>>;
  restoreDependents(
    userName: string,
    snapshot: Readonly<Record<string, unknown>>,
  ): Promise<
    NativeResult<{
      steps: readonly NativeStep[];
      restored: readonly string[];
      notRestored: readonly { what: string; why: string }[];
    }>
  >;
}
