import { z } from 'zod';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import type { RamOpenapiError, RamOpenapiResult } from './ram-openapi-error.ts';

/**
 * A RAM user and its dependents as RAM reports them, taken before any destructive step: what the
 * engine stores as the backup, what `clear` and `revoke` work from and what `restoreDependents`
 * re-adds. Plain JSON, versioned; AccessKey secrets and passwords are never in it (RAM never shows
 * them again, and the schema keeps only the fields below).
 */
export const RamAccountSnapshotSchema = z.object({
  kind: z.literal('alibaba-ram'),
  version: z.literal(1),
  /** ISO 8601, when the snapshot was read. */
  takenAt: z.string(),
  user: z.object({
    userId: z.string(),
    userName: z.string(),
    displayName: z.string().optional(),
    comments: z.string().optional(),
    createDate: z.string().optional(),
  }),
  accessKeys: z.array(
    z.object({ accessKeyId: z.string(), status: z.string(), createDate: z.string().optional() }),
  ),
  policies: z.array(
    z.object({
      policyName: z.string(),
      policyType: z.enum(['System', 'Custom']),
      attachDate: z.string().optional(),
    }),
  ),
  groups: z.array(z.object({ groupName: z.string(), joinDate: z.string().optional() })),
  /** The console logon's settings (never the password); null when the user has none. */
  loginProfile: z
    .object({
      passwordResetRequired: z.boolean().optional(),
      mfaBindRequired: z.boolean().optional(),
      createDate: z.string().optional(),
    })
    .nullable(),
  /** `VMFA` (virtual) or `U2F`; null when no device is bound. */
  mfaDevice: z.object({ serialNumber: z.string(), type: z.string().optional() }).nullable(),
});

export type RamAccountSnapshot = z.infer<typeof RamAccountSnapshotSchema>;

/** What `inspect` found: the user with its dependents, or no such user (EntityNotExist.User). */
export type RamInspection =
  | { readonly status: 'present'; readonly snapshot: RamAccountSnapshot }
  | { readonly status: 'absent' };

/** RAM's answer that the user itself does not exist. */
export function isUserAbsent(error: RamOpenapiError): boolean {
  return error.code === 'EntityNotExist.User';
}

/**
 * Reads the user and its dependents (six reads at once: one round trip's time). A user that goes
 * away between the reads is `absent`, as is one that never was.
 */
export async function takeRamAccountSnapshot(
  client: RamOpenapiClient,
  userName: string,
  now: () => Date = () => new Date(),
): Promise<RamOpenapiResult<RamInspection>> {
  const takenAt = now().toISOString();
  const answers = await Promise.all([
    client.getUser(userName),
    client.listAccessKeys(userName),
    client.listPoliciesForUser(userName),
    client.listGroupsForUser(userName),
    client.getLoginProfile(userName),
    client.getUserMfaInfo(userName),
  ] as const);
  if (answers.some((answer) => !answer.ok && isUserAbsent(answer.error)))
    return { ok: true, value: { status: 'absent' } };
  const read = collectRamResults(answers);
  if (!read.ok) return read;
  const [user, accessKeys, policies, groups, loginProfile, mfaDevice] = read.value;
  const snapshot: RamAccountSnapshot = {
    kind: 'alibaba-ram',
    version: 1,
    takenAt,
    user: pick(user, ['userId', 'userName', 'displayName', 'comments', 'createDate']),
    accessKeys: accessKeys.map((key) => pick(key, ['accessKeyId', 'status', 'createDate'])),
    policies: policies.map((policy) => pick(policy, ['policyName', 'policyType', 'attachDate'])),
    groups: groups.map((group) => pick(group, ['groupName', 'joinDate'])),
    loginProfile:
      loginProfile === null
        ? null
        : pick(
            {
              passwordResetRequired: loginProfile.passwordResetRequired,
              mfaBindRequired: loginProfile.MFABindRequired,
              createDate: loginProfile.createDate,
            },
            ['passwordResetRequired', 'mfaBindRequired', 'createDate'],
          ),
    mfaDevice: mfaDevice === null ? null : pick(mfaDevice, ['serialNumber', 'type']),
  };
  return { ok: true, value: { status: 'present', snapshot } };
}

type Values<T extends readonly RamOpenapiResult<unknown>[]> = {
  -readonly [K in keyof T]: T[K] extends RamOpenapiResult<infer V> ? V : never;
};

/** The values of results read together, or the first failure among them. */
export function collectRamResults<const T extends readonly RamOpenapiResult<unknown>[]>(
  results: T,
): RamOpenapiResult<Values<T>> {
  for (const result of results) if (!result.ok) return result;
  return { ok: true, value: results.map((result) => (result as { value: unknown }).value) as Values<T> };
}

/** Only the named fields that are set: the snapshot holds what Lockstep chose to keep, nothing more. */
function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) picked[key] = value[key];
  return picked as Pick<T, K>;
}
