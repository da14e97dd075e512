import { chunks } from '../../directory/chunks.ts';
import { getResourceType } from '../../scim/schema/schema-registry.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { mergeOwnedAttributes } from './merge-owned-attributes.ts';
import type { SourceObjectLink, SourceObjectRepository } from './source-object-repository.ts';
import type { SourceGroupEntry } from './source-snapshot.ts';

const GROUP = getResourceType('Group');

export type GroupAction =
  | { readonly kind: 'create'; readonly entry: SourceGroupEntry; readonly doc: Record<string, unknown> }
  | {
      readonly kind: 'update' | 'same';
      readonly entry: SourceGroupEntry;
      readonly objectId: string;
      readonly doc: Record<string, unknown>;
      /** Members are the source's unless released. */
      readonly membersOwned: boolean;
    }
  | { readonly kind: 'invalid'; readonly entry: SourceGroupEntry; readonly message: string };

export interface GroupPlan {
  readonly actions: readonly GroupAction[];
  readonly deletes: readonly { key: string; objectId: string; name: string | null }[];
  readonly owned: number;
}

async function loadGroups(storage: Storage, tenantId: string, ids: readonly string[]) {
  const groups = new Map<string, { doc: Record<string, unknown>; members: Set<string> }>();
  for (const part of chunks(ids, 500)) {
    const rows = await storage.db
      .selectFrom('groups')
      .select(['id', 'doc'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
    for (const row of rows)
      groups.set(row.id, {
        doc: storage.dialect.decodeJson(row.doc) as Record<string, unknown>,
        members: new Set(),
      });
    const members = await storage.db
      .selectFrom('group_members')
      .select(['group_id', 'member_id'])
      .where('tenant_id', '=', tenantId)
      .where('group_id', 'in', part)
      .execute();
    for (const member of members) groups.get(member.group_id)?.members.add(member.member_id);
  }
  return groups;
}

/**
 * What a snapshot's groups mean for the directory. `memberIdOf` resolves a member user's key to its
 * directory id: null for a user this run creates (the group counts as changed), undefined for a key
 * the source does not know (ignored).
 */
export async function planSourceGroups(
  storage: Storage,
  objects: SourceObjectRepository,
  options: { tenantId: string; sourceId: string; complete: boolean },
  entries: readonly SourceGroupEntry[],
  memberIdOf: (userKey: string) => string | null | undefined,
): Promise<GroupPlan> {
  const links = await objects.list(options.sourceId, 'Group');
  const current = await loadGroups(
    storage,
    options.tenantId,
    entries.flatMap((entry) => links.get(entry.key)?.objectId ?? []),
  );
  const actions: GroupAction[] = [];
  for (const entry of entries) {
    try {
      const link: SourceObjectLink | undefined = links.get(entry.key);
      const group = link === undefined ? undefined : current.get(link.objectId);
      if (link === undefined || group === undefined) {
        const { doc } = mergeOwnedAttributes(GROUP, { schemas: [GROUP.schema] }, entry.attributes, []);
        actions.push({ kind: 'create', entry, doc });
        continue;
      }
      const { doc, changed } = mergeOwnedAttributes(GROUP, group.doc, entry.attributes, link.released);
      const membersOwned = !link.released.includes('members');
      let membersChanged = false;
      if (membersOwned) {
        const wanted = entry.memberKeys.map(memberIdOf).filter((id) => id !== undefined);
        membersChanged =
          wanted.some((id) => id === null) ||
          new Set(wanted).size !== group.members.size ||
          wanted.some((id) => !group.members.has(id as string));
      }
      const stateChanged =
        link.name !== (entry.name ?? null) ||
        JSON.stringify(link.state) !== JSON.stringify(entry.state ?? null);
      actions.push({
        kind: changed || membersChanged || stateChanged ? 'update' : 'same',
        entry,
        objectId: link.objectId,
        doc,
        membersOwned,
      });
    } catch (error) {
      actions.push({
        kind: 'invalid',
        entry,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const seen = new Set(entries.map((entry) => entry.key));
  const deletes = options.complete
    ? [...links.values()]
        .filter((link) => !seen.has(link.key))
        .map((link) => ({ key: link.key, objectId: link.objectId, name: link.name }))
    : [];
  return { actions, deletes, owned: links.size };
}
