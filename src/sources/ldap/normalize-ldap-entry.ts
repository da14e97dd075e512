import type { Entry } from 'ldapts';
import { formatObjectGuid } from './object-guid.ts';

/** One directory entry as the source hands it on. */
export interface LdapEntry {
  readonly dn: string;
  /** Attribute names lowercased; every value a string (binary ones base64, objectGUID a GUID). */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** The stable external key: entryUUID, or objectGUID as a lowercase GUID string. */
  readonly key: string;
}

/** An entry before the reader checked it has its key. */
export interface UncheckedLdapEntry extends Omit<LdapEntry, 'key'> {
  readonly key: string | undefined;
}

const toText = (name: string, value: string | Buffer): string => {
  if (typeof value === 'string') return value;
  if (name === 'objectguid') return formatObjectGuid(value) ?? value.toString('base64');
  return value.toString('base64');
};

/** Lowercases names, makes every value a string array, and picks out the key attribute. */
export function normalizeLdapEntry(entry: Entry, keyAttribute: string): UncheckedLdapEntry {
  const attributes: Record<string, string[]> = {};
  for (const [rawName, raw] of Object.entries(entry)) {
    if (rawName === 'dn') continue;
    const name = rawName.toLowerCase();
    const values = Array.isArray(raw) ? raw : [raw];
    const texts = values.map((value) => toText(name, value));
    if (texts.length === 0) continue;
    const existing = attributes[name];
    if (existing === undefined) attributes[name] = texts;
    else existing.push(...texts);
  }
  const keyValue = attributes[keyAttribute.toLowerCase()]?.[0];
  return { dn: entry.dn, attributes, key: keyValue === undefined ? undefined : keyValue.toLowerCase() };
}
