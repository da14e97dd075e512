/**
 * What a source says the directory holds, in directory terms: users and groups keyed by the source's
 * stable external key (entryUUID, objectGUID, a CSV key column), with attribute values already mapped
 * to SCIM paths. A complete snapshot (a full LDAP read, a CSV file declared complete) also says that
 * anything this source owns and did not mention is gone; an incomplete one (an incremental read)
 * only upserts.
 */
export interface SourceUserEntry {
  readonly key: string;
  /** Where the source holds it (an LDAP DN, a CSV line): shown in reports, used to resolve references. */
  readonly name?: string;
  /** SCIM attribute path → value; null means the source supplies the attribute and it is absent. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The org unit the user sits in (a key of `orgUnits`), or null for none. */
  readonly orgUnitKey?: string | null;
  /** Why the source could not map this entry: it is reported, and neither written nor deleted. */
  readonly problem?: string;
}

export interface SourceGroupEntry {
  readonly key: string;
  readonly name?: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Keys of the member users (nested groups already flattened). */
  readonly memberKeys: readonly string[];
  /** Kept with the object for later incremental runs (an LDAP group's direct member DNs). */
  readonly state?: unknown;
}

export interface SourceOrgUnitEntry {
  readonly key: string;
  /** Names from the top down; the last is the unit's own name. */
  readonly path: readonly string[];
}

export interface SourceSnapshot {
  readonly complete: boolean;
  readonly users: readonly SourceUserEntry[];
  readonly groups: readonly SourceGroupEntry[];
  readonly orgUnits: readonly SourceOrgUnitEntry[];
}

export type SourceObjectType = 'User' | 'Group' | 'OrgUnit';

/** `a/b` with `/` and `\` in names escaped, so that a path is one unique text per tenant. */
export const formatOrgUnitPath = (path: readonly string[]): string =>
  path.map((name) => name.replace(/[\\/]/g, (char) => `\\${char}`)).join('/');
