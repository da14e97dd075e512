/**
 * What clears each reason RAM's DeleteUser gives for refusing (HTTP 409), in the order a safe
 * cascade runs them: access keys, policies, groups, login profile, MFA device, then DeleteUser.
 * @see REFERENCE.md §5
 */
export const DELETE_CONFLICT_STEPS = [
  {
    code: 'DeleteConflict.User.AccessKey',
    step: 'accessKeys',
    clearWith: 'ListAccessKeys → DeleteAccessKey',
  },
  {
    code: 'DeleteConflict.User.Policy',
    step: 'policies',
    clearWith: 'ListPoliciesForUser → DetachPolicyFromUser',
  },
  { code: 'DeleteConflict.User.Group', step: 'groups', clearWith: 'ListGroupsForUser → RemoveUserFromGroup' },
  { code: 'DeleteConflict.User.LoginProfile', step: 'loginProfile', clearWith: 'DeleteLoginProfile' },
  {
    code: 'DeleteConflict.User.MFADevice',
    step: 'mfaDevice',
    clearWith: 'UnbindMFADevice (→ DeleteVirtualMFADevice)',
  },
] as const;

export type DeleteConflictCode = (typeof DELETE_CONFLICT_STEPS)[number]['code'];
export type RamCleanupStep = (typeof DELETE_CONFLICT_STEPS)[number]['step'];

/** The cleanup step a DeleteConflict code asks for; undefined for a code RAM did not document. */
export function findDeleteConflictStep(code: string | undefined): RamCleanupStep | undefined {
  return DELETE_CONFLICT_STEPS.find((entry) => entry.code === code)?.step;
}
