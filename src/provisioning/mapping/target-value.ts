import { canonicalDateTime } from '../../scim/filter/compare-values.ts';
import type { AttributeDefinition } from '../../scim/schema/attribute-definition.ts';
import type { ExpressionType } from './expression/index.ts';

/** What a target attribute holds, as far as a mapped value is concerned. */
export type TargetKind = 'string' | 'boolean' | 'integer' | 'decimal' | 'dateTime';

/** A single value bound for a target attribute. */
export type TargetScalar = string | number | boolean;

export type CoercionResult =
  | { readonly ok: true; readonly value: TargetScalar }
  | { readonly ok: false; readonly message: string };

export function targetKindOf(definition: AttributeDefinition): TargetKind {
  switch (definition.type) {
    case 'boolean':
    case 'integer':
    case 'decimal':
    case 'dateTime':
      return definition.type;
    default:
      return 'string';
  }
}

/**
 * Why a value of `type` cannot go into a target, or undefined when it can. Text goes anywhere (it
 * is checked when applied, as Entra sends `"True"` for booleans); otherwise the kinds must agree,
 * and a multi-valued result needs a multi-valued target.
 */
export function rejectTargetType(
  type: ExpressionType,
  kind: TargetKind,
  multiValuedTarget: boolean,
): string | undefined {
  if (type.type === 'null') return undefined;
  if (type.multiValued && !multiValuedTarget) {
    return 'a multi-valued result cannot go into a single-valued attribute; pick one value (e.g. with a value filter or Join)';
  }
  if (kind === 'string' || type.type === 'string') return undefined;
  const fits =
    (kind === 'boolean' && type.type === 'boolean') ||
    ((kind === 'integer' || kind === 'decimal') && type.type === 'number') ||
    (kind === 'dateTime' && type.type === 'dateTime');
  return fits ? undefined : `a ${type.type} cannot go into a ${kind} attribute`;
}

/** The ExpressionType of a constant or default value. */
export function typeOfScalar(value: TargetScalar | null): ExpressionType {
  if (value === null) return { type: 'null', multiValued: false };
  return { type: typeof value as 'string' | 'number' | 'boolean', multiValued: false };
}

/**
 * Turns one mapped value into what the target attribute takes: booleans from `true`/`false` text
 * (any case), numbers from numeric text, dateTimes in canonical form (`toISOString`); text targets
 * take numbers as JavaScript prints them and booleans as `True`/`False` (Entra's .NET spelling).
 * `lowerCase` lower-cases text, for targets that store values lower-cased (RAM via IDaaS, §4).
 */
export function coerceToTarget(value: TargetScalar, kind: TargetKind, lowerCase: boolean): CoercionResult {
  switch (kind) {
    case 'string': {
      const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
      return { ok: true, value: lowerCase ? text.toLowerCase() : text };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, message: `expects True or False but found ${JSON.stringify(value)}` };
    }
    case 'integer':
    case 'decimal': {
      const number = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : NaN;
      if (!Number.isFinite(number))
        return { ok: false, message: `expects a number but found ${JSON.stringify(value)}` };
      if (kind === 'integer' && !Number.isSafeInteger(number)) {
        return { ok: false, message: `expects a whole number but found ${JSON.stringify(value)}` };
      }
      return { ok: true, value: number };
    }
    case 'dateTime': {
      const canonical = typeof value === 'string' ? canonicalDateTime(value.trim()) : undefined;
      if (canonical === undefined) {
        return {
          ok: false,
          message: `expects an xsd:dateTime such as 2024-01-31T12:00:00Z but found ${JSON.stringify(value)}`,
        };
      }
      return { ok: true, value: canonical };
    }
  }
}

function parseNumber(text: string): number {
  return /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
}
