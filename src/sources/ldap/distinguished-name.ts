/**
 * Distinguished names as strings (RFC 4514): parsing into RDNs with escapes undone, and a normal form
 * for comparing DNs that different attributes spell differently (`member` values, entry DNs, bases).
 */
export interface AttributeTypeAndValue {
  /** As written (`OU`, `ou`, `2.5.4.11`). */
  readonly type: string;
  /** Unescaped; a `#hex` (BER) value is kept as written. */
  readonly value: string;
}

/** One RDN: usually one type and value, several when joined with `+`. */
export type Rdn = readonly AttributeTypeAndValue[];

const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/**
 * The RDNs of `dn`, leaf first (`uid=a,ou=Eng,dc=x` → uid, ou, dc); undefined when it is not a DN.
 * Handles `\,`-style and `\2C`-style (UTF-8 bytes) escapes, `+` multi-valued RDNs, `;` separators and
 * legacy quoted values. The empty string is the root DN (no RDNs).
 */
export function parseDn(dn: string): Rdn[] | undefined {
  const rdns: Rdn[] = [];
  let rdn: AttributeTypeAndValue[] = [];
  let index = 0;
  const length = dn.length;
  if (dn.trim() === '') return rdns;
  while (index <= length) {
    // attribute type
    const equals = dn.indexOf('=', index);
    if (equals < 0) return undefined;
    const type = dn.slice(index, equals).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)*)$/.test(type)) return undefined;
    index = equals + 1;
    while (dn[index] === ' ') index++;
    // attribute value
    const bytes: number[] = [];
    let text = '';
    let trailingSpaces = 0;
    const flush = () => {
      if (bytes.length > 0) text += Buffer.from(bytes.splice(0)).toString('utf8');
    };
    if (dn[index] === '"') {
      index++;
      while (index < length && dn[index] !== '"') {
        if (dn[index] === '\\') index++;
        text += dn[index] ?? '';
        index++;
      }
      if (dn[index] !== '"') return undefined;
      index++;
      while (dn[index] === ' ') index++;
    } else {
      while (index < length) {
        const char = dn[index] ?? '';
        if (char === ',' || char === ';' || char === '+') break;
        if (char === '\\') {
          const pair = dn.slice(index + 1, index + 3);
          if (HEX_PAIR.test(pair)) {
            bytes.push(Number.parseInt(pair, 16));
            index += 3;
          } else if (index + 1 < length) {
            flush();
            text += dn[index + 1];
            index += 2;
          } else return undefined;
          trailingSpaces = 0;
          continue;
        }
        flush();
        text += char;
        trailingSpaces = char === ' ' ? trailingSpaces + 1 : 0;
        index++;
      }
      flush();
      if (trailingSpaces > 0) text = text.slice(0, -trailingSpaces);
    }
    rdn.push({ type, value: text });
    const separator = dn[index];
    index++;
    if (separator === '+') continue;
    rdns.push(rdn);
    rdn = [];
    if (separator === undefined) break;
  }
  return rdns;
}

/** Escapes a value for a DN string (RFC 4514 §2.4). */
export function escapeDnValue(value: string): string {
  let escaped = value.replace(/[\\,+"<>;=]/g, (char) => `\\${char}`).replace(/\0/g, '\\00');
  if (escaped.startsWith(' ') || escaped.startsWith('#')) escaped = `\\${escaped}`;
  // The first replace escapes no space, so a trailing space is unescaped unless it is the escaped leading one.
  if (escaped.length > 2 && escaped.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** Builds a DN string from RDNs, leaf first. */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns
    .map((rdn) => rdn.map((part) => `${part.type}=${escapeDnValue(part.value)}`).join('+'))
    .join(',');
}

/**
 * A comparison key for a DN: types and values lowercased (the naming attributes of users, groups and
 * containers match case-insensitively), escapes normalised, spaces around separators dropped,
 * multi-valued RDNs sorted. Undefined when `dn` does not parse.
 */
export function normalizeDn(dn: string): string | undefined {
  const rdns = parseDn(dn);
  if (rdns === undefined) return undefined;
  return formatDn(
    rdns.map((rdn) =>
      rdn
        .map((part) => ({ type: part.type.toLowerCase(), value: part.value.toLowerCase() }))
        .sort((a, b) => (a.type === b.type ? (a.value < b.value ? -1 : 1) : a.type < b.type ? -1 : 1)),
    ),
  );
}

/**
 * The RDNs of `dn` below `baseDn` (leaf first, the base's own RDNs removed); undefined when `dn` is
 * not `baseDn` or under it, or either does not parse.
 */
export function relativeRdns(dn: string, baseDn: string): Rdn[] | undefined {
  const entry = parseDn(dn);
  const base = parseDn(baseDn);
  if (entry === undefined || base === undefined || base.length > entry.length) return undefined;
  const tail = entry.slice(entry.length - base.length);
  if (normalizeDn(formatDn(tail)) !== normalizeDn(formatDn(base))) return undefined;
  return entry.slice(0, entry.length - base.length);
}
