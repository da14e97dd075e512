import type { TargetCapabilities } from '../../targets/profiles/target-profile.ts';
import { readSourceAttribute } from '../mapping/source-attributes.ts';

/** One mapped attribute whose value on the target is not what the mapping gives now. */
export interface AttributeDrift {
  /** The canonical target path, e.g. `displayName`, `emails[type eq "work"].value`. */
  readonly attribute: string;
  /** The value the target reports (null when it has none): the "old" side. */
  readonly target: unknown;
  /** The value the mapping produces for the directory object now: the "new" side. */
  readonly desired: unknown;
}

/**
 * Compares an account as the target reports it with the attributes the mapping produces now, per
 * mapped attribute, the way the target's profile compares values:
 * - `userName` is case-insensitive everywhere (RFC 7643 §4.1.1), and every text is on a target that
 *   lower-cases what it stores (`valueCase: 'lower'`, RAM as IDaaS feeds it: §4);
 * - absent, null, empty text and an empty list are one "no value";
 * - dateTimes compare as instants, booleans sent as `"True"` text as booleans, multi-valued attributes
 *   as sets (targets do not promise an order);
 * - only mapped attributes count: what a target adds by itself (`id`, `meta`, `groups`) is no drift.
 * @see RFC 7643 §2.3 (attribute types), REFERENCE.md §4
 */
export function compareAccount(
  document: Readonly<Record<string, unknown>>,
  desired: Readonly<Record<string, unknown>>,
  capabilities: Pick<TargetCapabilities, 'valueCase'>,
): AttributeDrift[] {
  const drifts: AttributeDrift[] = [];
  for (const [attribute, wanted] of Object.entries(desired)) {
    const actual = displayable(readSourceAttribute('User', document, attribute));
    const foldCase = capabilities.valueCase === 'lower' || attribute.toLowerCase() === 'username';
    if (!sameValue(actual, wanted, foldCase))
      drifts.push({ attribute, target: actual ?? null, desired: wanted ?? null });
  }
  return drifts;
}

/** Whether two values are the same for the target (see `compareAccount`). */
export function sameValue(actual: unknown, wanted: unknown, foldCase: boolean): boolean {
  const a = normalize(actual, wanted, foldCase);
  const b = normalize(wanted, wanted, foldCase);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
  return a === b;
}

/** A comparable form: a scalar (text, number, boolean), a list of texts, or null for "no value". */
function normalize(value: unknown, like: unknown, foldCase: boolean): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (Array.isArray(value)) {
    const items = value.map((item) => normalize(item, undefined, foldCase)).filter((item) => item !== null);
    if (items.length === 0) return null;
    // A single value on one side and a one-element list on the other are the same value.
    if (!Array.isArray(like) && items.length === 1) return items[0];
    return items.map((item) => String(item));
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    if (typeof like === 'boolean' && /^(true|false)$/i.test(value.trim()))
      return value.trim().toLowerCase() === 'true';
    if (typeof like === 'number' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
    return foldCase ? value.toLowerCase() : value;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** What a detail shows of a value read from the target: instants as text. */
function displayable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(displayable);
  return value;
}
