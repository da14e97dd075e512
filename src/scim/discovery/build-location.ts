/**
 * `meta.location` of a discovery document: the base URL without trailing slashes, then `path`.
 * @see RFC 7643 §3.1 (meta.location), RFC 7644 §4
 */
export function buildLocation(baseUrl: string, path: string): string {
  let end = baseUrl.length;
  while (end > 0 && baseUrl.charCodeAt(end - 1) === 47 /* '/' */) end--;
  return `${baseUrl.slice(0, end)}${path}`;
}
