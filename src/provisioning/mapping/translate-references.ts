import { ENTERPRISE_USER_SCHEMA } from '../../scim/schema/schema-urns.ts';
import type { Projection } from '../engine/compiled-provisioning.ts';

/**
 * Target attributes whose value is a reference to another directory user, by canonical target path:
 * the mapping gives the directory id, the target needs its own id for that user. Group members are
 * references too, but the engine adds them itself (reconcile-group.ts).
 * @see RFC 7643 §4.3 (the enterprise `manager`: "the 'id' attribute of another User")
 */
export const REFERENCE_ATTRIBUTES: readonly string[] = [`${ENTERPRISE_USER_SCHEMA}:manager.value`];

/** The reference attributes among a mapping's targets (canonical paths), as the mapping spells them. */
export function referenceAttributesOf(targets: readonly string[]): string[] {
  const wanted = new Set(REFERENCE_ATTRIBUTES.map((path) => path.toLowerCase()));
  return targets.filter((target) => wanted.has(target.toLowerCase()));
}

/** The directory ids a projection refers to, by reference attribute (only non-empty strings). */
export function referencedIds(
  projection: Projection,
  attributes: readonly string[],
): { attribute: string; referencedId: string }[] {
  if (!projection.ok) return [];
  return attributes.flatMap((attribute) => {
    const value = projection.attributes[attribute];
    return typeof value === 'string' && value !== '' ? [{ attribute, referencedId: value }] : [];
  });
}

/**
 * The projection with every reference translated into the referenced user's account id on the target
 * (`accountIds`: directory id → account id, null when it has none yet). A reference with no account
 * is left out of the document and counts as null in the mapped attributes, so the user is sent
 * without it and the reference is filled in (an update) once the account exists. Pure.
 */
export function translateReferences(
  projection: Projection,
  attributes: readonly string[],
  accountIds: ReadonlyMap<string, string | null>,
): Projection {
  if (!projection.ok || attributes.length === 0) return projection;
  const mapped: Record<string, unknown> = { ...projection.attributes };
  let document = projection.document;
  for (const { attribute, referencedId } of referencedIds(projection, attributes)) {
    const accountId = accountIds.get(referencedId) ?? null;
    mapped[attribute] = accountId;
    document = withReference(document, attribute, accountId);
  }
  return { ok: true, document, attributes: mapped };
}

/**
 * `document` with the extension attribute `<urn>:<name>.<sub>` set to `value`, or removed (and its
 * extension with it when left empty) for null. The document is copied, never changed.
 */
function withReference(
  document: Record<string, unknown>,
  attribute: string,
  value: string | null,
): Record<string, unknown> {
  const colon = attribute.lastIndexOf(':');
  const urn = attribute.slice(0, colon);
  const [name = '', sub = 'value'] = attribute.slice(colon + 1).split('.');
  const extension = { ...((document[urn] as Record<string, unknown> | undefined) ?? {}) };
  if (value === null) delete extension[name];
  else
    extension[name] = { ...((extension[name] as Record<string, unknown> | undefined) ?? {}), [sub]: value };
  const copy: Record<string, unknown> = { ...document };
  const schemas = Array.isArray(document.schemas) ? (document.schemas as string[]) : [];
  if (Object.keys(extension).length === 0) {
    delete copy[urn];
    copy.schemas = schemas.filter((schema) => schema !== urn);
  } else {
    copy[urn] = extension;
    if (!schemas.includes(urn)) copy.schemas = [...schemas, urn];
  }
  return copy;
}
