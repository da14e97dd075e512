import type { LdapWatermarkAttribute } from './ldap-connection-schema.ts';
import type { UncheckedLdapEntry } from './normalize-ldap-entry.ts';

/**
 * Where the last read got to, for an incremental read of what changed since:
 * - `modifyTimestamp` (GeneralizedTime, whole seconds): inclusive, the boundary second is read again
 *   because other changes may have landed in it after the read (the caller's upsert is idempotent);
 * - `entryCSN` (OpenLDAP, microseconds plus a change count): exclusive;
 * - `uSNChanged` (Active Directory, a per-DC counter): exclusive. Valid against one domain controller
 *   only: a run that lands on another DC needs a full read.
 */
export interface LdapWatermark {
  readonly attribute: LdapWatermarkAttribute;
  readonly value: string;
}

const FORMATS: Readonly<Record<LdapWatermarkAttribute, RegExp>> = {
  modifyTimestamp: /^\d{14}(?:[.,]\d+)?Z$/,
  entryCSN: /^\d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/i,
  uSNChanged: /^\d{1,20}$/,
};

export function isValidWatermark(watermark: LdapWatermark): boolean {
  return FORMATS[watermark.attribute].test(watermark.value);
}

/** `Date` → GeneralizedTime `YYYYMMDDHHMMSSZ` (UTC, whole seconds, rounded down). */
export function formatGeneralizedTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

const parenthesize = (filter: string) => {
  const trimmed = filter.trim();
  return trimmed.startsWith('(') ? trimmed : `(${trimmed})`;
};

/**
 * The base filter narrowed to entries changed since `watermark`:
 * `(&(objectClass=person)(modifyTimestamp>=20240101120000Z))`, `(&… (uSNChanged>=N+1))`,
 * `(&… (entryCSN>=C)(!(entryCSN=C)))`. LDAP has no `>`, so the exclusive kinds add one or exclude C.
 * Throws on a malformed watermark: it is spliced into a filter.
 */
export function buildIncrementalFilter(filter: string, watermark: LdapWatermark): string {
  if (!isValidWatermark(watermark)) {
    throw new Error(`Malformed ${watermark.attribute} watermark: ${JSON.stringify(watermark.value)}`);
  }
  const base = parenthesize(filter);
  switch (watermark.attribute) {
    case 'modifyTimestamp':
      return `(&${base}(modifyTimestamp>=${watermark.value.slice(0, 14)}Z))`;
    case 'uSNChanged':
      return `(&${base}(uSNChanged>=${BigInt(watermark.value) + 1n}))`;
    case 'entryCSN':
      return `(&${base}(entryCSN>=${watermark.value})(!(entryCSN=${watermark.value})))`;
  }
}

/** Orders two well-formed values of the same attribute. */
export function compareWatermarkValues(attribute: LdapWatermarkAttribute, a: string, b: string): number {
  if (attribute === 'uSNChanged') {
    const difference = BigInt(a) - BigInt(b);
    return difference === 0n ? 0 : difference < 0n ? -1 : 1;
  }
  if (attribute === 'modifyTimestamp') {
    // AD writes `20240101120000.0Z`, OpenLDAP `20240101120000Z`: compare seconds, then the fraction.
    const key = (value: string) => `${value.slice(0, 14)}.${value.slice(15, -1).padEnd(9, '0')}`;
    return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  }
  // entryCSN: fixed width, timestamp first: a string comparison orders it.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The watermark after seeing `entry`: the larger of `current` and the entry's value of the attribute
 * (an entry without a well-formed one leaves it unchanged). Fold it over every entry of a read.
 */
export function foldWatermark(
  attribute: LdapWatermarkAttribute,
  current: LdapWatermark | undefined,
  entry: Pick<UncheckedLdapEntry, 'attributes'>,
): LdapWatermark | undefined {
  let best = current;
  for (const value of entry.attributes[attribute.toLowerCase()] ?? []) {
    const candidate = { attribute, value };
    if (!isValidWatermark(candidate)) continue;
    if (best === undefined || compareWatermarkValues(attribute, value, best.value) > 0) best = candidate;
  }
  return best;
}

/** The next watermark from a batch of entries read since `previous` (or `previous` when none moved it). */
export function nextWatermark(
  attribute: LdapWatermarkAttribute,
  previous: LdapWatermark | undefined,
  entries: Iterable<Pick<UncheckedLdapEntry, 'attributes'>>,
): LdapWatermark | undefined {
  let watermark = previous?.attribute === attribute ? previous : undefined;
  for (const entry of entries) watermark = foldWatermark(attribute, watermark, entry);
  return watermark;
}
