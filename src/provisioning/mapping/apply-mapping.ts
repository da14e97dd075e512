import { buildTargetDocument } from './build-target-document.ts';
import type { CompiledAttributeMapping, CompiledMapping, MappingError } from './compile-mapping.ts';
import type { MappedAttributes } from './diff-mapped-attributes.ts';
import { evaluateAttributeMapping, type TargetValue } from './evaluate-attribute-mapping.ts';
import { createAttributeSource } from './source-attributes.ts';

export {
  type AttributeChange,
  diffMappedAttributes,
  type MappedAttributes,
} from './diff-mapped-attributes.ts';

export interface ApplyMappingOptions {
  /** `create` applies every mapping; `update` skips the on-create ones. */
  readonly operation: 'create' | 'update';
}

export type ApplyMappingResult =
  | {
      readonly ok: true;
      /** The target's SCIM document (with `schemas`), ready for POST or PUT. */
      readonly document: Record<string, unknown>;
      /** Every applied target's value, null included, by canonical target path. */
      readonly attributes: MappedAttributes;
    }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

/**
 * Maps one directory object (a SCIM User or Group document) to the target's document. Mappings
 * apply in order; `on-create` ones only on create; a null source takes the mapping's default; the
 * value is converted to the target attribute's type and lower-cased where the target lower-cases.
 * Required targets (userName; the profile's own) must end with a non-empty value. Reports every
 * failing mapping; never throws for data, whatever the document holds.
 */
export function applyMapping(
  compiled: CompiledMapping,
  document: Readonly<Record<string, unknown>>,
  options: ApplyMappingOptions,
): ApplyMappingResult {
  const source = createAttributeSource(compiled.resourceType, document);
  const errors: MappingError[] = [];
  const applied: { mapping: CompiledAttributeMapping; value: TargetValue }[] = [];
  for (const mapping of compiled.mappings) {
    if (mapping.apply === 'on-create' && options.operation !== 'create') continue;
    const evaluation = evaluateAttributeMapping(mapping, source, compiled.lowerCaseValues);
    if (!evaluation.ok) errors.push(evaluation.error);
    else applied.push({ mapping, value: evaluation.value });
  }
  for (const { mapping, value } of applied) {
    if (compiled.required.includes(mapping.target.canonical) && (value === null || value === '')) {
      errors.push({
        index: mapping.index,
        field: 'source',
        message: `${mapping.target.canonical} is required by the target but the mapping gives no value`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const attributes: Record<string, TargetValue> = {};
  for (const { mapping, value } of applied) attributes[mapping.target.canonical] = value;
  return { ok: true, document: buildTargetDocument(compiled.resourceType, applied), attributes };
}
