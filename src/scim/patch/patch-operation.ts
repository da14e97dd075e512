import type { Filter, PatchPath } from '../filter/filter-ast.ts';
import type { MemberRef } from '../resource/scim-document.ts';

/** One PATCH operation after parsing (RFC 7644 §3.5.2): op normalised, path parsed, value as sent. */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path?: PatchPath;
  readonly value?: unknown;
}

/**
 * A change to a Group's membership, applied to the members table without loading the member list.
 * `removeWhere` carries the element filter resolved against the `members` attribute.
 */
export type MemberChange =
  | { readonly kind: 'add'; readonly members: MemberRef[] }
  | { readonly kind: 'remove'; readonly values: string[] }
  | { readonly kind: 'removeWhere'; readonly filter: Filter }
  | { readonly kind: 'removeAll' }
  | { readonly kind: 'replaceAll'; readonly members: MemberRef[] };
