import type { ScimResourceTypeName, TargetProfileName } from '../../targets/profiles/target-profile.ts';
import type { AttributeMapping, AttributeMappingInput } from './attribute-mapping.ts';
import { AttributeMappingSchema } from './attribute-mapping.ts';
import {
  type CompiledAttributeMapping,
  compileAttributeMapping,
  type MappingContext,
  type MappingError,
} from './compile-attribute-mapping.ts';
import { requiredTargets } from './target-rules.ts';

export type { CompiledAttributeMapping, MappingContext, MappingError } from './compile-attribute-mapping.ts';

/** A mapping ready to apply: every expression parsed and checked once, every target resolved. */
export interface CompiledMapping {
  readonly profile: TargetProfileName;
  readonly resourceType: ScimResourceTypeName;
  /** Text values are lower-cased for targets that store them so (RAM, REFERENCE.md §4). */
  readonly lowerCaseValues: boolean;
  /** Canonical targets that must hold a value in every account written. */
  readonly required: readonly string[];
  readonly mappings: readonly CompiledAttributeMapping[];
}

export type CompileMappingResult =
  | { readonly ok: true; readonly compiled: CompiledMapping }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

/**
 * Compiles one resource type's mapping list for a target, as it is saved: each entry's target must
 * be a SCIM path the profile accepts, its source must parse and type-check against the directory's
 * source attributes (errors carry the position in the expression), and its result and default must
 * fit the target attribute. Across the list: no target twice (paths compare canonically, so
 * `NAME.givenName` and `name.givenName` collide), no value-filtered element beside the whole
 * attribute, no more e-mail elements than the target keeps, and every required target mapped.
 * Reports every error found. Entries may be raw input (`apply` left out).
 */
export function compileMapping(
  mappings: readonly (AttributeMapping | AttributeMappingInput)[],
  context: MappingContext,
): CompileMappingResult {
  const errors: MappingError[] = [];
  const capabilities = context.capabilities ?? context.profile.capabilities;
  if (!capabilities.resourceTypes.includes(context.resourceType)) {
    const message = `${context.profile.title} has no ${context.resourceType}s`;
    if (mappings.length > 0) return { ok: false, errors: [{ index: -1, field: 'target', message }] };
  }
  const compiled: CompiledAttributeMapping[] = [];
  mappings.forEach((input, index) => {
    const parsed = AttributeMappingSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ index, field: fieldOf(issue.path[0]), message: issue.message });
      }
      return;
    }
    const result = compileAttributeMapping(parsed.data, index, context);
    if (result.ok) compiled.push(result.compiled);
    else errors.push(...result.errors);
  });
  checkList(compiled, context, errors, mappings.length);
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.index - b.index) };
  return {
    ok: true,
    compiled: {
      profile: context.profile.name,
      resourceType: context.resourceType,
      lowerCaseValues: capabilities.valueCase === 'lower',
      required: requiredTargets(context.profile, context.resourceType),
      mappings: compiled,
    },
  };
}

function checkList(
  compiled: readonly CompiledAttributeMapping[],
  context: MappingContext,
  errors: MappingError[],
  count: number,
): void {
  const seen = new Map<string, number>();
  const wholeAttributes = new Map<string, number>();
  for (const mapping of compiled) {
    const key = mapping.target.canonical.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        index: mapping.index,
        field: 'target',
        message: `${mapping.target.canonical} is already mapped by mapping ${first + 1}`,
      });
    } else seen.set(key, mapping.index);
    if (mapping.multiValued) wholeAttributes.set(mapping.target.attribute.name, mapping.index);
  }
  for (const mapping of compiled) {
    const whole = wholeAttributes.get(mapping.target.attribute.name);
    if (mapping.element !== undefined && whole !== undefined) {
      errors.push({
        index: mapping.index,
        field: 'target',
        message: `${mapping.target.canonical} overlaps mapping ${whole + 1}, which writes every ${mapping.target.attribute.name} element`,
      });
    }
  }
  checkEmailCount(compiled, context, errors);
  if (errors.length > 0 || (count === 0 && context.resourceType === 'Group')) return;
  for (const required of requiredTargets(context.profile, context.resourceType)) {
    if (!seen.has(required.toLowerCase())) {
      errors.push({
        index: -1,
        field: 'target',
        message: `${context.profile.title} needs a mapping for ${required}`,
      });
    }
  }
}

function checkEmailCount(
  compiled: readonly CompiledAttributeMapping[],
  context: MappingContext,
  errors: MappingError[],
): void {
  const max = (context.capabilities ?? context.profile.capabilities).maxEmails;
  if (max === undefined) return;
  const elements = new Set<string>();
  for (const mapping of compiled) {
    if (mapping.target.attribute.name !== 'emails') continue;
    if (mapping.multiValued) {
      errors.push({
        index: mapping.index,
        field: 'target',
        message: `${context.profile.title} keeps at most ${max} e-mail; map one element, such as emails[type eq "work"].value`,
      });
      continue;
    }
    elements.add(JSON.stringify(mapping.element));
    if (elements.size > max) {
      errors.push({
        index: mapping.index,
        field: 'target',
        message: `${context.profile.title} keeps at most ${max} e-mail address${max === 1 ? '' : 'es'}`,
      });
    }
  }
}

function fieldOf(key: PropertyKey | undefined): MappingError['field'] {
  return key === 'target' || key === 'apply' || key === 'defaultValue' ? key : 'source';
}
