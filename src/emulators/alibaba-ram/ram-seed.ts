import { z } from 'zod';
import { formatRamInstant } from './emulator-clock.ts';
import { generateAccessKeyId } from './ram-identifiers.ts';
import type { RamUserDependents } from './ram-user.ts';

/**
 * What tests may give the emulator directly (in process, or through `POST /_emulator/users`): users
 * as the console or the RPC API would have made them, with their dependents. Shorthands keep test
 * setup short: `accessKeys: 2`, `policies: ['AliyunOSSFullAccess']`, `mfaDevice: true`.
 */
export const RamDependentsSeedSchema = z.strictObject({
  accessKeys: z
    .union([
      z.int().min(0).max(2),
      z.array(
        z.strictObject({
          accessKeyId: z.string().min(1).optional(),
          status: z.enum(['Active', 'Inactive']).optional(),
        }),
      ),
    ])
    .optional(),
  policies: z
    .array(
      z.union([
        z.string().min(1),
        z.strictObject({
          policyName: z.string().min(1),
          policyType: z.enum(['System', 'Custom']).optional(),
        }),
      ]),
    )
    .optional(),
  groups: z.array(z.string().min(1)).optional(),
  loginProfile: z
    .union([
      z.boolean(),
      z.strictObject({
        passwordResetRequired: z.boolean().optional(),
        mfaBindRequired: z.boolean().optional(),
      }),
    ])
    .optional(),
  mfaDevice: z
    .union([
      z.boolean(),
      z.strictObject({
        serialNumber: z.string().min(1).optional(),
        type: z.enum(['VMFA', 'U2F']).optional(),
      }),
    ])
    .optional(),
});

/**
 * Every special state RAM knows at once, the worst case for a delete: an AccessKey, a system and a
 * custom policy, a group, a login profile and a bound virtual MFA device. DeleteUser then refuses
 * with each DeleteConflict.User.* code in turn as they are cleared.
 */
export const EVERY_SPECIAL_STATE = {
  accessKeys: 1,
  policies: ['AliyunOSSReadOnlyAccess', { policyName: 'lockstep-test-custom', policyType: 'Custom' }],
  groups: ['lockstep-test-group'],
  loginProfile: { passwordResetRequired: true },
  mfaDevice: true,
} as const satisfies z.input<typeof RamDependentsSeedSchema>;

export const RamUserSeedSchema = z.strictObject({
  userName: z.string(),
  /** Defaults to the userName. */
  displayName: z.string().optional(),
  externalId: z.string().min(1).optional(),
  /** Defaults to `console`: a user that existed before provisioning started. */
  source: z.enum(['scim', 'console']).optional(),
  /** `"every"`: `EVERY_SPECIAL_STATE`. */
  dependents: z
    .union([
      RamDependentsSeedSchema,
      z.literal('every').transform(() => RamDependentsSeedSchema.parse(EVERY_SPECIAL_STATE)),
    ])
    .optional(),
});

export type RamDependentsSeed = z.infer<typeof RamDependentsSeedSchema>;
export type RamUserSeed = z.infer<typeof RamUserSeedSchema>;

/** The kinds of dependent, as named in seeds and in `clearDependents`. */
export const DEPENDENT_KINDS = ['accessKeys', 'policies', 'groups', 'loginProfile', 'mfaDevice'] as const;
export type DependentKind = (typeof DEPENDENT_KINDS)[number];

/**
 * Adds the seeded dependents to `dependents` (in place). RAM allows at most two AccessKeys per user;
 * the emulator holds seeds to the same limit so tests cannot build a state RAM never has.
 */
export function addSeededDependents(
  dependents: RamUserDependents,
  seed: RamDependentsSeed,
  context: { now: number; accountId: string; userName: string },
): void {
  const date = formatRamInstant(context.now);
  const keys: { accessKeyId?: string | undefined; status?: 'Active' | 'Inactive' | undefined }[] =
    typeof seed.accessKeys === 'number'
      ? Array.from({ length: seed.accessKeys }, () => ({}))
      : (seed.accessKeys ?? []);
  if (dependents.accessKeys.length + keys.length > 2) {
    throw new RangeError(`A RAM user has at most 2 AccessKeys (${context.userName} would have more)`);
  }
  for (const key of keys) {
    dependents.accessKeys.push({
      accessKeyId: key.accessKeyId ?? generateAccessKeyId(),
      status: key.status ?? 'Active',
      createDate: date,
    });
  }
  for (const policy of seed.policies ?? []) {
    const { policyName, policyType = 'System' } =
      typeof policy === 'string' ? { policyName: policy } : policy;
    if (!dependents.policies.some((known) => known.policyName === policyName)) {
      dependents.policies.push({ policyName, policyType, attachDate: date });
    }
  }
  for (const groupName of seed.groups ?? []) {
    if (!dependents.groups.some((known) => known.groupName === groupName)) {
      dependents.groups.push({ groupName, joinDate: date });
    }
  }
  if (seed.loginProfile !== undefined && seed.loginProfile !== false) {
    const profile = seed.loginProfile === true ? {} : seed.loginProfile;
    dependents.loginProfile = {
      passwordResetRequired: profile.passwordResetRequired ?? false,
      mfaBindRequired: profile.mfaBindRequired ?? false,
      createDate: date,
    };
  }
  if (seed.mfaDevice !== undefined && seed.mfaDevice !== false) {
    const device = seed.mfaDevice === true ? {} : seed.mfaDevice;
    dependents.mfaDevice = {
      serialNumber: device.serialNumber ?? `acs:ram::${context.accountId}:mfa/${context.userName}`,
      type: device.type ?? 'VMFA',
      activateDate: date,
    };
  }
}

/** Removes the named kinds of dependent (all when none are named), in place. */
export function clearDependents(dependents: RamUserDependents, kinds: readonly DependentKind[]): void {
  const cleared = kinds.length === 0 ? DEPENDENT_KINDS : kinds;
  for (const kind of cleared) {
    if (kind === 'loginProfile' || kind === 'mfaDevice') dependents[kind] = null;
    else dependents[kind] = [];
  }
}
