import { RamRpcError } from './ram-rpc-error.ts';
import { type RpcAction, type RpcContext, refuse, unwrap } from './rpc-action-context.ts';

/**
 * Groups and membership, policies and their attachment to users. Memberships and attachments block
 * DeleteUser (DeleteConflict.User.Group / .Policy). Codes for "not a member" / "not attached" are
 * *unverified*.
 */
export const RPC_GROUP_POLICY_ACTIONS: Record<string, RpcAction> = {
  CreateGroup({ state, params }) {
    const groupName = params.required('GroupName');
    if (!/^[\w.-]{1,64}$/.test(groupName)) {
      throw new RamRpcError(400, 'InvalidParameter.GroupName', 'The GroupName is invalid.');
    }
    const group = state.catalog.createGroup(groupName, params.optional('Comments'));
    if (group === undefined)
      throw new RamRpcError(409, 'EntityAlreadyExists.Group', 'The group does already exist.');
    return {
      Group: {
        GroupId: group.groupId,
        GroupName: group.groupName,
        Comments: group.comments,
        CreateDate: group.createDate,
      },
    };
  },

  ListGroups: ({ state }) => ({
    IsTruncated: false,
    Groups: {
      Group: state.catalog.listGroups().map((group) => ({
        GroupId: group.groupId,
        GroupName: group.groupName,
        Comments: group.comments,
        CreateDate: group.createDate,
      })),
    },
  }),

  AddUserToGroup({ state, params, requireUser, now }) {
    const user = requireUser();
    const group = requireGroup(state, params.required('GroupName'));
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        if (dependents.groups.some((member) => sameName(member.groupName, group.groupName))) {
          return refuse(409, 'EntityAlreadyExists.User.Group', 'The user is already in the group.');
        }
        dependents.groups.push({ groupName: group.groupName, joinDate: now() });
        return { ok: true, value: undefined };
      }),
      user.userName,
    );
    return {};
  },

  RemoveUserFromGroup({ state, params, requireUser }) {
    const user = requireUser();
    const group = requireGroup(state, params.required('GroupName'));
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        const index = dependents.groups.findIndex((member) => sameName(member.groupName, group.groupName));
        if (index < 0) return refuse(404, 'EntityNotExist.User.Group', 'The user is not in the group.');
        dependents.groups.splice(index, 1);
        return { ok: true, value: undefined };
      }),
      user.userName,
    );
    return {};
  },

  ListGroupsForUser({ state, requireUser }) {
    const memberships = requireUser().dependents.groups;
    return {
      Groups: {
        Group: memberships.map((member) => {
          const group = state.catalog.findGroup(member.groupName);
          return {
            GroupName: member.groupName,
            GroupId: group?.groupId ?? '',
            Comments: group?.comments ?? '',
            JoinDate: member.joinDate,
          };
        }),
      },
    };
  },

  CreatePolicy({ state, params }) {
    const policyName = params.required('PolicyName');
    const document = params.required('PolicyDocument');
    try {
      JSON.parse(document);
    } catch {
      throw new RamRpcError(400, 'MalformedPolicyDocument', 'The policy document is not valid JSON.');
    }
    const policy = state.catalog.createPolicy(policyName, params.optional('Description'));
    if (policy === undefined)
      throw new RamRpcError(409, 'EntityAlreadyExists.Policy', 'The policy does already exist.');
    return {
      Policy: {
        PolicyName: policy.policyName,
        PolicyType: policy.policyType,
        Description: policy.description,
        DefaultVersion: policy.defaultVersion,
        CreateDate: policy.createDate,
      },
    };
  },

  AttachPolicyToUser({ state, params, requireUser, now }) {
    const policy = requirePolicy(state, params);
    const user = requireUser();
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        if (dependents.policies.some((known) => isPolicy(known, policy))) {
          return refuse(
            409,
            'EntityAlreadyExists.User.Policy',
            'The policy is already attached to the user.',
          );
        }
        dependents.policies.push({
          policyName: policy.policyName,
          policyType: policy.policyType,
          attachDate: now(),
        });
        return { ok: true, value: undefined };
      }),
      user.userName,
    );
    return {};
  },

  DetachPolicyFromUser({ state, params, requireUser }) {
    const policy = requirePolicy(state, params);
    const user = requireUser();
    unwrap(
      state.directory.updateDependents(user.id, (dependents) => {
        const index = dependents.policies.findIndex((known) => isPolicy(known, policy));
        if (index < 0)
          return refuse(404, 'EntityNotExist.User.Policy', 'The policy is not attached to the user.');
        dependents.policies.splice(index, 1);
        return { ok: true, value: undefined };
      }),
      user.userName,
    );
    return {};
  },

  ListPoliciesForUser({ state, requireUser }) {
    const attached = requireUser().dependents.policies;
    return {
      Policies: {
        Policy: attached.map((attachment) => {
          const policy = state.catalog.findPolicy(attachment.policyName, attachment.policyType);
          return {
            PolicyName: attachment.policyName,
            PolicyType: attachment.policyType,
            Description: policy?.description ?? '',
            DefaultVersion: policy?.defaultVersion ?? 'v1',
            AttachDate: attachment.attachDate,
          };
        }),
      },
    };
  },
};

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function isPolicy(
  known: { policyName: string; policyType: string },
  policy: { policyName: string; policyType: string },
): boolean {
  return known.policyType === policy.policyType && sameName(known.policyName, policy.policyName);
}

function requireGroup(state: RpcContext['state'], groupName: string) {
  const group = state.catalog.findGroup(groupName);
  if (group === undefined) throw new RamRpcError(404, 'EntityNotExist.Group', 'The group does not exist.');
  return group;
}

function requirePolicy(state: RpcContext['state'], params: RpcContext['params']) {
  const policyType = params.required('PolicyType');
  if (policyType !== 'System' && policyType !== 'Custom') {
    throw new RamRpcError(400, 'InvalidParameter.PolicyType', 'PolicyType must be System or Custom.');
  }
  const policy = state.catalog.findPolicy(params.required('PolicyName'), policyType);
  if (policy === undefined) throw new RamRpcError(404, 'EntityNotExist.Policy', 'The policy does not exist.');
  return policy;
}
