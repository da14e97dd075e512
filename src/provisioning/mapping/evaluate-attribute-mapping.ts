import type { CompiledAttributeMapping, MappingError } from './compile-attribute-mapping.ts';
import { type AttributeSource, evaluateExpression, type MappedValue } from './expression/index.ts';
import { coerceToTarget, type TargetScalar } from './target-value.ts';

/** What a target attribute receives: one value, several (multi-valued targets), or null (absent). */
export type TargetValue = TargetScalar | readonly TargetScalar[] | null;

export type MappingEvaluation =
  | {
      readonly ok: true;
      /** What the source (expression, attribute or constant) gave, before default and coercion. */
      readonly sourceValue: MappedValue;
      readonly usedDefault: boolean;
      readonly value: TargetValue;
    }
  | { readonly ok: false; readonly error: MappingError };

/**
 * Evaluates one compiled mapping for one directory object: the source, then the default when the
 * source gives null, then the target's type (and lower-casing where the target lower-cases).
 * Never throws for data.
 */
export function evaluateAttributeMapping(
  mapping: CompiledAttributeMapping,
  source: AttributeSource,
  lowerCase: boolean,
): MappingEvaluation {
  const result = evaluateExpression(mapping.expression, source);
  if (!result.ok) {
    const located = mapping.source.kind === 'expression' ? result.error : { message: result.error.message };
    return { ok: false, error: { index: mapping.index, field: 'source', ...located } };
  }
  const sourceValue = result.value;
  const usedDefault =
    sourceValue === null && mapping.defaultValue !== undefined && mapping.defaultValue !== null;
  const raw = usedDefault ? (mapping.defaultValue ?? null) : sourceValue;
  if (raw === null) return { ok: true, sourceValue, usedDefault, value: null };
  const values = Array.isArray(raw) ? (raw as readonly TargetScalar[]) : [raw as TargetScalar];
  if (!mapping.multiValued && values.length !== 1) {
    return fail(
      mapping,
      usedDefault,
      `gives ${values.length} values but ${mapping.target.canonical} takes one`,
    );
  }
  const coerced: TargetScalar[] = [];
  for (const value of values) {
    const result = coerceToTarget(value, mapping.kind, lowerCase);
    if (!result.ok) return fail(mapping, usedDefault, `${mapping.target.canonical} ${result.message}`);
    coerced.push(result.value);
  }
  return { ok: true, sourceValue, usedDefault, value: mapping.multiValued ? coerced : (coerced[0] ?? null) };
}

function fail(mapping: CompiledAttributeMapping, usedDefault: boolean, message: string): MappingEvaluation {
  return {
    ok: false,
    error: { index: mapping.index, field: usedDefault ? 'defaultValue' : 'source', message },
  };
}
