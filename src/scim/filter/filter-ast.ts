/**
 * The SCIM filter and path grammar's syntax tree (RFC 7644 §3.4.2.2 figure 1, §3.5.2 figure 7).
 *
 * The parser produces paths as written. `resolveFilter` returns the same shapes with canonical
 * names: `uri` set to the schema URN that defines the attribute, `name` and `sub` spelled as the
 * schema spells them, and a multi-valued complex attribute compared without a sub-attribute
 * rewritten to its `value` sub-attribute. Evaluator and SQL compiler only ever see resolved trees.
 */
export interface AttributePath {
  /** Schema URN prefix, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
  readonly uri?: string;
  /** Attribute name, e.g. `emails`. */
  readonly name: string;
  /** Sub-attribute name, e.g. `value` in `emails.value`. */
  readonly sub?: string;
}

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type ComparisonValue = string | number | boolean | null;

export type Filter =
  | {
      readonly kind: 'compare';
      readonly path: AttributePath;
      readonly op: CompareOperator;
      readonly value: ComparisonValue;
    }
  | { readonly kind: 'present'; readonly path: AttributePath }
  | { readonly kind: 'and'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  /**
   * `emails[type eq "work"]`: true when one element of `path` satisfies `filter`. `path` has no
   * `sub`; paths inside `filter` name sub-attributes of `path` (no `uri`, no `sub`).
   */
  | { readonly kind: 'valuePath'; readonly path: AttributePath; readonly filter: Filter };

/**
 * A PATCH operation's `path` (RFC 7644 §3.5.2): `attrPath`, or `valuePath` with an optional
 * sub-attribute after the closing bracket, e.g. `emails[type eq "work"].value`.
 */
export interface PatchPath {
  /** With `sub` only when there is no `filter` (`name.givenName`). */
  readonly attribute: AttributePath;
  readonly filter?: Filter;
  /** The sub-attribute after `]`, e.g. `value` in `emails[type eq "work"].value`. */
  readonly subAttribute?: string;
}
