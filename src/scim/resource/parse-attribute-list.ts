/**
 * Splits an `attributes` / `excludedAttributes` query parameter ("userName, name.givenName") into
 * names, trimmed, empty entries dropped. Undefined (parameter absent) gives an empty list.
 * @see RFC 7644 §3.9 ("a comma-separated list of resource attribute names")
 */
export function parseAttributeList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}
