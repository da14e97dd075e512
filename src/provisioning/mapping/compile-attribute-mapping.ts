import type {
  ScimResourceTypeName,
  TargetCapabilities,
  TargetProfile,
} from '../../targets/profiles/target-profile.ts';
import type { AttributeMapping, MappingScalar, MappingSource } from './attribute-mapping.ts';
import {
  checkExpression,
  type Expression,
  type ExpressionType,
  parseExpression,
} from './expression/index.ts';
import { leafDefinition, type ResolvedScimPath, resolveScimPath } from './resolve-scim-path.ts';
import { sourceAttributeCatalogue } from './source-attributes.ts';
import { elementTemplate, isMultiValuedTarget, rejectTarget } from './target-rules.ts';
import { rejectTargetType, type TargetKind, targetKindOf, typeOfScalar } from './target-value.ts';

/** One problem with one mapping; `position`/`length` locate it in an expression's text. */
export interface MappingError {
  /** The mapping's index in the list; -1 for the list as a whole (e.g. a required target missing). */
  readonly index: number;
  readonly field: 'target' | 'source' | 'defaultValue' | 'apply';
  readonly message: string;
  readonly position?: number;
  readonly length?: number;
}

export interface CompiledAttributeMapping {
  readonly index: number;
  readonly target: ResolvedScimPath;
  /** The kind of value the target attribute holds. */
  readonly kind: TargetKind;
  readonly multiValued: boolean;
  /** For a filtered target, the element it writes into (`{ type: "work" }`). */
  readonly element: Readonly<Record<string, unknown>> | undefined;
  readonly source: MappingSource;
  /** Every source kind as an expression: a direct attribute is `[path]`, a constant its literal. */
  readonly expression: Expression;
  readonly type: ExpressionType;
  readonly apply: 'always' | 'on-create';
  readonly defaultValue: MappingScalar | undefined;
}

export interface MappingContext {
  readonly profile: TargetProfile;
  readonly resourceType: ScimResourceTypeName;
  /** What the target may be asked; `resolveCapabilities(profile, …)`. Defaults to the profile's. */
  readonly capabilities?: TargetCapabilities;
}

export type CompiledEntryResult =
  | { readonly ok: true; readonly compiled: CompiledAttributeMapping }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

/** Compiles one mapping on its own: target, source, type fit and default. */
export function compileAttributeMapping(
  mapping: AttributeMapping,
  index: number,
  context: MappingContext,
): CompiledEntryResult {
  const errors: MappingError[] = [];
  const capabilities = context.capabilities ?? context.profile.capabilities;
  const resolution = resolveScimPath(context.resourceType, mapping.target);
  let target: ResolvedScimPath | undefined;
  if (!resolution.ok) errors.push({ index, field: 'target', message: resolution.message });
  else {
    const rejection = rejectTarget(resolution.path, context.resourceType, context.profile, capabilities);
    if (rejection === undefined) target = resolution.path;
    else errors.push({ index, field: 'target', message: rejection });
  }
  const source = compileSource(mapping.source, index, context.resourceType, errors);
  if (target === undefined || source === undefined) return { ok: false, errors };
  const kind = targetKindOf(leafDefinition(target));
  const multiValued = isMultiValuedTarget(target);
  const typeProblem = rejectTargetType(source.type, kind, multiValued);
  if (typeProblem !== undefined) {
    errors.push({ index, field: 'source', message: `${target.canonical}: ${typeProblem}` });
  }
  if (mapping.defaultValue !== undefined) {
    const defaultProblem = rejectTargetType(typeOfScalar(mapping.defaultValue), kind, multiValued);
    if (defaultProblem !== undefined) {
      errors.push({ index, field: 'defaultValue', message: `${target.canonical}: ${defaultProblem}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    compiled: {
      index,
      target,
      kind,
      multiValued,
      element: elementTemplate(target),
      source: mapping.source,
      expression: source.expression,
      type: source.type,
      apply: mapping.apply,
      defaultValue: mapping.defaultValue,
    },
  };
}

function compileSource(
  source: MappingSource,
  index: number,
  resourceType: ScimResourceTypeName,
  errors: MappingError[],
): { expression: Expression; type: ExpressionType } | undefined {
  const catalogue = sourceAttributeCatalogue(resourceType);
  switch (source.kind) {
    case 'constant':
      return { expression: literalOf(source.value), type: typeOfScalar(source.value) };
    case 'attribute': {
      const type = catalogue.lookup(source.path);
      if (type === undefined) {
        errors.push({ index, field: 'source', message: `unknown source attribute "${source.path}"` });
        return undefined;
      }
      const expression: Expression = { kind: 'attribute', name: source.path, position: 0, length: 0 };
      return { expression, type };
    }
    case 'expression': {
      const parsed = parseExpression(source.text);
      if (!parsed.ok) {
        errors.push({ index, field: 'source', ...parsed.error });
        return undefined;
      }
      const checked = checkExpression(parsed.expression, catalogue);
      if (!checked.ok) {
        for (const error of checked.errors) errors.push({ index, field: 'source', ...error });
        return undefined;
      }
      return { expression: parsed.expression, type: checked.type };
    }
  }
}

function literalOf(value: MappingScalar): Expression {
  const span = { position: 0, length: 0 };
  if (value === null) return { kind: 'null', ...span };
  if (typeof value === 'string') return { kind: 'string', value, ...span };
  if (typeof value === 'number') return { kind: 'number', value, ...span };
  return { kind: 'boolean', value, ...span };
}
