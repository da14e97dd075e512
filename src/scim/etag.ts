import { ScimError } from './errors.ts';

/** `meta.version` and the ETag header: a weak tag over the resource's version counter. @see RFC 7644 §3.14 */
export function formatEtag(version: number): string {
  return `W/"${version}"`;
}

/** True when an If-Match / If-None-Match header value names this version, or is `*`. */
export function etagMatches(header: string, version: number): boolean {
  const wanted = `"${version}"`;
  return header.split(',').some((part) => {
    const tag = part.trim();
    if (tag === '*') return true;
    return (tag.startsWith('W/') ? tag.slice(2) : tag) === wanted;
  });
}

/** 412 unless `ifMatch` (when given) names the current version. */
export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch !== undefined && !etagMatches(ifMatch, version)) {
    throw new ScimError(
      412,
      undefined,
      `Precondition failed: the resource is at version ${formatEtag(version)}`,
    );
  }
}
