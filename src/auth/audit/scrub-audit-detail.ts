/**
 * Makes caller-supplied audit data safe and small before it is stored: the audit log must never hold a
 * token, secret or password (issue 3), and a huge or deeply nested request body must not bloat it.
 *
 * Two nets, both applied everywhere:
 * - a key that names a credential (`password`, `clientSecret`, `Authorization`, …) has its value
 *   replaced by `[redacted]`, whatever the value is (booleans and null pass: they cannot carry one);
 * - any string, key or value, at any depth, has every run that looks like an issued credential
 *   replaced: `lss_`/`lsa_`/`lst_` values (whole or cut), JWTs, `Bearer …` and `Basic …`.
 * The patterns over-match on purpose (a long dotted identifier may be redacted): losing a word from an
 * audit detail costs little, keeping a credential costs a lot.
 */

export const REDACTED = '[redacted]';

const SENSITIVE_KEY = /secret|password|token|authorization|credential|private/i;
/** Settings whose names mention a credential but whose values are not one (their strings are still scrubbed). */
const SETTING_KEYS = new Set(['tokenTtlSeconds', 'secretAsBearer']);

/**
 * Credential-looking runs, matched in this order: each pattern's character class covers every character
 * of the kinds matched after it, so a run that one pattern takes (say an `lss_` value glued to a JWT)
 * is taken whole, never leaving a tail for the next. Each tolerates a cut-off value (a string truncated
 * mid-secret still loses its tail), and none backtracks quadratically: the generic JWT form only starts
 * where a base64url run starts.
 */
const CREDENTIALS = [
  /(?:(?:bearer|basic)\s+)+\S*/gi, // an Authorization header value (`Bearer Basic x` included)
  /eyJ[\w.-]*/g, // a JWT: its header is base64url JSON, so it starts with `eyJ`
  /(?<![\w-])[\w-]{10,}\.[\w-]{10,}\.[\w.-]*/g, // any other xxx.yyy.zzz of long base64url parts
  /ls[sat]_[\w-]*/gi, // issued app secrets, admin tokens, legacy bearer tokens
];

/** Size bounds of one scrubbed detail. */
export const DETAIL_LIMITS = {
  maxDepth: 8,
  maxItems: 50,
  maxKeys: 50,
  maxString: 1000,
  maxKey: 100,
  /** Values (objects, arrays, scalars) in the whole detail. */
  maxNodes: 500,
  /** Characters of strings and keys in the whole detail. */
  maxChars: 16_384,
} as const;

/** Strings are cut to this before pattern matching, so matching costs at most this much per string. */
const MATCH_WINDOW = 8 * DETAIL_LIMITS.maxString;

/**
 * `text` with credential-looking runs redacted, storable (no U+0000, no lone surrogate: PostgreSQL
 * refuses both) and at most `maxLength` characters long.
 */
export function scrubAuditText(text: string, maxLength: number): string {
  const window = text.length > MATCH_WINDOW ? text.slice(0, MATCH_WINDOW) : text;
  let scrubbed = window;
  for (const pattern of CREDENTIALS) scrubbed = scrubbed.replace(pattern, REDACTED);
  scrubbed = scrubbed.replaceAll('\u0000', '\uFFFD').toWellFormed();
  if (scrubbed.length <= maxLength && window.length === text.length) return scrubbed;
  return `${scrubbed.slice(0, Math.max(0, maxLength)).toWellFormed()}…[truncated]`;
}

/** A detail fit to store: JSON-compatible, scrubbed and bounded (see above); null when there is none. */
export function scrubAuditDetail(detail: unknown): Record<string, unknown> | null {
  if (detail === null || detail === undefined) return null;
  const budget = { nodes: DETAIL_LIMITS.maxNodes, chars: DETAIL_LIMITS.maxChars };
  const scrubbed = scrubValue(detail, 0, budget);
  if (typeof scrubbed === 'object' && scrubbed !== null && !Array.isArray(scrubbed))
    return scrubbed as Record<string, unknown>;
  return { value: scrubbed ?? null };
}

interface Budget {
  nodes: number;
  chars: number;
}

/** Strings take from the detail's character budget; once it is spent, no further entries are kept. */
function scrubString(text: string, maxLength: number, budget: Budget): string {
  const result = scrubAuditText(text, Math.min(maxLength, Math.max(budget.chars, 1)));
  budget.chars = Math.max(0, budget.chars - result.length);
  return result;
}

/** The stored form of `value`, or undefined to leave it out (functions, symbols, undefined). */
function scrubValue(value: unknown, depth: number, budget: Budget): unknown {
  if (budget.nodes <= 0) return '[truncated]';
  budget.nodes -= 1;
  switch (typeof value) {
    case 'string':
      return scrubString(value, DETAIL_LIMITS.maxString, budget);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  if (depth >= DETAIL_LIMITS.maxDepth) return '[truncated]';
  if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Error) return scrubValue({ name: value.name, message: value.message }, depth, budget);
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') return scrubValue(toJson.call(value), depth + 1, budget);
  if (Array.isArray(value)) return scrubArray(value, depth, budget);
  return scrubObject(value as Record<string, unknown>, depth, budget);
}

function scrubArray(items: readonly unknown[], depth: number, budget: Budget): unknown[] {
  const result: unknown[] = [];
  for (const item of items.slice(0, DETAIL_LIMITS.maxItems)) {
    if (budget.nodes <= 0 || budget.chars <= 0) break;
    result.push(scrubValue(item, depth + 1, budget) ?? null);
  }
  if (result.length < items.length) result.push(`[${items.length - result.length} more items]`);
  return result;
}

function scrubObject(
  object: Record<string, unknown>,
  depth: number,
  budget: Budget,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const keys = Object.keys(object);
  let kept = 0;
  for (const key of keys) {
    if (kept >= DETAIL_LIMITS.maxKeys || budget.nodes <= 0 || budget.chars <= 0) break;
    kept += 1;
    const value = object[key];
    const name = scrubString(key, DETAIL_LIMITS.maxKey, budget);
    const scrubbed =
      SENSITIVE_KEY.test(key) && !SETTING_KEYS.has(key) && value !== null && typeof value !== 'boolean'
        ? value === undefined
          ? undefined
          : REDACTED
        : scrubValue(value, depth + 1, budget);
    if (scrubbed !== undefined) result[name] = scrubbed;
  }
  if (kept < keys.length) result['…'] = `${keys.length - kept} more keys`;
  return result;
}
