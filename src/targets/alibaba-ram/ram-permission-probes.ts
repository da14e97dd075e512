import type { RamCleanupStep } from './delete-conflict-steps.ts';
import type { RamOpenapiClient } from './ram-openapi-client.ts';
import type { RamOpenapiResult } from './ram-openapi-error.ts';

/** Names that cannot exist in RAM, so that no probe can change anything. */
export interface RamProbeNames {
  /** A RAM user name, e.g. `lockstep-permission-probe-3f9c…`. */
  readonly userName: string;
  /** The AccessKey, group, custom policy and MFA device the writes name: none of them exists either. */
  readonly accessKeyId: string;
  readonly groupName: string;
  readonly policyName: string;
  /** A virtual MFA device serial, `acs:ram::<accountId>:mfa/<name>`. */
  readonly serialNumber: string;
}

/**
 * One RAM action Lockstep needs, called against names that do not exist. RAM authorizes an action
 * before it looks the user up, so `EntityNotExist.*` proves the permission and `NoPermission` its
 * absence, while nothing is changed.
 */
export interface RamPermissionProbe {
  /** The RPC action, e.g. `UnbindMFADevice`; the policy action is `ram:<action>`. */
  readonly action: string;
  /** The cleanup step that needs it; `user` for reading and deleting the user itself. */
  readonly step: RamCleanupStep | 'user';
  /** Reads are needed whatever the policy allows (backups, verifying a user is gone). */
  readonly access: 'read' | 'write';
  /** What Lockstep cannot do without the permission, in plain words. */
  readonly withoutIt: string;
  call(client: RamOpenapiClient, names: RamProbeNames): Promise<RamOpenapiResult<unknown>>;
}

/**
 * Every action of a RAM deprovisioning, in the cascade's order (REFERENCE.md §5): read the user,
 * then per step its read and its writes, then DeleteUser.
 */
export const RAM_PERMISSION_PROBES: readonly RamPermissionProbe[] = [
  {
    action: 'GetUser',
    step: 'user',
    access: 'read',
    withoutIt: 'RAM users cannot be read, so a delete cannot be verified',
    call: (client, names) => client.getUser(names.userName),
  },
  {
    action: 'ListAccessKeys',
    step: 'accessKeys',
    access: 'read',
    withoutIt: "a user's access keys cannot be listed, so they can be neither backed up nor deleted",
    call: (client, names) => client.listAccessKeys(names.userName),
  },
  {
    action: 'DeleteAccessKey',
    step: 'accessKeys',
    access: 'write',
    withoutIt: 'access keys cannot be deleted automatically',
    call: (client, names) => client.deleteAccessKey(names.userName, names.accessKeyId),
  },
  {
    action: 'ListPoliciesForUser',
    step: 'policies',
    access: 'read',
    withoutIt: "a user's policies cannot be listed, so they can be neither backed up nor detached",
    call: (client, names) => client.listPoliciesForUser(names.userName),
  },
  {
    action: 'DetachPolicyFromUser',
    step: 'policies',
    access: 'write',
    withoutIt: 'policies cannot be detached automatically',
    call: (client, names) =>
      client.detachPolicyFromUser(names.userName, { policyName: names.policyName, policyType: 'Custom' }),
  },
  {
    action: 'ListGroupsForUser',
    step: 'groups',
    access: 'read',
    withoutIt: "a user's groups cannot be listed, so memberships can be neither backed up nor removed",
    call: (client, names) => client.listGroupsForUser(names.userName),
  },
  {
    action: 'RemoveUserFromGroup',
    step: 'groups',
    access: 'write',
    withoutIt: 'group memberships cannot be removed automatically',
    call: (client, names) => client.removeUserFromGroup(names.userName, names.groupName),
  },
  {
    action: 'GetLoginProfile',
    step: 'loginProfile',
    access: 'read',
    withoutIt: "a user's console logon cannot be read, so it cannot be backed up",
    call: (client, names) => client.getLoginProfile(names.userName),
  },
  {
    action: 'DeleteLoginProfile',
    step: 'loginProfile',
    access: 'write',
    withoutIt: 'console logons (login profiles) cannot be deleted automatically',
    call: (client, names) => client.deleteLoginProfile(names.userName),
  },
  {
    action: 'GetUserMFAInfo',
    step: 'mfaDevice',
    access: 'read',
    withoutIt: "a user's MFA device cannot be read, so it cannot be backed up",
    call: (client, names) => client.getUserMfaInfo(names.userName),
  },
  {
    action: 'UnbindMFADevice',
    step: 'mfaDevice',
    access: 'write',
    withoutIt: 'MFA devices cannot be cleared automatically',
    call: (client, names) => client.unbindMfaDevice(names.userName),
  },
  {
    action: 'DeleteVirtualMFADevice',
    step: 'mfaDevice',
    access: 'write',
    withoutIt: 'unbound virtual MFA devices would be left behind in the account',
    call: (client, names) => client.deleteVirtualMfaDevice(names.serialNumber),
  },
  {
    action: 'DeleteUser',
    step: 'user',
    access: 'write',
    withoutIt: 'RAM users cannot be deleted',
    call: (client, names) => client.deleteUser(names.userName),
  },
];
