import { performance } from 'node:perf_hooks';
import {
  DELETE_CONFLICT_STEPS,
  findDeleteConflictStep,
  type RamCleanupStep,
} from './delete-conflict-steps.ts';
import {
  isUserAbsent,
  type RamAccountSnapshot,
  type RamInspection,
  takeRamAccountSnapshot,
} from './ram-account-snapshot.ts';
import {
  describeCleanupStep,
  findRamBlockingStates,
  itemsOfStep,
  type RamBlockingState,
  type RamBlockingStateName,
} from './ram-blocking-states.ts';
import { type RamStepReport, runRamCleanupStep, since } from './ram-cleanup-step.ts';
import { type RamRestoreReport, restoreRamDependents } from './ram-dependents-restorer.ts';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import type { RamOpenapiError, RamOpenapiResult } from './ram-openapi-error.ts';

/**
 * What "disable" and "revoke now" do to a RAM user, which has no disabled state: everything that lets
 * it act, nothing that identifies it. Its credentials go first in effect (AccessKeys: API access;
 * login profile: console logon). Its direct policies and its group memberships go too, because RAM
 * authorises each request afresh: a console session or signed request already under way loses every
 * permission at once, whether granted directly or through a group. Both come back with
 * `restoreDependents`. The MFA device stays: it grants nothing, and a binding cannot be restored.
 */
export const RAM_REVOCATION_STEPS = [
  'accessKeys',
  'loginProfile',
  'policies',
  'groups',
] as const satisfies readonly RamCleanupStep[];

export interface RamClearReport {
  /** `failed`: a step failed and the rest were not tried; `blocked`: states not allowed remain. */
  readonly outcome: 'cleared' | 'blocked' | 'failed';
  /** The allowed steps with something to clear, in cascade order, up to the one that failed. */
  readonly steps: readonly RamStepReport[];
  /** States present but not allowed to be cleared: the delete will be refused until a person acts. */
  readonly blocked: readonly RamBlockingState[];
  /** The failed step and RAM's refusal; for a 403, the permission Lockstep's AccessKey lacks. */
  readonly failure?: {
    readonly step: RamCleanupStep;
    readonly error: RamOpenapiError;
    readonly missingPermission?: string;
  };
  readonly durationMs: number;
}

export type RamDeleteOutcome =
  /** DeleteUser succeeded and GetUser then answered EntityNotExist.User. */
  | { readonly status: 'deleted'; readonly durationMs: number }
  /** DeleteUser answered EntityNotExist.User: gone before we asked. */
  | { readonly status: 'already_gone'; readonly durationMs: number }
  /** DeleteUser refused (409): a special state appeared since the snapshot (`state` names it). */
  | {
      readonly status: 'conflict';
      readonly code: string;
      readonly state: RamBlockingStateName | undefined;
      readonly step: RamCleanupStep | undefined;
      readonly message: string;
      readonly durationMs: number;
    }
  /** DeleteUser succeeded but GetUser still finds the user: verify again later. */
  | { readonly status: 'still_present'; readonly durationMs: number };

export interface RamRevocationReport {
  /** `partial`: a step failed (the others still ran: revocation does all it can). */
  readonly outcome: 'revoked' | 'partial';
  /** The revocation steps with something to remove, in `RAM_REVOCATION_STEPS` order. */
  readonly steps: readonly RamStepReport[];
  /** What revocation leaves on purpose. */
  readonly kept: readonly string[];
  readonly durationMs: number;
}

/** The RAM side of deprovisioning, in the words of REFERENCE.md §5; the engine decides when. */
export interface RamAccountRemover {
  /** The user and its dependents as RAM reports them: the backup taken before any destructive step. */
  inspect(userName: string): Promise<RamOpenapiResult<RamInspection>>;
  /**
   * Clears, in cascade order, the states of the snapshot whose step is allowed; stops at the first
   * failed step. States present but not allowed are reported as `blocked`, with what a person does.
   */
  clear(
    userName: string,
    snapshot: RamAccountSnapshot,
    allowed: ReadonlySet<RamCleanupStep>,
  ): Promise<RamClearReport>;
  /** DeleteUser, then GetUser must answer EntityNotExist.User. */
  deleteAndVerify(userName: string): Promise<RamOpenapiResult<RamDeleteOutcome>>;
  /** The strongest revocation short of deleting the user (`RAM_REVOCATION_STEPS`). */
  revoke(userName: string, snapshot: RamAccountSnapshot): Promise<RamRevocationReport>;
  /** Re-adds groups and policies to a user that exists again; lists what cannot come back. */
  restoreDependents(
    userName: string,
    snapshot: RamAccountSnapshot,
  ): Promise<RamOpenapiResult<RamRestoreReport>>;
}

export function createRamAccountRemover(client: RamOpenapiClient): RamAccountRemover {
  return {
    inspect: (userName) => takeRamAccountSnapshot(client, userName),

    async clear(userName, snapshot, allowed) {
      const started = performance.now();
      const blocked = findRamBlockingStates(snapshot, allowed);
      const steps: RamStepReport[] = [];
      for (const { step } of DELETE_CONFLICT_STEPS) {
        if (!allowed.has(step) || itemsOfStep(snapshot, step).length === 0) continue;
        const report = await runRamCleanupStep(client, userName, snapshot, step);
        steps.push(report);
        if (report.error !== undefined) {
          return {
            outcome: 'failed',
            steps,
            blocked,
            failure: { step, error: report.error, ...missingPermission(report.error) },
            durationMs: since(started),
          };
        }
      }
      return {
        outcome: blocked.length > 0 ? 'blocked' : 'cleared',
        steps,
        blocked,
        durationMs: since(started),
      };
    },

    async deleteAndVerify(userName) {
      const started = performance.now();
      const deleted = await client.deleteUser(userName);
      if (!deleted.ok) {
        const { error } = deleted;
        if (isUserAbsent(error))
          return { ok: true, value: { status: 'already_gone', durationMs: since(started) } };
        if (error.code?.startsWith('DeleteConflict.User.')) {
          const step = findDeleteConflictStep(error.code);
          return {
            ok: true,
            value: {
              status: 'conflict',
              code: error.code,
              step,
              state: step === undefined ? undefined : describeCleanupStep(step).state,
              message: error.message,
              durationMs: since(started),
            },
          };
        }
        return deleted;
      }
      const verified = await client.getUser(userName);
      if (verified.ok) return { ok: true, value: { status: 'still_present', durationMs: since(started) } };
      if (isUserAbsent(verified.error))
        return { ok: true, value: { status: 'deleted', durationMs: since(started) } };
      return verified;
    },

    async revoke(userName, snapshot) {
      const started = performance.now();
      const present = RAM_REVOCATION_STEPS.filter((step) => itemsOfStep(snapshot, step).length > 0);
      // Each step touches different things: all at once, and a failure does not hold back the others.
      const steps = await Promise.all(
        present.map((step) => runRamCleanupStep(client, userName, snapshot, step)),
      );
      return {
        outcome: steps.some((step) => step.result === 'failed') ? 'partial' : 'revoked',
        steps,
        kept: [`the RAM user ${userName}`, ...(snapshot.mfaDevice === null ? [] : ['its MFA device'])],
        durationMs: since(started),
      };
    },

    restoreDependents: (userName, snapshot) => restoreRamDependents(client, userName, snapshot),
  };
}

/** `ram:<Action>` for a refusal that says Lockstep's AccessKey may not call the action. */
function missingPermission(error: RamOpenapiError): { missingPermission?: string } {
  return error.kind === 'forbidden' ? { missingPermission: `ram:${error.action}` } : {};
}
