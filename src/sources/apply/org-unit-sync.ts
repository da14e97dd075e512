import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { chunks } from '../../directory/chunks.ts';
import { recordDirectoryChanges } from '../../directory/directory-changes.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { SourceObjectRepository } from './source-object-repository.ts';
import { formatOrgUnitPath, type SourceOrgUnitEntry } from './source-snapshot.ts';

export interface OrgUnitPlan {
  readonly creates: readonly SourceOrgUnitEntry[];
  readonly updates: readonly { entry: SourceOrgUnitEntry; id: string }[];
  readonly same: number;
  readonly deletes: readonly { key: string; id: string }[];
  readonly owned: number;
}

/** Org units (a tree per tenant, `path` unique): what the snapshot's units change, without writing. */
export async function planOrgUnits(
  storage: Storage,
  objects: SourceObjectRepository,
  options: { tenantId: string; sourceId: string; complete: boolean },
  entries: readonly SourceOrgUnitEntry[],
): Promise<OrgUnitPlan> {
  const links = await objects.list(options.sourceId, 'OrgUnit');
  const rows = await storage.db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where('tenant_id', '=', options.tenantId)
    .execute();
  const pathOf = new Map(rows.map((row) => [row.id, row.path]));
  const creates: SourceOrgUnitEntry[] = [];
  const updates: { entry: SourceOrgUnitEntry; id: string }[] = [];
  let same = 0;
  for (const entry of entries) {
    const id = links.get(entry.key)?.objectId;
    const path = id === undefined ? undefined : pathOf.get(id);
    if (id === undefined || path === undefined) creates.push(entry);
    else if (path !== formatOrgUnitPath(entry.path)) updates.push({ entry, id });
    else same++;
  }
  const seen = new Set(entries.map((entry) => entry.key));
  const deletes = options.complete
    ? [...links.values()]
        .filter((link) => !seen.has(link.key))
        .map((link) => ({ key: link.key, id: link.objectId }))
    : [];
  return { creates, updates, same, deletes, owned: links.size };
}

/**
 * Writes an org-unit plan; returns the org unit id of every entry key (to place users). A unit whose
 * path already exists unowned is taken over rather than duplicated. Deletions are separate
 * (`deleteOrgUnits`), after users have moved out.
 */
export async function applyOrgUnits(
  storage: Storage,
  objects: SourceObjectRepository,
  options: { tenantId: string; sourceId: string },
  plan: OrgUnitPlan,
  entries: readonly SourceOrgUnitEntry[],
): Promise<Map<string, string>> {
  const { tenantId, sourceId } = options;
  const now = new Date().toISOString();
  const rows = await storage.db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const idByPath = new Map(rows.map((row) => [row.path, row.id]));
  const ordered = [...plan.creates, ...plan.updates.map((update) => update.entry)].sort(
    (a, b) => a.path.length - b.path.length,
  );
  const updateIds = new Map(plan.updates.map((update) => [update.entry.key, update.id]));
  const links = [];
  for (const entry of ordered) {
    const path = formatOrgUnitPath(entry.path);
    const parentId =
      entry.path.length > 1 ? (idByPath.get(formatOrgUnitPath(entry.path.slice(0, -1))) ?? null) : null;
    const name = entry.path[entry.path.length - 1] ?? '';
    const existingId = updateIds.get(entry.key) ?? idByPath.get(path);
    if (existingId === undefined) {
      const id = randomUUID();
      await storage.db
        .insertInto('org_units')
        .values({
          id,
          tenant_id: tenantId,
          source_id: sourceId,
          external_key: entry.key,
          name,
          parent_id: parentId,
          path,
          created_at: now,
          updated_at: now,
        })
        .execute();
      idByPath.set(path, id);
      links.push({
        type: 'OrgUnit' as const,
        key: entry.key,
        objectId: id,
        name: path,
        owned: ['name', 'parent'],
        state: null,
      });
    } else {
      await storage.db
        .updateTable('org_units')
        .set({
          name,
          parent_id: parentId,
          path,
          source_id: sourceId,
          external_key: entry.key,
          updated_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', existingId)
        .execute();
      idByPath.set(path, existingId);
      links.push({
        type: 'OrgUnit' as const,
        key: entry.key,
        objectId: existingId,
        name: path,
        owned: ['name', 'parent'],
        state: null,
      });
    }
  }
  await objects.upsert(tenantId, sourceId, links);
  // A unit renamed or moved moves its users in the tree: provisionings scoped on org units re-decide.
  for (const part of chunks(plan.updates.map((update) => update.id)))
    await storage.write((trx) => recordMembersChanged(trx, tenantId, part));
  const all = await objects.list(sourceId, 'OrgUnit');
  return new Map(entries.map((entry) => [entry.key, all.get(entry.key)?.objectId ?? '']));
}

export async function deleteOrgUnits(
  storage: Storage,
  objects: SourceObjectRepository,
  options: { tenantId: string; sourceId: string },
  deletes: readonly { key: string; id: string }[],
): Promise<void> {
  const ids = deletes.map((unit) => unit.id);
  for (const part of chunks(ids)) {
    await storage.write(async (trx) => {
      await recordMembersChanged(trx, options.tenantId, part);
      await trx
        .deleteFrom('user_org_units')
        .where('tenant_id', '=', options.tenantId)
        .where('org_unit_id', 'in', part)
        .execute();
      await trx
        .updateTable('org_units')
        .set({ parent_id: null })
        .where('tenant_id', '=', options.tenantId)
        .where('parent_id', 'in', part)
        .execute();
      await trx
        .deleteFrom('org_units')
        .where('tenant_id', '=', options.tenantId)
        .where('id', 'in', part)
        .execute();
    });
  }
  await objects.remove(
    options.sourceId,
    'OrgUnit',
    deletes.map((unit) => unit.key),
  );
}

/** Places each user in its org unit (one per user from this source), writing only what changed. */
export async function placeUsers(
  storage: Storage,
  tenantId: string,
  placements: ReadonlyMap<string, string | null>,
): Promise<void> {
  const userIds = [...placements.keys()];
  const current = new Map<string, string>();
  for (const part of chunks(userIds)) {
    const rows = await storage.db
      .selectFrom('user_org_units')
      .select(['user_id', 'org_unit_id'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', part)
      .execute();
    for (const row of rows) current.set(row.user_id, row.org_unit_id);
  }
  const moved = userIds.filter((id) => (current.get(id) ?? null) !== (placements.get(id) ?? null));
  for (const part of chunks(moved, 500)) {
    await storage.write(async (trx) => {
      await trx
        .deleteFrom('user_org_units')
        .where('tenant_id', '=', tenantId)
        .where('user_id', 'in', part)
        .execute();
      const rows = part.flatMap((userId) => {
        const unit = placements.get(userId);
        return unit === null || unit === undefined || unit === ''
          ? []
          : [{ tenant_id: tenantId, user_id: userId, org_unit_id: unit }];
      });
      if (rows.length > 0) await trx.insertInto('user_org_units').values(rows).execute();
      // A move can bring a user into or out of a provisioning's scope: the outbox tells the engine.
      await recordDirectoryChanges(trx, tenantId, 'User', part, 'upsert');
    });
  }
}

/** Records a directory change for every user placed in `unitIds` (their place in the tree changed). */
async function recordMembersChanged(
  trx: Kysely<DatabaseSchema>,
  tenantId: string,
  unitIds: readonly string[],
): Promise<void> {
  const placed = await trx
    .selectFrom('user_org_units')
    .select('user_id')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('org_unit_id', 'in', unitIds)
    .execute();
  await recordDirectoryChanges(
    trx,
    tenantId,
    'User',
    placed.map((row) => row.user_id),
    'upsert',
  );
}
