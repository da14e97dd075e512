import type { RamUser } from './ram-user.ts';

/** RAM's DeleteUser error codes (HTTP 409), one per kind of dependent. @see REFERENCE.md §5 */
export type DeleteConflictCode =
  | 'DeleteConflict.User.AccessKey'
  | 'DeleteConflict.User.Policy'
  | 'DeleteConflict.User.Group'
  | 'DeleteConflict.User.LoginProfile'
  | 'DeleteConflict.User.MFADevice';

export interface DeleteConflict {
  code: DeleteConflictCode;
  message: string;
}

/**
 * The first dependent that blocks deleting the user, checked in the order a safe cascade clears them
 * (access keys, policies, groups, login profile, MFA device), or undefined when the user may go.
 *
 * The SCIM guide names AccessKeys and policies ("如果RAM用户有关联的AccessKey、RAM Policy等 … 不支持通过
 * SCIM API直接删除"), the IDaaS troubleshooting page names MFA devices, AccessKeys and groups. That the
 * login profile also blocks a SCIM delete is *unverified*: it blocks the RPC DeleteUser, and a careful
 * RAM refuses the same states on both paths.
 */
export function findDeleteConflict(user: RamUser): DeleteConflict | undefined {
  const { accessKeys, policies, groups, loginProfile, mfaDevice } = user.dependents;
  if (accessKeys.length > 0) {
    return {
      code: 'DeleteConflict.User.AccessKey',
      message: `The user has ${accessKeys.length} AccessKey(s); delete them before deleting the user.`,
    };
  }
  if (policies.length > 0) {
    return {
      code: 'DeleteConflict.User.Policy',
      message: `The user has ${policies.length} attached policy(ies); detach them before deleting the user.`,
    };
  }
  if (groups.length > 0) {
    return {
      code: 'DeleteConflict.User.Group',
      message: `The user belongs to ${groups.length} group(s); remove it from them before deleting the user.`,
    };
  }
  if (loginProfile !== null) {
    return {
      code: 'DeleteConflict.User.LoginProfile',
      message: 'The user has a login profile; delete it before deleting the user.',
    };
  }
  if (mfaDevice !== null) {
    return {
      code: 'DeleteConflict.User.MFADevice',
      message: 'The user has an MFA device bound; unbind it before deleting the user.',
    };
  }
  return undefined;
}
