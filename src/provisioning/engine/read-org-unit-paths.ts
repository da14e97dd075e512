import type { Kysely } from 'kysely';
import { chunks } from '../../directory/chunks.ts';
import type { DatabaseSchema } from '../../storage/database-schema.ts';
import type { OrgUnitStep } from '../scope/evaluate-scope.ts';

/** Deeper than any directory tree we have met (AD allows far less); also ends a cycle a bad import made. */
const MAX_DEPTH = 64;

/**
 * The org units each user is placed in, each as its path from the root (ids and names), for the
 * scope: a rule on an org unit with its sub-tree holds for a user anywhere below it. Batched for a page
 * of users: one query for the placements, then one per level of the tree, whatever the page size.
 * A user placed in none is absent from the map.
 */
export async function readOrgUnitPaths(
  db: Kysely<DatabaseSchema>,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, OrgUnitStep[][]>> {
  const placements: { user_id: string; org_unit_id: string }[] = [];
  for (const part of chunks([...userIds]))
    placements.push(
      ...(await db
        .selectFrom('user_org_units')
        .select(['user_id', 'org_unit_id'])
        .where('tenant_id', '=', tenantId)
        .where('user_id', 'in', part)
        .execute()),
    );
  const found = new Map<string, OrgUnitStep[][]>();
  if (placements.length === 0) return found;

  const units = new Map<string, { name: string; parentId: string | null }>();
  let frontier = [...new Set(placements.map((placement) => placement.org_unit_id))];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next = new Set<string>();
    for (const part of chunks(frontier)) {
      const rows = await db
        .selectFrom('org_units')
        .select(['id', 'name', 'parent_id'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', part)
        .execute();
      for (const row of rows) {
        units.set(row.id, { name: row.name, parentId: row.parent_id });
        if (row.parent_id !== null && !units.has(row.parent_id)) next.add(row.parent_id);
      }
    }
    frontier = [...next].filter((id) => !units.has(id));
  }

  for (const { user_id, org_unit_id } of placements) {
    const path = pathOf(units, org_unit_id);
    if (path === undefined) continue;
    const paths = found.get(user_id) ?? [];
    paths.push(path);
    found.set(user_id, paths);
  }
  return found;
}

/** Root first; undefined for a unit that is gone (deleted between the two reads). */
function pathOf(
  units: ReadonlyMap<string, { name: string; parentId: string | null }>,
  unitId: string,
): OrgUnitStep[] | undefined {
  if (!units.has(unitId)) return undefined;
  const path: OrgUnitStep[] = [];
  const seen = new Set<string>();
  for (let id: string | null = unitId; id !== null && !seen.has(id); ) {
    const unit = units.get(id);
    if (unit === undefined) break;
    seen.add(id);
    path.push({ id, name: unit.name });
    id = unit.parentId;
  }
  return path.reverse();
}
