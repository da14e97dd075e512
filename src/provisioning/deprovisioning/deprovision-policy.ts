import { z } from 'zod';

/**
 * What happens to a target account when Lockstep takes access away (issue 5, item 1), per trigger:
 * delete now, disable and delete after a grace period (restorable meanwhile), disable only, or keep.
 * On a target with no disabled state (RAM), "disable" becomes the strongest revocation the target
 * offers (its native API's revocation, or a delete when no native API is configured); plans and the
 * log say so (`describeDisable`).
 */
export const DEPROVISION_ACTIONS = ['delete', 'disable-then-delete', 'disable', 'keep'] as const;
export type DeprovisionAction = (typeof DEPROVISION_ACTIONS)[number];

/** Why an account is being deprovisioned. `removed`: the provisioning is removed with DeletionStrategy Delete. */
export type DeprovisionTrigger = 'deleted' | 'disabled' | 'outOfScope' | 'removed';

/** Kinds of blocking state Lockstep may clear through a target's native API before a delete (RAM's five). */
export const CLEANUP_KINDS = ['accessKeys', 'policies', 'groups', 'loginProfile', 'mfaDevice'] as const;
export type CleanupKind = (typeof CLEANUP_KINDS)[number];

const Action = z.enum(DEPROVISION_ACTIONS);

export const DeletionGuardSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Removals (deletes and disables) allowed within the window before the rest are staged. Entra's default: 500. */
  maxCount: z.int().min(1).max(1_000_000).default(500),
  /** …or this share of the provisioning's live accounts (Okta's spirit: 20 %), once `minimumForPercent` is reached. */
  maxPercent: z.number().min(1).max(100).default(20),
  /** The percentage rule applies from this many removals on, so small directories can lose a user or two. */
  minimumForPercent: z.int().min(1).max(1_000_000).default(10),
  /** The sliding window that real-time removals are counted in. A full push counts its whole plan. */
  windowMinutes: z.int().min(1).max(10_080).default(60),
});

export type DeletionGuardSettings = z.output<typeof DeletionGuardSchema>;

export const DeprovisionPolicySchema = z.strictObject({
  onDeleted: Action.default('delete').describe('The user was deleted in the directory'),
  onDisabled: Action.default('disable').describe('The user was disabled in the directory'),
  onOutOfScope: Action.default('delete').describe("The user left the provisioning's scope"),
  onRemoved: Action.default('delete').describe('The provisioning is removed with DeletionStrategy Delete'),
  /** How long a `disable-then-delete` account stays disabled (and restorable) before it is deleted. */
  gracePeriodSeconds: z
    .int()
    .min(1)
    .max(366 * 86_400)
    .default(30 * 86_400),
  /** Blocking states Lockstep may clear through the native API; any other one blocks the delete. */
  cleanup: z
    .array(z.enum(CLEANUP_KINDS))
    .max(CLEANUP_KINDS.length)
    .default([...CLEANUP_KINDS]),
  /** How long a backup taken before a destructive step is kept. */
  backupRetentionDays: z.int().min(1).max(3_650).default(30),
  deletionGuard: DeletionGuardSchema.default(DeletionGuardSchema.parse({})),
});

export type DeprovisionPolicy = z.output<typeof DeprovisionPolicySchema>;

/**
 * Why a user must lose access on a provisioning now, if it must: gone (or the provisioning is being
 * removed), out of scope (a provisioning not enabled has no one in scope), or disabled.
 */
export function triggerFor<User extends { readonly doc: Readonly<Record<string, unknown>> }>(
  p: { readonly status: string; inScope(user: User): boolean },
  user: User | undefined,
): DeprovisionTrigger | undefined {
  if (user === undefined) return p.status === 'removing' ? 'removed' : 'deleted';
  if (p.status !== 'enabled' || !p.inScope(user)) return 'outOfScope';
  return user.doc.active === false ? 'disabled' : undefined;
}

/** The action the policy takes for a trigger. */
export function actionFor(policy: DeprovisionPolicy, trigger: DeprovisionTrigger): DeprovisionAction {
  switch (trigger) {
    case 'deleted':
      return policy.onDeleted;
    case 'disabled':
      return policy.onDisabled;
    case 'outOfScope':
      return policy.onOutOfScope;
    case 'removed':
      return policy.onRemoved;
  }
}

/** What "disable" means on a target: its disabled state, its native revocation, or (neither) a delete. */
export type DisableMeans = 'active-false' | 'native-revoke' | 'delete';

export function disableMeans(target: { hasActive: boolean; hasNativeApi: boolean }): DisableMeans {
  if (target.hasActive) return 'active-false';
  return target.hasNativeApi ? 'native-revoke' : 'delete';
}

/** The plain words for a disable on this target, as plans and the log show it. */
export function describeDisable(means: DisableMeans): string {
  switch (means) {
    case 'active-false':
      return 'set active to false';
    case 'native-revoke':
      return "the target has no disabled state: revoke instead (delete the account's access keys and login profile, detach its policies)";
    case 'delete':
      return 'the target has no disabled state and no native API is configured: delete instead';
  }
}

export const TRIGGER_WORDS: Record<DeprovisionTrigger, string> = {
  deleted: 'deleted in the directory',
  disabled: 'disabled in the directory',
  outOfScope: 'out of scope',
  removed: 'the provisioning is being removed',
};
