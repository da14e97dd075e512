/**
 * A RAM user as the emulator keeps it: the four attributes RAM's SCIM endpoint knows, where the user
 * came from, and the dependents RAM's RPC API attaches to it. The dependents are what make RAM refuse
 * a delete (see `find-delete-conflict.ts`); SCIM itself can neither see nor clear them.
 * @see REFERENCE.md §4, §5
 */

/**
 * `scim`: created through SCIM ("Synchronization Type: SCIM User Synchronization" in the console).
 * `console`: created in the console or by the RPC API; such users have no externalId (RAM SCIM guide)
 * and, per the IDaaS support matrix, cannot be changed through SCIM.
 */
export type RamUserSource = 'scim' | 'console';

export interface RamAccessKey {
  /** `LTAI` followed by 20 letters and digits, like RAM's. */
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}

export interface RamPolicyAttachment {
  policyName: string;
  policyType: 'System' | 'Custom';
  attachDate: string;
}

export interface RamGroupMembership {
  groupName: string;
  joinDate: string;
}

export interface RamLoginProfile {
  passwordResetRequired: boolean;
  mfaBindRequired: boolean;
  createDate: string;
}

export interface RamMfaDevice {
  /** `acs:ram::<accountId>:mfa/<userName>` for a virtual device. */
  serialNumber: string;
  type: 'VMFA' | 'U2F';
  activateDate: string;
}

export interface RamUserDependents {
  accessKeys: RamAccessKey[];
  policies: RamPolicyAttachment[];
  groups: RamGroupMembership[];
  loginProfile: RamLoginProfile | null;
  mfaDevice: RamMfaDevice | null;
}

export interface RamUser {
  /** Server-made, numeric, 16 digits (RAM's UserId). */
  id: string;
  /** RAM's UserName: the part before `@` of the logon name; case-insensitively unique. */
  userName: string;
  displayName: string;
  /** Unique and case-sensitive; absent on users not created through SCIM. */
  externalId?: string;
  /** The RPC API's Comments (CreateUser); SCIM has no such attribute. */
  comments?: string;
  source: RamUserSource;
  /** Epoch milliseconds, rendered to the second. */
  created: number;
  lastModified: number;
  dependents: RamUserDependents;
}

export function createEmptyDependents(): RamUserDependents {
  return { accessKeys: [], policies: [], groups: [], loginProfile: null, mfaDevice: null };
}
