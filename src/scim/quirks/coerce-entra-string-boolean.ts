/**
 * Microsoft Entra ID, without the `aadOptscim062020` flag, sends booleans as strings: its disable
 * request is `{"op":"Replace","path":"active","value":"False"}`. For a boolean attribute only,
 * `"true"` / `"false"` in any letter case become the boolean; every other value is returned as is
 * (and then fails type validation as usual).
 * @see Microsoft Learn, "Known issues and resolutions with SCIM 2.0 protocol compliance of the
 *   Microsoft Entra user provisioning service", "Requests made to disable users"
 */
export function coerceEntraStringBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const folded = value.toLowerCase();
  if (folded === 'true') return true;
  if (folded === 'false') return false;
  return value;
}
