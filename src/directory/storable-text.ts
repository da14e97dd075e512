/**
 * Whether `text` can be a stored value or a query parameter: PostgreSQL text cannot hold U+0000.
 * Request bodies with it are refused at the HTTP boundary, so no stored id or value contains it, and
 * a lookup by such a text (an id in a URL, a member filter in a PATCH path) finds nothing without
 * asking the database, on every dialect alike.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000');
}
