/**
 * Flattens nested groups: for every group, the set of its transitive members that are not groups
 * themselves (the users). `directMembers` maps each group's id to its direct member ids (both in one
 * normal form, e.g. `normalizeDn` of the DNs in `member` / `uniqueMember`); a member id that is a key
 * of the map is a nested group. Cycles (A ∋ B ∋ A) terminate: each group is visited once per walk.
 * A group's own id never appears among its members.
 */
export function flattenGroupMembers(
  directMembers: ReadonlyMap<string, readonly string[]>,
): Map<string, Set<string>> {
  const flattened = new Map<string, Set<string>>();
  for (const group of directMembers.keys()) {
    const users = new Set<string>();
    const visited = new Set<string>([group]);
    const pending = [group];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const member of directMembers.get(next) ?? []) {
        if (directMembers.has(member)) {
          if (!visited.has(member)) {
            visited.add(member);
            pending.push(member);
          }
        } else users.add(member);
      }
    }
    flattened.set(group, users);
  }
  return flattened;
}
