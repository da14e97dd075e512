import type { RamPermissionCheck } from '../targets/alibaba-ram/check-ram-permissions.ts';
import { RAM_REVOCATION_STEPS } from '../targets/alibaba-ram/ram-account-remover.ts';
import { RAM_PERMISSION_PROBES } from '../targets/alibaba-ram/ram-permission-probes.ts';
import { findTargetProfile } from '../targets/profiles/target-profiles.ts';
import type { ConnectivityReport } from '../targets/test-connectivity.ts';
import {
  actionFor,
  CLEANUP_KINDS,
  type CleanupKind,
  DeprovisionPolicySchema,
  type DeprovisionTrigger,
  disableMeans,
} from './deprovisioning/deprovision-policy.ts';
import type { ProvisioningService } from './provisioning-service.ts';
import type { TargetService } from './targets/target-service.ts';

/**
 * What a permission is needed for: clearing a state before a delete, revoking where the target
 * cannot disable, the backup taken before either (it reads every kind of state), the delete itself.
 */
export type NeededFor = 'cleanup' | 'revocation' | 'backup' | 'delete';

export interface MissingPermission {
  /** The target's policy action, e.g. `ram:UnbindMFADevice`. */
  readonly action: string;
  /** The kind of state it clears; `user` for reading and deleting the account itself. */
  readonly kind: CleanupKind | 'user';
  readonly neededFor: readonly NeededFor[];
  /** One sentence: what is missing, what the policy needs it for, and what to do. */
  readonly message: string;
}

export interface ProvisioningTestReport {
  /** False when the target cannot be reached or its native API lacks a permission the policy needs. */
  readonly ok: boolean;
  readonly provisioningId: string;
  readonly targetId: string;
  /** The target's test; its `nativeApi` section checks exactly what this provisioning needs. */
  readonly connectivity: ConnectivityReport;
  readonly deprovisioning: {
    /** The blocking states the policy lets Lockstep clear before a delete (`deprovision.cleanup`). */
    readonly cleanup: readonly CleanupKind[];
    /** What the policy's disable removes on a target without a disabled state (empty when it never disables so). */
    readonly revocation: readonly CleanupKind[];
    /** `checked`; `none`: the target's profile has a native API but none is configured; `not-applicable`. */
    readonly nativeApi: 'checked' | 'none' | 'not-applicable';
    readonly missing: readonly MissingPermission[];
  };
  /** Why `ok` is false, one sentence each. */
  readonly problems: readonly string[];
  /** What does not fail the test but deserves a look. */
  readonly warnings: readonly string[];
}

/** The reads: needed whatever the policy allows, since a backup reads every kind of state. */
const READ_ACTIONS: ReadonlySet<string> = new Set(
  RAM_PERMISSION_PROBES.filter((probe) => probe.access === 'read').map((probe) => `ram:${probe.action}`),
);

const KIND_WORDS: Readonly<Record<CleanupKind, string>> = {
  accessKeys: 'access keys',
  policies: 'attached policies',
  groups: 'group memberships',
  loginProfile: 'console logons (login profiles)',
  mfaDevice: 'MFA devices',
};

/**
 * Tests a provisioning (issue 5, item 8): its target's connectivity, and whether the target's
 * native API credentials may do every deprovisioning step the policy calls for — clearing the
 * states `deprovision.cleanup` allows, revoking (on a target without a disabled state, "disable"
 * removes access keys, login profile, policies and groups), and reading and deleting the account
 * itself. Each missing permission is named with what it is needed for, so a misconfiguration is
 * found on day one, not on the day someone leaves.
 */
export async function testProvisioning(
  services: { readonly provisionings: ProvisioningService; readonly targets: TargetService },
  tenantId: string,
  provisioningId: string,
): Promise<ProvisioningTestReport> {
  const provisioning = await services.provisionings.getProvisioning(tenantId, provisioningId);
  const target = await services.targets.getTarget(tenantId, provisioning.targetId);
  const profile = findTargetProfile(target.profile);
  const policy = DeprovisionPolicySchema.parse(provisioning.config.deprovision ?? {});
  const triggers: DeprovisionTrigger[] = ['deleted', 'disabled', 'outOfScope'];
  if (provisioning.config.deletionStrategy === 'Delete') triggers.push('removed');
  const disables = triggers.some((trigger) =>
    ['disable', 'disable-then-delete'].includes(actionFor(policy, trigger)),
  );
  const revokesNatively =
    disables &&
    target.nativeApi !== null &&
    disableMeans({ hasActive: profile?.capabilities.hasActive ?? true, hasNativeApi: true }) ===
      'native-revoke';
  const cleanup = CLEANUP_KINDS.filter((kind) => policy.cleanup.includes(kind));
  const revocation = revokesNatively
    ? CLEANUP_KINDS.filter((kind) => (RAM_REVOCATION_STEPS as readonly string[]).includes(kind))
    : [];
  const needed = CLEANUP_KINDS.filter((kind) => cleanup.includes(kind) || revocation.includes(kind));

  const connectivity = await services.targets.testTarget(
    tenantId,
    target.id,
    provisioning.config.matching?.[0],
    { nativeSteps: needed },
  );
  const native = connectivity.nativeApi;
  const neededFor = (check: RamPermissionCheck): NeededFor[] => {
    const kind = check.step;
    if (kind === 'user') return ['delete'];
    if (READ_ACTIONS.has(check.action)) return ['backup'];
    return [
      ...(cleanup.includes(kind) ? (['cleanup'] as const) : []),
      ...(revocation.includes(kind) ? (['revocation'] as const) : []),
    ];
  };
  const missing = (native?.checks ?? [])
    .filter((check) => check.result === 'missing')
    .map((check): MissingPermission => {
      const purposes = neededFor(check);
      return {
        action: check.action,
        kind: check.step,
        neededFor: purposes,
        message: describeMissing(check, purposes, native?.accessKeyId ?? ''),
      };
    });

  const problems: string[] = [];
  const failedStep = connectivity.steps.find((step) => step.status === 'failed');
  if (failedStep !== undefined)
    problems.push(`The target failed its connectivity test (${failedStep.name}): ${failedStep.message}`);
  if (native !== undefined && native.status !== 'ok' && native.status !== 'missing_permissions')
    problems.push(`The native API could not be checked: ${native.summary}.`);
  problems.push(...missing.map((permission) => permission.message));

  const warnings: string[] = [];
  const hasNativeProfile = profile?.native.api !== undefined;
  if (hasNativeProfile && target.nativeApi === null)
    warnings.push(
      `The target has no native API: a delete ${profile?.title ?? 'the target'} refuses for a special state ` +
        `(${CLEANUP_KINDS.map((kind) => KIND_WORDS[kind]).join(', ')}) stays blocked until someone clears it by hand` +
        (profile?.capabilities.hasActive === false ? ', and "disable" deletes the account instead' : '') +
        '. Configure the native API so Lockstep can finish removals itself.',
    );
  return {
    ok: problems.length === 0 && connectivity.ok && (native === undefined || native.ok),
    provisioningId: provisioning.id,
    targetId: target.id,
    connectivity,
    deprovisioning: {
      cleanup,
      revocation,
      nativeApi: native !== undefined ? 'checked' : hasNativeProfile ? 'none' : 'not-applicable',
      missing,
    },
    problems,
    warnings,
  };
}

/** "The AccessKey LTAI… may not call ram:UnbindMFADevice, which the policy needs to clear MFA devices before a delete: …" */
function describeMissing(
  check: RamPermissionCheck,
  purposes: readonly NeededFor[],
  accessKeyId: string,
): string {
  const kind = check.step;
  const why =
    kind === 'user' || purposes.includes('delete')
      ? 'which every delete needs'
      : purposes.includes('backup')
        ? 'which the backup taken before every delete needs'
        : `which the policy needs to ${purposes
            .map((purpose) =>
              purpose === 'cleanup'
                ? `clear ${KIND_WORDS[kind]} before a delete (deprovision.cleanup allows ${kind})`
                : `revoke ${KIND_WORDS[kind]} when it disables an account (the target has no disabled state)`,
            )
            .join(' and to ')}`;
  const consequence = check.message.replace(/^the AccessKey may not call \S+: /, '');
  const remedy =
    kind === 'user' || !purposes.includes('cleanup')
      ? 'Grant it to the AccessKey.'
      : `Grant it to the AccessKey, or take ${kind} out of deprovision.cleanup.`;
  return `The AccessKey ${accessKeyId} may not call ${check.action}, ${why}: ${consequence}. ${remedy}`;
}
