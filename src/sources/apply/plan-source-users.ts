import { chunks } from '../../directory/chunks.ts';
import { getResourceType } from '../../scim/schema/schema-registry.ts';
import type { Storage } from '../../storage/open-storage.ts';
import { mergeOwnedAttributes } from './merge-owned-attributes.ts';
import type { SourceObjectLink, SourceObjectRepository } from './source-object-repository.ts';
import type { SourceUserEntry } from './source-snapshot.ts';

const USER = getResourceType('User');

/** Which attribute binds a source entry to an existing directory user that no source owns yet. */
export type BindAttribute = 'userName' | 'emails' | 'externalId';

export type UserAction =
  | { readonly kind: 'create'; readonly entry: SourceUserEntry; readonly doc: Record<string, unknown> }
  | {
      readonly kind: 'update' | 'bind' | 'same';
      readonly entry: SourceUserEntry;
      readonly objectId: string;
      readonly doc: Record<string, unknown>;
      /** The link row needs writing (new, renamed, moved, or what the source supplies changed). */
      readonly linkChanged: boolean;
    }
  | { readonly kind: 'invalid'; readonly entry: SourceUserEntry; readonly message: string };

export interface UserDeletion {
  readonly key: string;
  readonly objectId: string;
  readonly name: string | null;
}

export interface UserPlan {
  readonly actions: readonly UserAction[];
  readonly deletes: readonly UserDeletion[];
  /** How many users the source owned before the run. */
  readonly owned: number;
  readonly links: ReadonlyMap<string, SourceObjectLink>;
}

async function loadDocs(storage: Storage, tenantId: string, ids: readonly string[]) {
  const docs = new Map<string, Record<string, unknown>>();
  for (const part of chunks(ids, 500)) {
    const rows = await storage.db
      .selectFrom('users')
      .select(['id', 'doc'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
    for (const row of rows) docs.set(row.id, storage.dialect.decodeJson(row.doc) as Record<string, unknown>);
  }
  return docs;
}

const textValues = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter(
    (item): item is string => typeof item === 'string' && item !== '',
  );

/** The values an entry offers for binding: its userName, its e-mails, or its externalId. */
export function bindValues(entry: SourceUserEntry, by: BindAttribute): string[] {
  if (by === 'emails')
    return Object.entries(entry.attributes)
      .filter(([path]) => path.startsWith('emails'))
      .flatMap(([, value]) => textValues(value))
      .map((value) => value.toLowerCase());
  const values = textValues(entry.attributes[by]);
  return by === 'userName' ? values.map((value) => value.toLowerCase()) : values;
}

/** Existing users whose bind attribute has one of `values`: value → user id. */
async function findBindCandidates(
  storage: Storage,
  tenantId: string,
  by: BindAttribute,
  values: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks([...new Set(values)], 500)) {
    const rows =
      by === 'emails'
        ? await storage.db
            .selectFrom('user_emails')
            .select(['user_id as id', 'value_ci as value'])
            .where('tenant_id', '=', tenantId)
            .where('value_ci', 'in', part)
            .execute()
        : await storage.db
            .selectFrom('users')
            .select(['id', by === 'userName' ? 'user_name_ci as value' : 'external_id as value'])
            .where('tenant_id', '=', tenantId)
            .where(by === 'userName' ? 'user_name_ci' : 'external_id', 'in', part)
            .execute();
    for (const row of rows) if (row.value !== null && !found.has(row.value)) found.set(row.value, row.id);
  }
  return found;
}

/**
 * What a snapshot's users mean for the directory, computed without writing: creates, updates of
 * linked users (only the attributes the source supplies), binds of unowned users by `bindBy`, and
 * for a complete snapshot the deletions of linked users it no longer lists.
 */
export async function planSourceUsers(
  storage: Storage,
  objects: SourceObjectRepository,
  options: { tenantId: string; sourceId: string; bindBy?: BindAttribute | undefined; complete: boolean },
  entries: readonly SourceUserEntry[],
): Promise<UserPlan> {
  const { tenantId, sourceId } = options;
  const links = await objects.list(sourceId, 'User');
  const docs = await loadDocs(
    storage,
    tenantId,
    entries.flatMap((entry) => {
      const link = links.get(entry.key);
      return link === undefined ? [] : [link.objectId];
    }),
  );
  const unlinked = entries.filter((entry) => {
    const link = links.get(entry.key);
    return link === undefined || !docs.has(link.objectId);
  });
  const candidates =
    options.bindBy === undefined || unlinked.length === 0
      ? new Map<string, string>()
      : await findBindCandidates(
          storage,
          tenantId,
          options.bindBy,
          unlinked.flatMap((entry) => bindValues(entry, options.bindBy as BindAttribute)),
        );
  const candidateDocs = await loadDocs(storage, tenantId, [...new Set(candidates.values())]);
  const owners = await objects.ownersOf(tenantId, 'User', [...candidateDocs.keys()]);
  const claimed = new Set<string>();

  const actions: UserAction[] = [];
  for (const entry of entries) {
    if (entry.problem !== undefined) {
      actions.push({ kind: 'invalid', entry, message: entry.problem });
      continue;
    }
    try {
      const link = links.get(entry.key);
      const current = link === undefined ? undefined : docs.get(link.objectId);
      if (link !== undefined && current !== undefined) {
        const { doc, changed } = mergeOwnedAttributes(USER, current, entry.attributes, link.released);
        const owned = Object.keys(entry.attributes);
        const linkChanged =
          link.name !== (entry.name ?? null) || owned.join('\n') !== [...link.owned].join('\n');
        actions.push({ kind: changed ? 'update' : 'same', entry, objectId: link.objectId, doc, linkChanged });
        continue;
      }
      const boundId =
        options.bindBy === undefined
          ? undefined
          : bindValues(entry, options.bindBy)
              .map((value) => candidates.get(value))
              .find((id) => id !== undefined);
      if (boundId !== undefined) {
        const owner = owners.get(boundId);
        if (owner !== undefined && owner.sourceId !== sourceId) {
          actions.push({
            kind: 'invalid',
            entry,
            message: `matches user ${boundId} by ${options.bindBy}, which another source (${owner.sourceId}) owns`,
          });
          continue;
        }
        if (claimed.has(boundId) || (owner !== undefined && owner.key !== entry.key)) {
          actions.push({
            kind: 'invalid',
            entry,
            message: `matches user ${boundId} by ${options.bindBy}, which another entry of this source is bound to`,
          });
          continue;
        }
        claimed.add(boundId);
        const current = candidateDocs.get(boundId) ?? {};
        const { doc } = mergeOwnedAttributes(USER, current, entry.attributes, []);
        actions.push({ kind: 'bind', entry, objectId: boundId, doc, linkChanged: true });
        continue;
      }
      const { doc } = mergeOwnedAttributes(USER, { schemas: [USER.schema] }, entry.attributes, []);
      actions.push({ kind: 'create', entry, doc });
    } catch (error) {
      actions.push({
        kind: 'invalid',
        entry,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  const seen = new Set(entries.map((entry) => entry.key));
  const deletes: UserDeletion[] = options.complete
    ? [...links.values()]
        .filter((link) => !seen.has(link.key))
        .map((link) => ({ key: link.key, objectId: link.objectId, name: link.name }))
    : [];
  return { actions, deletes, owned: links.size, links };
}
