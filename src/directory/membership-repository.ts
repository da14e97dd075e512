import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { SqlDialect } from '../storage/sql-dialect.ts';
import { chunks } from './chunks.ts';
import { isStorableText } from './storable-text.ts';

export type MemberType = 'User' | 'Group';

export interface MemberRow {
  readonly value: string;
  readonly type: MemberType;
  /** A user's displayName (else userName), a group's displayName. */
  readonly display: string | undefined;
}

/**
 * Group membership rows. Every change is a set operation on rows, so adding or removing one member
 * of a 100,000-member group reads and writes one row, never the list.
 */
export function createMembershipRepository(db: Kysely<DatabaseSchema>, dialect: SqlDialect) {
  const userDisplay = dialect.jsonText(sql.raw('u.doc'), ['displayName']);
  return {
    async add(
      tenantId: string,
      groupId: string,
      members: readonly { value: string; type: MemberType }[],
    ): Promise<number> {
      let added = 0;
      for (const part of chunks(members, 500)) {
        const result = await db
          .insertInto('group_members')
          .values(
            part.map((m) => ({
              tenant_id: tenantId,
              group_id: groupId,
              member_id: m.value,
              member_type: m.type,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return added;
    },

    async remove(tenantId: string, groupId: string, memberIds: readonly string[]): Promise<number> {
      let removed = 0;
      for (const part of chunks(memberIds.filter(isStorableText))) {
        const result = await db
          .deleteFrom('group_members')
          .where('tenant_id', '=', tenantId)
          .where('group_id', '=', groupId)
          .where('member_id', 'in', part)
          .executeTakeFirst();
        removed += Number(result.numDeletedRows);
      }
      return removed;
    },

    async removeAll(tenantId: string, groupId: string): Promise<number> {
      const result = await db
        .deleteFrom('group_members')
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Removes a deleted user or group from every group; returns the groups that changed. */
    async removeMemberEverywhere(tenantId: string, memberId: string): Promise<string[]> {
      const rows = await db
        .deleteFrom('group_members')
        .where('tenant_id', '=', tenantId)
        .where('member_id', '=', memberId)
        .returning('group_id')
        .execute();
      return rows.map((row) => row.group_id);
    },

    async list(tenantId: string, groupId: string): Promise<MemberRow[]> {
      const result = await sql<{ value: string; type: MemberType; display: string | null }>`
        select m.member_id as value, m.member_type as type,
          coalesce(${userDisplay}, u.user_name, g.display_name) as display
        from group_members m
        left join users u on m.member_type = 'User' and u.tenant_id = m.tenant_id and u.id = m.member_id
        left join groups g on m.member_type = 'Group' and g.tenant_id = m.tenant_id and g.id = m.member_id
        where m.tenant_id = ${tenantId} and m.group_id = ${groupId}
        order by m.member_id`.execute(db);
      return result.rows.map((row) => ({
        value: row.value,
        type: row.type,
        display: row.display ?? undefined,
      }));
    },

    /** Direct groups of each user, for `User.groups`. */
    async groupsOf(
      tenantId: string,
      userIds: readonly string[],
    ): Promise<Map<string, { value: string; display: string }[]>> {
      const byUser = new Map<string, { value: string; display: string }[]>();
      for (const part of chunks(userIds)) {
        const rows = await db
          .selectFrom('group_members as m')
          .innerJoin('groups as g', (join) =>
            join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.group_id'),
          )
          .select(['m.member_id as memberId', 'g.id as value', 'g.display_name as display'])
          .where('m.tenant_id', '=', tenantId)
          .where('m.member_id', 'in', part)
          .orderBy('m.group_id')
          .execute();
        for (const row of rows) {
          const list = byUser.get(row.memberId) ?? [];
          list.push({ value: row.value, display: row.display });
          byUser.set(row.memberId, list);
        }
      }
      return byUser;
    },
  };
}

export type MembershipRepository = ReturnType<typeof createMembershipRepository>;
