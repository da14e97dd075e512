import { badRequest } from '../scim/errors.ts';
import type { GroupRepository } from './group-repository.ts';
import type { MemberType } from './membership-repository.ts';
import type { UserRepository } from './user-repository.ts';

export interface MemberReference {
  readonly value: string;
  readonly type?: MemberType;
}

/**
 * Checks that every member exists in the tenant as the type given (or finds its type) and is not the
 * group itself. 400 `invalidValue` names the first offending member.
 */
export async function resolveMembers(
  repositories: { users: UserRepository; groups: GroupRepository },
  tenantId: string,
  groupId: string,
  members: readonly MemberReference[],
): Promise<{ value: string; type: MemberType }[]> {
  const unique = [...new Map(members.map((member) => [member.value, member])).values()];
  const ids = unique.map((member) => member.value);
  const users = await repositories.users.existingIds(tenantId, ids);
  const groups = await repositories.groups.existingIds(tenantId, ids);
  const resolved: { value: string; type: MemberType }[] = [];
  for (const member of unique) {
    const type: MemberType | undefined = users.has(member.value)
      ? 'User'
      : groups.has(member.value)
        ? 'Group'
        : undefined;
    if (type === undefined)
      throw badRequest('invalidValue', `Member "${member.value}" is not a user or group of this tenant`);
    if (member.type !== undefined && member.type !== type) {
      throw badRequest('invalidValue', `Member "${member.value}" is a ${type}, not a ${member.type}`);
    }
    // Nested groups may form cycles (RFC 7644 §3.7.2's bulk example has two groups containing each
    // other); membership is stored as direct edges, so cycles are harmless. A group in itself is not.
    if (member.value === groupId)
      throw badRequest('invalidValue', `Group "${groupId}" cannot be a member of itself`);
    resolved.push({ value: member.value, type });
  }
  return resolved;
}
