import type { AttributeSource } from '../../provisioning/mapping/expression/index.ts';
import type {
  SourceGroupEntry,
  SourceOrgUnitEntry,
  SourceSnapshot,
  SourceUserEntry,
} from '../apply/source-snapshot.ts';
import type { CompiledSourceMapping } from '../mapping/compile-source-mapping.ts';
import { isAdAccountDisabled } from './account-disabled.ts';
import { formatDn, normalizeDn, parseDn, type Rdn } from './distinguished-name.ts';
import { flattenGroupMembers } from './flatten-group-members.ts';
import type { LdapConnection } from './ldap-connection-schema.ts';
import type { LdapEntry } from './normalize-ldap-entry.ts';

const GROUP_CLASSES = new Set(['groupofnames', 'groupofuniquenames', 'group']);
const USER_CLASSES = new Set(['inetorgperson', 'person', 'organizationalperson', 'user']);

/** What an LDAP group keeps for later incremental runs: its DN's mapped attributes and direct members. */
export interface LdapGroupState {
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Normalised DNs of its direct members (users and nested groups). */
  readonly members: readonly string[];
}

/** What the source already knows from earlier runs (for incremental reads). */
export interface KnownLdapObjects {
  /** Normalised DN → key of every user the source owns. */
  readonly users: ReadonlyMap<string, string>;
  /** Key → normalised DN and state of every group the source owns. */
  readonly groups: ReadonlyMap<string, { dn: string; state: LdapGroupState }>;
}

export interface LdapSnapshotProblem {
  readonly dn: string;
  readonly message: string;
}

export const classOf = (entry: LdapEntry): 'user' | 'group' | 'other' => {
  const classes = (entry.attributes.objectclass ?? []).map((value) => value.toLowerCase());
  if (classes.some((value) => GROUP_CLASSES.has(value))) return 'group';
  if (classes.includes('computer')) return 'other';
  return classes.some((value) => USER_CLASSES.has(value)) ? 'user' : 'other';
};

/** An entry's attributes for expressions: one value as itself, several as a list; plus `dn` and `accountDisabled`. */
const attributeSource =
  (entry: LdapEntry): AttributeSource =>
  (name) => {
    const lower = name.toLowerCase();
    if (lower === 'dn') return entry.dn;
    if (lower === 'accountdisabled') return isAdAccountDisabled(entry.attributes.useraccountcontrol?.[0]);
    const values = entry.attributes[lower];
    if (values === undefined || values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values;
  };

/** `uniqueMember` may carry an optional `#'0101'B` UID suffix (RFC 4517 NameAndOptionalUID). */
const memberDn = (value: string) => normalizeDn(value.replace(/#'[01]*'B$/, ''));

const isOu = (rdn: Rdn | undefined) =>
  rdn?.some((part) => part.type.toLowerCase() === 'ou' || part.type === '2.5.4.11') === true;

/**
 * The org units an entry sits in, from the top: every `ou` ancestor between the base DN's parent and
 * the entry (the base's own `ou` included, so two bases give two trees). Keyed by normalised DN.
 */
function orgUnitsOf(dn: string, baseDn: string): SourceOrgUnitEntry[] {
  const rdns = parseDn(dn);
  const base = parseDn(baseDn);
  if (rdns === undefined || base === undefined) return [];
  const depth = rdns.length - base.length + 1; // RDNs of the entry under the base's parent
  const units: SourceOrgUnitEntry[] = [];
  const path: string[] = [];
  for (let index = depth - 1; index >= 1; index--) {
    const rdn = rdns[index];
    if (!isOu(rdn)) continue;
    path.push(rdn?.find((part) => part.type.toLowerCase() === 'ou' || part.type === '2.5.4.11')?.value ?? '');
    units.push({ key: normalizeDn(formatDn(rdns.slice(index))) ?? '', path: [...path] });
  }
  return units;
}

/**
 * Turns entries read from LDAP into a source snapshot: users mapped with expressions, org units from
 * the DN tree, groups from `member` / `uniqueMember` (and users' `memberOf`) with nested groups
 * flattened to their users. An
 * incremental read (`complete` false) gets every known group back, recomputed with what changed, so
 * a change to a nested group reaches the groups that contain it.
 */
export function buildLdapSnapshot(
  entries: readonly LdapEntry[],
  options: {
    readonly connection: LdapConnection;
    readonly users: CompiledSourceMapping;
    readonly groups: CompiledSourceMapping;
    readonly complete: boolean;
    readonly known?: KnownLdapObjects;
  },
): { snapshot: SourceSnapshot; problems: LdapSnapshotProblem[] } {
  const problems: LdapSnapshotProblem[] = [];
  const users: SourceUserEntry[] = [];
  const units = new Map<string, SourceOrgUnitEntry>();
  const userKeyByDn = new Map(options.known?.users ?? []);
  const changedKeys = new Set(entries.map((entry) => entry.key));
  for (const [dn, key] of userKeyByDn) if (changedKeys.has(key)) userKeyByDn.delete(dn);
  const groupStates = new Map<string, { dn: string; state: LdapGroupState }>(options.known?.groups ?? []);
  const memberOf: { userDn: string; groupDn: string }[] = [];

  const baseOf = (dn: string) => {
    const normal = normalizeDn(dn) ?? '';
    return options.connection.baseDns.find((base) => {
      const b = normalizeDn(base.dn) ?? '?';
      return normal === b || normal.endsWith(`,${b}`);
    })?.dn;
  };

  for (const entry of entries) {
    const kind = classOf(entry);
    const dn = normalizeDn(entry.dn) ?? entry.dn;
    if (kind === 'user') {
      const mapped = options.users.map(attributeSource(entry));
      if (!mapped.ok) {
        problems.push({ dn: entry.dn, message: mapped.message });
        users.push({ key: entry.key, name: entry.dn, attributes: {}, problem: mapped.message });
        continue;
      }
      const base = baseOf(entry.dn);
      const chain = base === undefined ? [] : orgUnitsOf(entry.dn, base);
      for (const unit of chain) units.set(unit.key, unit);
      userKeyByDn.set(dn, entry.key);
      // AD and OpenLDAP's memberof overlay also say it from the member's side.
      for (const groupDn of entry.attributes.memberof ?? []) {
        const normal = normalizeDn(groupDn);
        if (normal !== undefined) memberOf.push({ userDn: dn, groupDn: normal });
      }
      users.push({
        key: entry.key,
        name: entry.dn,
        attributes: mapped.attributes,
        orgUnitKey: chain[chain.length - 1]?.key ?? null,
      });
    } else if (kind === 'group') {
      const mapped = options.groups.map(attributeSource(entry));
      if (!mapped.ok) {
        problems.push({ dn: entry.dn, message: mapped.message });
        continue;
      }
      const members = [...(entry.attributes.member ?? []), ...(entry.attributes.uniquemember ?? [])]
        .map(memberDn)
        .filter((value): value is string => value !== undefined);
      groupStates.set(entry.key, { dn, state: { attributes: mapped.attributes, members } });
    }
  }

  const groupKeyByDn = new Map([...groupStates].map(([key, { dn }]) => [dn, key]));
  for (const { userDn, groupDn } of memberOf) {
    const key = groupKeyByDn.get(groupDn);
    const group = key === undefined ? undefined : groupStates.get(key);
    if (group === undefined || key === undefined || group.state.members.includes(userDn)) continue;
    groupStates.set(key, {
      dn: group.dn,
      state: { ...group.state, members: [...group.state.members, userDn] },
    });
  }
  const direct = new Map<string, string[]>();
  for (const [key, { state }] of groupStates) {
    direct.set(
      key,
      state.members.flatMap((dn) => groupKeyByDn.get(dn) ?? userKeyByDn.get(dn) ?? []),
    );
  }
  const flattened = flattenGroupMembers(direct);
  const groups: SourceGroupEntry[] = [...groupStates].map(([key, { dn, state }]) => ({
    key,
    name: dn,
    attributes: state.attributes,
    memberKeys: [...(flattened.get(key) ?? [])],
    state,
  }));
  return { snapshot: { complete: options.complete, users, groups, orgUnits: [...units.values()] }, problems };
}
