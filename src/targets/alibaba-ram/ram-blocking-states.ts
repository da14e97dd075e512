import {
  DELETE_CONFLICT_STEPS,
  type DeleteConflictCode,
  type RamCleanupStep,
} from './delete-conflict-steps.ts';
import type { RamAccountSnapshot } from './ram-account-snapshot.ts';

/** A DeleteConflict code's last part, the name RAM gives the state: `AccessKey`, …, `MFADevice`. */
export type RamBlockingStateName = DeleteConflictCode extends `DeleteConflict.User.${infer State}`
  ? State
  : never;

/**
 * A special state that would make RAM refuse DeleteUser and that Lockstep was not allowed to clear:
 * the operation is blocked until a person clears it (or allows the step).
 */
export interface RamBlockingState {
  readonly state: RamBlockingStateName;
  readonly code: DeleteConflictCode;
  readonly step: RamCleanupStep;
  /** What is in that state, as the snapshot saw it (AccessKey ids, `Type:Name` policies, group names, …). */
  readonly items: readonly string[];
  /** The step a person takes, in one sentence. */
  readonly action: string;
}

/** The state name and code of a cleanup step. */
export function describeCleanupStep(step: RamCleanupStep): {
  state: RamBlockingStateName;
  code: DeleteConflictCode;
} {
  const entry = DELETE_CONFLICT_STEPS.find((known) => known.step === step);
  if (entry === undefined) throw new RangeError(`Unknown RAM cleanup step ${step}`);
  return { state: entry.code.slice('DeleteConflict.User.'.length) as RamBlockingStateName, code: entry.code };
}

/** The items of one step in a snapshot, as reports name them; empty when the user has none. */
export function itemsOfStep(snapshot: RamAccountSnapshot, step: RamCleanupStep): string[] {
  switch (step) {
    case 'accessKeys':
      return snapshot.accessKeys.map((key) => key.accessKeyId);
    case 'policies':
      return snapshot.policies.map(policyItem);
    case 'groups':
      return snapshot.groups.map((group) => group.groupName);
    case 'loginProfile':
      return snapshot.loginProfile === null ? [] : ['loginProfile'];
    case 'mfaDevice':
      return snapshot.mfaDevice === null ? [] : [snapshot.mfaDevice.serialNumber];
  }
}

/** `System:AliyunOSSReadOnlyAccess`: a policy is named by its type and name together. */
export function policyItem(policy: { policyName: string; policyType: string }): string {
  return `${policy.policyType}:${policy.policyName}`;
}

/**
 * The states present in the snapshot whose step is not allowed, in cascade order, each with the step
 * a person must take. Empty: nothing stands in the way of DeleteUser once the allowed steps ran.
 */
export function findRamBlockingStates(
  snapshot: RamAccountSnapshot,
  allowed: ReadonlySet<RamCleanupStep>,
): RamBlockingState[] {
  const userName = snapshot.user.userName;
  return DELETE_CONFLICT_STEPS.flatMap(({ step }) => {
    const items = itemsOfStep(snapshot, step);
    if (allowed.has(step) || items.length === 0) return [];
    return [{ ...describeCleanupStep(step), step, items, action: explainStep(step, userName, items) }];
  });
}

function explainStep(step: RamCleanupStep, userName: string, items: readonly string[]): string {
  const list = items.join(', ');
  switch (step) {
    case 'accessKeys':
      return `delete the AccessKeys ${list} of user ${userName} in the RAM console or with DeleteAccessKey`;
    case 'policies':
      return `detach the policies ${list} from user ${userName} in the RAM console or with DetachPolicyFromUser`;
    case 'groups':
      return `remove user ${userName} from the groups ${list} in the RAM console or with RemoveUserFromGroup`;
    case 'loginProfile':
      return `delete the console logon (login profile) of user ${userName} in the RAM console or with DeleteLoginProfile`;
    case 'mfaDevice':
      return `unbind the MFA device of user ${userName} in the RAM console or with UnbindMFADevice`;
  }
}
