export type PatchOpName = 'add' | 'replace' | 'remove';

const PATCH_OP_NAMES: ReadonlyMap<string, PatchOpName> = new Map([
  ['add', 'add'],
  ['replace', 'replace'],
  ['remove', 'remove'],
]);

/**
 * PATCH `op` values compared case-insensitively. Microsoft Entra ID sends `"Add"`, `"Replace"` and
 * `"Remove"` (lower-case only with `aadOptscim062020`); RFC 7644 §3.5.2 spells them in lower case.
 * Returns undefined for anything that is not one of the three operations.
 * @see Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint": "Don't require
 *   a case-sensitive match on structural elements in SCIM, in particular PATCH op operation values"
 */
export function normalizeEntraPatchOp(op: unknown): PatchOpName | undefined {
  return typeof op === 'string' ? PATCH_OP_NAMES.get(op.toLowerCase()) : undefined;
}
