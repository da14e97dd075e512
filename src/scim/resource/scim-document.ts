/**
 * The stored form of a resource: the canonical layout (core attributes at the top level under their
 * schema spelling, extension attributes under the canonical extension URN, `schemas` listing the
 * core URN and each extension that has data) WITHOUT the server-owned attributes (`id`, `meta`,
 * User `groups`, Group `members`) and without `password`, which is kept apart and hashed.
 */
export type ScimDocument = Record<string, unknown>;

/** One Group member as the members table stores it. `display` and `$ref` are derived on read. */
export interface MemberRef {
  readonly value: string;
  readonly type?: 'User' | 'Group';
}

/** What `normalizeResource` makes of a POST or PUT body. */
export interface NormalizedResource {
  readonly doc: ScimDocument;
  /** Present when the body carried a password (writeOnly, RFC 7643 §4.1.1). */
  readonly password?: string;
  /** Groups only, present when the body had a `members` attribute (`[]` when it was empty or null). */
  readonly members?: MemberRef[];
}
