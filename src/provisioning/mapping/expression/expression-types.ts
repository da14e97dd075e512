/** The value types of source attributes, as SCIM (RFC 7643 §2.3) and LDAP sources map onto them. */
export type ValueType = 'string' | 'boolean' | 'dateTime' | 'number';

export interface AttributeType {
  readonly type: ValueType;
  readonly multiValued: boolean;
}

/**
 * The attributes a source offers, for type-checking. `lookup` receives the name as written between
 * the brackets (it decides case-sensitivity and which paths resolve). In an open world (LDAP, CSV)
 * unknown names are allowed and typed as single-valued strings.
 */
export interface AttributeCatalogue {
  lookup(name: string): AttributeType | undefined;
  readonly openWorld?: boolean;
}

/** The static type of an expression; `null` is the type of the `null` literal and of all-null results. */
export interface ExpressionType {
  readonly type: ValueType | 'null';
  readonly multiValued: boolean;
}

export function describeType(type: ExpressionType): string {
  if (type.type === 'null') return 'null';
  const article = type.multiValued ? 'a multi-valued' : /^[aeiou]/.test(type.type) ? 'an' : 'a';
  return `${article} ${type.type}`;
}

export function sameType(a: ExpressionType, b: ExpressionType): boolean {
  return a.type === b.type && a.multiValued === b.multiValued;
}
