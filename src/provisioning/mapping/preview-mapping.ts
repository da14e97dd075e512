import { applyMapping } from './apply-mapping.ts';
import type { AttributeMapping, AttributeMappingInput, MappingSource } from './attribute-mapping.ts';
import { AttributeMappingSchema } from './attribute-mapping.ts';
import {
  compileAttributeMapping,
  type MappingContext,
  type MappingError,
} from './compile-attribute-mapping.ts';
import { compileMapping } from './compile-mapping.ts';
import { evaluateAttributeMapping, type TargetValue } from './evaluate-attribute-mapping.ts';
import type { Argument, MappedValue } from './expression/index.ts';
import { evaluateExpression, parseExpression } from './expression/index.ts';
import { createAttributeSource } from './source-attributes.ts';

export interface MappingPreviewEntry {
  readonly index: number;
  /** The target as written, and canonically when it resolved. */
  readonly target: string;
  readonly canonicalTarget?: string;
  readonly source?: MappingSource;
  /** False when the mapping did not run: it failed to compile, or it is on-create during an update. */
  readonly applied: boolean;
  /** Every source attribute the mapping reads, with the user's value. */
  readonly sourceValues: Readonly<Record<string, MappedValue>>;
  /** What the source gave, before default and conversion. */
  readonly sourceValue?: MappedValue;
  readonly usedDefault?: boolean;
  /** What the target would receive. */
  readonly value?: TargetValue;
  /** This mapping's errors, with the position in the expression where there is one. */
  readonly errors: readonly MappingError[];
}

export interface MappingPreview {
  readonly entries: readonly MappingPreviewEntry[];
  /** The whole target document, when the list compiles and every mapping applies. */
  readonly document?: Record<string, unknown>;
  /** Errors of the list as a whole (index -1: a required target unmapped, …). */
  readonly errors: readonly MappingError[];
}

/**
 * What a mapping list (saved or being edited) makes of one chosen directory object: for each
 * mapping the source values it reads, its result or its errors with their position; then the
 * target document when everything succeeds. Entries that do not compile still show the source
 * values their valid parts read, so an admin can fix one mapping while seeing the others work.
 */
export function previewMapping(
  mappings: readonly (AttributeMapping | AttributeMappingInput)[],
  context: MappingContext & { readonly operation: 'create' | 'update' },
  document: Readonly<Record<string, unknown>>,
): MappingPreview {
  const source = createAttributeSource(context.resourceType, document);
  const lowerCase = (context.capabilities ?? context.profile.capabilities).valueCase === 'lower';
  const list = compileMapping(mappings, context);
  const listErrors = list.ok ? [] : list.errors.filter((error) => error.index === -1);
  const entries = mappings.map((input, index): MappingPreviewEntry => {
    const parsed = AttributeMappingSchema.safeParse(input);
    const target = typeof input.target === 'string' ? input.target : '';
    const listEntryErrors = list.ok ? [] : list.errors.filter((error) => error.index === index);
    if (!parsed.success) return { index, target, applied: false, sourceValues: {}, errors: listEntryErrors };
    const mapping = parsed.data;
    const sourceValues = readSourceValues(mapping.source, source);
    const compiled = compileAttributeMapping(mapping, index, context);
    if (!compiled.ok) {
      return { index, target, source: mapping.source, applied: false, sourceValues, errors: compiled.errors };
    }
    const base = {
      index,
      target,
      canonicalTarget: compiled.compiled.target.canonical,
      source: mapping.source,
      sourceValues,
    };
    if (mapping.apply === 'on-create' && context.operation !== 'create') {
      return { ...base, applied: false, errors: listEntryErrors };
    }
    const evaluation = evaluateAttributeMapping(compiled.compiled, source, lowerCase);
    if (!evaluation.ok) return { ...base, applied: true, errors: [evaluation.error, ...listEntryErrors] };
    const { sourceValue, usedDefault, value } = evaluation;
    return { ...base, applied: true, sourceValue, usedDefault, value, errors: listEntryErrors };
  });
  if (!list.ok) return { entries, errors: listErrors };
  const applied = applyMapping(list.compiled, document, { operation: context.operation });
  if (!applied.ok) {
    return {
      entries: attachErrors(entries, applied.errors),
      errors: applied.errors.filter((e) => e.index === -1),
    };
  }
  return { entries, document: applied.document, errors: [] };
}

/** Adds apply-time errors (a required target left empty) to their entries. */
function attachErrors(
  entries: readonly MappingPreviewEntry[],
  errors: readonly MappingError[],
): MappingPreviewEntry[] {
  return entries.map((entry) => {
    const extra = errors.filter(
      (error) => error.index === entry.index && !entry.errors.some((e) => e.message === error.message),
    );
    return extra.length === 0 ? entry : { ...entry, errors: [...entry.errors, ...extra] };
  });
}

function readSourceValues(
  mappingSource: MappingSource,
  source: ReturnType<typeof createAttributeSource>,
): Record<string, MappedValue> {
  const names = new Set<string>();
  if (mappingSource.kind === 'attribute') names.add(mappingSource.path);
  if (mappingSource.kind === 'expression') {
    const parsed = parseForNames(mappingSource.text);
    for (const name of parsed) names.add(name);
  }
  const values: Record<string, MappedValue> = {};
  for (const name of names) {
    const result = evaluateExpression({ kind: 'attribute', name, position: 0, length: 0 }, source);
    values[name] = result.ok ? result.value : null;
  }
  return values;
}

function parseForNames(text: string): string[] {
  const parsed = parseExpression(text);
  if (!parsed.ok) return [];
  const names: string[] = [];
  collectAttributeNames(parsed.expression, names);
  return names;
}

function collectAttributeNames(node: Argument, names: string[]): void {
  switch (node.kind) {
    case 'attribute':
      names.push(node.name);
      return;
    case 'comparison':
      collectAttributeNames(node.left, names);
      collectAttributeNames(node.right, names);
      return;
    case 'call':
      for (const arg of node.args) collectAttributeNames(arg, names);
      return;
    default:
      return;
  }
}
