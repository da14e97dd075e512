import type { Storage } from '../../storage/open-storage.ts';
import type { CompiledProvisioning, DirectoryUser } from '../engine/compiled-provisioning.ts';
import type { DirectoryReader } from '../engine/directory-reader.ts';
import { readSourceAttribute } from '../mapping/source-attributes.ts';
import { sameValue } from './compare-account.ts';

const PAGE = 500;
/** Users read at most when no shortcut finds the match; beyond, the admin names the user. */
const MAX_SCANNED = 200_000;

export type MatchingUserResult =
  | { readonly ok: true; readonly user: DirectoryUser; readonly attribute: string }
  | { readonly ok: false; readonly message: string };

/**
 * The directory user an orphan account belongs to by the provisioning's matching attributes: the
 * first attribute (in matching order) whose mapped value for a user equals the account's value, as
 * the target compares (case-insensitive on lower-casing targets and for userName). A mapping can be
 * any expression, so it cannot be inverted: the user whose id is the account's externalId is tried
 * first (the default mappings send the directory id there), then every user of the tenant is mapped
 * and compared, up to MAX_SCANNED.
 */
export async function findMatchingUser(
  dependencies: { storage: Storage; reader: DirectoryReader },
  provisioning: CompiledProvisioning,
  matching: readonly string[],
  account: Readonly<Record<string, unknown>>,
): Promise<MatchingUserResult> {
  const wanted = matching
    .map((attribute) => ({ attribute, value: readSourceAttribute('User', account, attribute) }))
    .filter((entry) => entry.value !== undefined && entry.value !== null && entry.value !== '');
  if (wanted.length === 0)
    return {
      ok: false,
      message: `The account has no value for the matching attribute${matching.length === 1 ? '' : 's'} ${matching.join(', ')}`,
    };
  const matches = (user: DirectoryUser): string | undefined => {
    const projection = provisioning.project(user, 'create');
    if (!projection.ok) return undefined;
    for (const { attribute, value } of wanted) {
      const mapped = Object.entries(projection.attributes).find(
        ([path]) => path.toLowerCase() === attribute.toLowerCase(),
      )?.[1];
      const foldCase =
        provisioning.capabilities.valueCase === 'lower' || attribute.toLowerCase() === 'username';
      if (mapped !== undefined && mapped !== null && sameValue(value, mapped, foldCase)) return attribute;
    }
    return undefined;
  };

  const externalId = account.externalId;
  if (typeof externalId === 'string' && externalId !== '') {
    const user = await dependencies.reader.readUser(provisioning.tenantId, externalId, { groups: false });
    const attribute = user === undefined ? undefined : matches(user);
    if (user !== undefined && attribute !== undefined) return { ok: true, user, attribute };
  }

  const { db, dialect } = dependencies.storage;
  let scanned = 0;
  for (let after = ''; scanned < MAX_SCANNED; ) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'doc'])
      .where('tenant_id', '=', provisioning.tenantId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const doc = dialect.decodeJson(row.doc) as Record<string, unknown>;
      const user: DirectoryUser = { id: row.id, doc: { ...doc, id: row.id }, groupIds: [] };
      const attribute = matches(user);
      if (attribute !== undefined) return { ok: true, user, attribute };
    }
    scanned += rows.length;
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || last === undefined) break;
    after = last.id;
  }
  return {
    ok: false,
    message:
      scanned >= MAX_SCANNED
        ? `No directory user among the first ${MAX_SCANNED} matches the account by ${matching.join(', ')}: name the user (objectId)`
        : `No directory user matches the account by ${matching.join(', ')}: name the user (objectId)`,
  };
}
