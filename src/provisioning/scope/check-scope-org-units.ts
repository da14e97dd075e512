import { sql } from 'kysely';
import { formatOrgUnitPath } from '../../sources/apply/source-snapshot.ts';
import type { Storage } from '../../storage/open-storage.ts';
import type { ScopeCheckError } from './evaluate-scope.ts';
import type { Scope } from './scope-rule.ts';

/**
 * What only the directory can check when a scope is saved: every org unit it names exists in the
 * tenant (an id exactly; a path of names case-insensitively, as the scope compares them; the root
 * `[]` always). A mistyped unit would silently scope everyone out, which looks exactly like "everyone
 * left" (DESIGN.md): it is refused with its place in the scope instead. Not checked when the engine
 * compiles a saved scope: a unit a source deleted since then leaves its users out of scope, which is
 * what the source said.
 */
export async function checkScopeOrgUnits(
  storage: Storage,
  tenantId: string,
  scope: Scope,
): Promise<ScopeCheckError[]> {
  const rules = scope.orgUnits ?? [];
  if (rules.length === 0) return [];
  const ids = rules.flatMap((rule) => ('id' in rule ? [rule.id] : []));
  const paths = rules.flatMap((rule) =>
    'path' in rule && rule.path.length > 0 ? [formatOrgUnitPath(rule.path).toLowerCase()] : [],
  );
  const knownIds = new Set<string>();
  if (ids.length > 0)
    for (const row of await storage.db
      .selectFrom('org_units')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute())
      knownIds.add(row.id);
  const knownPaths = new Set<string>();
  if (paths.length > 0) {
    const folded = storage.dialect.foldCase(sql.ref('path'));
    for (const row of await storage.db
      .selectFrom('org_units')
      .select(folded.as('folded'))
      .where('tenant_id', '=', tenantId)
      .where(folded, 'in', paths)
      .execute())
      knownPaths.add(String(row.folded));
  }
  const errors: ScopeCheckError[] = [];
  rules.forEach((rule, index) => {
    if ('id' in rule && !knownIds.has(rule.id))
      errors.push({ path: `orgUnits[${index}].id`, message: `no org unit "${rule.id}" in this tenant` });
    else if (
      'path' in rule &&
      rule.path.length > 0 &&
      !knownPaths.has(formatOrgUnitPath(rule.path).toLowerCase())
    )
      errors.push({
        path: `orgUnits[${index}].path`,
        message: `no org unit at /${rule.path.join('/')} in this tenant`,
      });
  });
  return errors;
}
