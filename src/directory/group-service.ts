import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import { notFound, ScimError } from '../scim/errors.ts';
import { assertIfMatch } from '../scim/etag.ts';
import { evaluateElementFilter } from '../scim/filter/evaluate-filter.ts';
import { applyPatchOperations } from '../scim/patch/apply-patch-operations.ts';
import { parsePatchRequest } from '../scim/patch/parse-patch-request.ts';
import type { MemberChange } from '../scim/patch/patch-operation.ts';
import { planMemberPatch } from '../scim/patch/plan-member-patch.ts';
import { assertImmutableUnchanged } from '../scim/resource/assert-immutable-unchanged.ts';
import { normalizeResource } from '../scim/resource/normalize-resource.ts';
import { getResourceType, resolveAttribute } from '../scim/schema/schema-registry.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { Storage } from '../storage/open-storage.ts';
import { recordDirectoryChanges } from './directory-changes.ts';
import { createGroupRepository, type GroupRecord } from './group-repository.ts';
import { resolveMembers } from './member-validation.ts';
import { createMembershipRepository } from './membership-repository.ts';
import type { ResourceQuery } from './sql/query-resources.ts';
import { withUniqueness } from './unique-conflict.ts';
import { createUserRepository } from './user-repository.ts';
import type { WriteOptions } from './write-options.ts';

const GROUP = getResourceType('Group');
const MEMBERS = resolveAttribute(GROUP, { name: 'members' })!.definition;
const MAX_WRITE_ATTEMPTS = 5;

const describeConflict = (doc: Record<string, unknown>) => () =>
  `displayName "${String(doc.displayName)}" is already taken by another group in this tenant (case-insensitively)`;

/**
 * Groups of the directory. Members are rows: a PATCH that adds or removes members turns into row
 * inserts and deletes plus a version bump, never a read or rewrite of the member list.
 */
export function createGroupService(storage: Storage) {
  const { db, dialect } = storage;
  const groups = createGroupRepository(db, dialect);
  const repositoriesOf = (executor: Kysely<DatabaseSchema>) => ({
    users: createUserRepository(executor, dialect),
    groups: createGroupRepository(executor, dialect),
    memberships: createMembershipRepository(executor, dialect),
  });

  const requireGroup = async (tenantId: string, id: string): Promise<GroupRecord> => {
    const record = await groups.findById(tenantId, id);
    if (record === undefined) throw notFound(`Group ${id} not found`);
    return record;
  };

  const applyMemberChanges = async (
    executor: Kysely<DatabaseSchema>,
    tenantId: string,
    groupId: string,
    changes: readonly MemberChange[],
    baseUrl: string,
  ): Promise<number> => {
    const repositories = repositoriesOf(executor);
    const { memberships } = repositories;
    let changed = 0;
    for (const change of changes) {
      switch (change.kind) {
        case 'add':
          changed += await memberships.add(
            tenantId,
            groupId,
            await resolveMembers(repositories, tenantId, groupId, change.members),
          );
          break;
        case 'remove':
          changed += await memberships.remove(tenantId, groupId, change.values);
          break;
        case 'removeAll':
          changed += await memberships.removeAll(tenantId, groupId);
          break;
        case 'replaceAll': {
          const wanted = await resolveMembers(repositories, tenantId, groupId, change.members);
          changed += await replaceMembers(executor, tenantId, groupId, wanted);
          break;
        }
        case 'removeWhere': {
          // A filter other than `value eq`: the rare case that has to look at the member list.
          const matched = (await memberships.list(tenantId, groupId))
            .filter((member) =>
              evaluateElementFilter(
                change.filter,
                { ...member, $ref: `${baseUrl}/${member.type}s/${member.value}` },
                MEMBERS,
              ),
            )
            .map((member) => member.value);
          changed += await memberships.remove(tenantId, groupId, matched);
          break;
        }
      }
    }
    return changed;
  };

  /** Sets the member list to `wanted` by difference, so an unchanged member is not rewritten. */
  const replaceMembers = async (
    executor: Kysely<DatabaseSchema>,
    tenantId: string,
    groupId: string,
    wanted: readonly { value: string; type: 'User' | 'Group' }[],
  ): Promise<number> => {
    const memberships = createMembershipRepository(executor, dialect);
    const current = new Set((await memberships.list(tenantId, groupId)).map((member) => member.value));
    const wantedIds = new Set(wanted.map((member) => member.value));
    const removed = await memberships.remove(
      tenantId,
      groupId,
      [...current].filter((id) => !wantedIds.has(id)),
    );
    const added = await memberships.add(
      tenantId,
      groupId,
      wanted.filter((member) => !current.has(member.value)),
    );
    return removed + added;
  };

  /** Optimistic read–modify–write of the group row; member rows change inside the same transaction. */
  const modify = async (
    tenantId: string,
    id: string,
    ifMatch: string | undefined,
    change: (current: GroupRecord, executor: Kysely<DatabaseSchema>) => Promise<GroupChange>,
  ): Promise<GroupRecord> => {
    for (let attempt = 1; ; attempt++) {
      const current = await requireGroup(tenantId, id);
      assertIfMatch(ifMatch, current.version);
      let attempted = current.doc;
      const next = await withUniqueness(
        dialect,
        () => describeConflict(attempted)(),
        () =>
          storage.write(async (trx) => {
            const { doc, membersChanged } = await change(current, trx);
            attempted = doc;
            // Nothing changed (a member added twice, a value set to itself): the version stays.
            if (membersChanged === 0 && isDeepStrictEqual(doc, current.doc)) return current;
            const record: GroupRecord = {
              ...current,
              doc,
              lastModified: new Date().toISOString(),
              version: current.version + 1,
            };
            const stored = await createGroupRepository(trx, dialect).update(
              tenantId,
              record,
              current.version,
            );
            if (!stored) throw new ConcurrentModification();
            await recordDirectoryChanges(trx, tenantId, 'Group', [id], 'upsert');
            return record;
          }),
      ).catch((error: unknown) => {
        if (error instanceof ConcurrentModification) return undefined;
        throw error;
      });
      if (next !== undefined) return next;
      if (ifMatch !== undefined || attempt >= MAX_WRITE_ATTEMPTS) {
        throw new ScimError(
          412,
          undefined,
          'Precondition failed: the resource was modified concurrently; retry',
        );
      }
    }
  };

  return {
    async create(tenantId: string, body: unknown): Promise<GroupRecord> {
      const { doc, members } = normalizeResource(GROUP, body, 'create');
      const now = new Date().toISOString();
      const record: GroupRecord = { id: randomUUID(), createdAt: now, lastModified: now, version: 1, doc };
      await withUniqueness(dialect, describeConflict(doc), () =>
        storage.write(async (trx) => {
          const repositories = repositoriesOf(trx);
          await repositories.groups.insert(tenantId, record);
          if (members !== undefined && members.length > 0) {
            const resolved = await resolveMembers(repositories, tenantId, record.id, members);
            await repositories.memberships.add(tenantId, record.id, resolved);
          }
          await recordDirectoryChanges(trx, tenantId, 'Group', [record.id], 'upsert');
        }),
      );
      return record;
    },

    get: requireGroup,

    /** PUT replaces the document and the member list (an absent `members` empties it, as RFC 7644 §3.5.1 says). */
    replace(tenantId: string, id: string, body: unknown, options: WriteOptions = {}): Promise<GroupRecord> {
      const { doc, members } = normalizeResource(GROUP, body, 'replace');
      return modify(tenantId, id, options.ifMatch, async (current, trx) => {
        assertImmutableUnchanged(GROUP, current.doc, doc);
        const wanted = await resolveMembers(repositoriesOf(trx), tenantId, id, members ?? []);
        return { doc, membersChanged: await replaceMembers(trx, tenantId, id, wanted) };
      });
    },

    /** `baseUrl` only serves the rare member filter on `$ref`. */
    patch(tenantId: string, id: string, body: unknown, options: WriteOptions = {}): Promise<GroupRecord> {
      const { memberChanges, otherOps } = planMemberPatch(parsePatchRequest(body));
      return modify(tenantId, id, options.ifMatch, async (current, trx) => {
        const doc = otherOps.length > 0 ? applyPatchOperations(GROUP, current.doc, otherOps) : current.doc;
        const membersChanged = await applyMemberChanges(
          trx,
          tenantId,
          id,
          memberChanges,
          options.baseUrl ?? '',
        );
        return { doc, membersChanged };
      });
    },

    async delete(tenantId: string, id: string, options: WriteOptions = {}): Promise<void> {
      const current = await requireGroup(tenantId, id);
      assertIfMatch(options.ifMatch, current.version);
      await storage.write(async (trx) => {
        const { groups: groupRepository, memberships } = repositoriesOf(trx);
        const parents = await memberships.removeMemberEverywhere(tenantId, id);
        await groupRepository.touch(tenantId, parents, new Date().toISOString());
        if (!(await groupRepository.delete(tenantId, id))) throw notFound(`Group ${id} not found`);
        await recordDirectoryChanges(trx, tenantId, 'Group', [id], 'delete');
        await recordDirectoryChanges(trx, tenantId, 'Group', parents, 'upsert');
      });
    },

    query: (tenantId: string, baseUrl: string, query: ResourceQuery) =>
      groups.query(tenantId, baseUrl, query),

    members: (tenantId: string, id: string) => createMembershipRepository(db, dialect).list(tenantId, id),
  };
}

class ConcurrentModification extends Error {}

/** What a write did to a group: its next document and how many member rows it added or removed. */
interface GroupChange {
  readonly doc: Record<string, unknown>;
  readonly membersChanged: number;
}

export type GroupService = ReturnType<typeof createGroupService>;
