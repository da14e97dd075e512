import { createGroupRepository } from '../../directory/group-repository.ts';
import { createUserRepository } from '../../directory/user-repository.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { DirectoryUser } from './compiled-provisioning.ts';
import { readOrgUnitPaths } from './read-org-unit-paths.ts';
import type { DirectoryGroup } from './reconcile-group.ts';

const MAX_NESTING = 32;
const READ_CHUNK = 500;

/** Reads users the way the engine needs them: the document with its id, and every group it is in, nested ones included. */
export function createDirectoryReader(storage: Storage) {
  const users = createUserRepository(storage.db, storage.dialect);
  const groups = createGroupRepository(storage.db, storage.dialect);

  async function transitiveGroups(tenantId: string, memberId: string): Promise<string[]> {
    const seen = new Set<string>();
    let frontier = [memberId];
    for (let depth = 0; depth < MAX_NESTING && frontier.length > 0; depth++) {
      const rows = await storage.db
        .selectFrom('group_members')
        .select('group_id')
        .where('tenant_id', '=', tenantId)
        .where('member_id', 'in', frontier)
        .execute();
      frontier = [];
      for (const { group_id } of rows) {
        if (seen.has(group_id)) continue;
        seen.add(group_id);
        frontier.push(group_id);
      }
    }
    return [...seen];
  }

  return {
    /** The user; its groups (nested ones included) only when asked, as a scope on groups needs them. */
    async readUser(
      tenantId: string,
      id: string,
      /** `orgUnits`: read where the user is placed (unless false), for a scope on org units. */
      options: { groups?: boolean; orgUnits?: boolean } = { groups: true },
    ): Promise<DirectoryUser | undefined> {
      const record = await users.findById(tenantId, id);
      if (record === undefined) return undefined;
      return {
        id,
        doc: { ...record.doc, id },
        groupIds: options.groups === false ? [] : await transitiveGroups(tenantId, id),
        ...(options.orgUnits === false
          ? {}
          : { orgUnitPaths: (await readOrgUnitPaths(storage.db, tenantId, [id])).get(id) ?? [] }),
      };
    },

    /** Many users at once (a page of a full push), by id; a missing id is a user that is gone. */
    async readUsers(
      tenantId: string,
      ids: readonly string[],
      options: { groups?: boolean; orgUnits?: boolean } = { groups: true },
    ): Promise<Map<string, DirectoryUser>> {
      const found = new Map<string, DirectoryUser>();
      for (let start = 0; start < ids.length; start += READ_CHUNK) {
        const rows = await storage.db
          .selectFrom('users')
          .select(['id', 'doc'])
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids.slice(start, start + READ_CHUNK))
          .execute();
        for (const row of rows) {
          const doc = storage.dialect.decodeJson(row.doc) as Record<string, unknown>;
          found.set(row.id, {
            id: row.id,
            doc: { ...doc, id: row.id },
            groupIds: options.groups === false ? [] : await transitiveGroups(tenantId, row.id),
          });
        }
      }
      if (options.orgUnits !== false) {
        const paths = await readOrgUnitPaths(storage.db, tenantId, [...found.keys()]);
        for (const [id, user] of found) found.set(id, { ...user, orgUnitPaths: paths.get(id) ?? [] });
      }
      return found;
    },

    async readGroup(tenantId: string, id: string): Promise<DirectoryGroup | undefined> {
      const record = await groups.findById(tenantId, id);
      if (record === undefined) return undefined;
      const members = await storage.db
        .selectFrom('group_members')
        .select(['member_id', 'member_type'])
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', id)
        .execute();
      return {
        id,
        doc: { ...record.doc, id },
        members: members.map((member) => ({ id: member.member_id, type: member.member_type })),
      };
    },

    /** The groups a user or group is directly in. */
    async directGroupsOf(tenantId: string, memberId: string): Promise<string[]> {
      const rows = await storage.db
        .selectFrom('group_members')
        .select('group_id')
        .where('tenant_id', '=', tenantId)
        .where('member_id', '=', memberId)
        .execute();
      return rows.map((row) => row.group_id);
    },

    async listGroupIds(tenantId: string, after: string, limit: number): Promise<string[]> {
      const rows = await storage.db
        .selectFrom('groups')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },

    /** User ids of a tenant in id order, a page at a time (full push). */
    async listUserIds(tenantId: string, after: string, limit: number): Promise<string[]> {
      const rows = await storage.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },
  };
}

export type DirectoryReader = ReturnType<typeof createDirectoryReader>;
