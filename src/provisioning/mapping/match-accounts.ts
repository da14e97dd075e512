import { z } from 'zod';
import { printFilter } from '../../scim/filter/print-filter.ts';
import type {
  ScimResourceTypeName,
  TargetCapabilities,
  TargetProfile,
} from '../../targets/profiles/target-profile.ts';
import { type ResolvedScimPath, resolveScimPath } from './resolve-scim-path.ts';
import { readSourceAttribute, resolveSourceAttribute } from './source-attributes.ts';

/**
 * Matching: how an account that already exists on the target is found for a directory object. An
 * ordered list of (source attribute, target attribute) pairs; each becomes one `eq` filter and the
 * engine tries them in order, the first that finds an account wins; pairs are never combined with
 * `and` (Entra's rule, REFERENCE.md §2).
 */
export const MatchingRuleSchema = z.object({
  /** A source attribute of the directory object (see source-attributes.ts), e.g. `userName`, `id`. */
  sourceAttribute: z.string().trim().min(1).max(1_000),
  /** The target attribute to filter on, e.g. `userName`, `externalId`. */
  targetAttribute: z.string().trim().min(1).max(1_000),
});

export const MatchingSchema = z
  .array(MatchingRuleSchema)
  .min(1, 'must name at least one matching attribute')
  .max(5);

export type MatchingRule = z.infer<typeof MatchingRuleSchema>;
export type Matching = z.infer<typeof MatchingSchema>;

export interface MatchingError {
  readonly index: number;
  readonly field: 'sourceAttribute' | 'targetAttribute';
  readonly message: string;
}

export interface MatchFilter {
  readonly index: number;
  /** The canonical target path. */
  readonly targetAttribute: string;
  readonly value: string | number | boolean;
  /** The RFC 7644 filter to send: `userName eq "bjensen"`. */
  readonly filter: string;
}

export type MatchFiltersResult =
  | {
      readonly ok: true;
      readonly filters: readonly MatchFilter[];
      /** Rules that give no filter for this object (its source value is absent or not single). */
      readonly skipped: readonly { readonly index: number; readonly reason: string }[];
    }
  | { readonly ok: false; readonly errors: readonly MatchingError[] };

export interface MatchingOptions {
  readonly resourceType?: ScimResourceTypeName;
  /** The capabilities resolved for the target; the profile's by default. */
  readonly capabilities?: TargetCapabilities;
}

/**
 * Checks the rules against the target, as they are saved: each source attribute must exist, each
 * target attribute must be one the target can filter on with `eq` (RAM: id, userName,
 * externalId; AWS Identity Center: its documented list). Returns every error.
 */
export function checkMatching(
  matching: readonly MatchingRule[],
  profile: TargetProfile,
  options: MatchingOptions = {},
):
  | { readonly ok: true; readonly targets: readonly ResolvedScimPath[] }
  | { readonly ok: false; readonly errors: readonly MatchingError[] } {
  const resourceType = options.resourceType ?? 'User';
  const capabilities = options.capabilities ?? profile.capabilities;
  const errors: MatchingError[] = [];
  const targets: ResolvedScimPath[] = [];
  matching.forEach((rule, index) => {
    if (resolveSourceAttribute(resourceType, rule.sourceAttribute) === undefined) {
      errors.push({
        index,
        field: 'sourceAttribute',
        message: `unknown source attribute "${rule.sourceAttribute}"`,
      });
    }
    const resolution = resolveScimPath(resourceType, rule.targetAttribute);
    if (!resolution.ok) {
      errors.push({ index, field: 'targetAttribute', message: resolution.message });
      return;
    }
    const problem = rejectFilterTarget(resolution.path, profile, capabilities, resourceType);
    if (problem !== undefined) errors.push({ index, field: 'targetAttribute', message: problem });
    else targets.push(resolution.path);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, targets };
}

/**
 * The filters to try, in order, for one directory object: `<target> eq <value>` with the value as
 * a JSON literal (RFC 7644 §3.4.2.2: quotes and backslashes escaped), lower-cased for targets that
 * store values lower-cased. A value-path target becomes `emails[type eq "work" and value eq "…"]`.
 */
export function buildMatchFilters(
  matching: readonly MatchingRule[],
  document: Readonly<Record<string, unknown>>,
  profile: TargetProfile,
  options: MatchingOptions = {},
): MatchFiltersResult {
  const checked = checkMatching(matching, profile, options);
  if (!checked.ok) return checked;
  const resourceType = options.resourceType ?? 'User';
  const lowerCase = (options.capabilities ?? profile.capabilities).valueCase === 'lower';
  const filters: MatchFilter[] = [];
  const skipped: { index: number; reason: string }[] = [];
  matching.forEach((rule, index) => {
    const target = checked.targets[index]!;
    const value = singleValue(readSourceAttribute(resourceType, document, rule.sourceAttribute));
    if (typeof value === 'object') {
      skipped.push({ index, reason: `${rule.sourceAttribute} ${value.problem}` });
      return;
    }
    const literal = lowerCase && typeof value === 'string' ? value.toLowerCase() : value;
    filters.push({
      index,
      targetAttribute: target.canonical,
      value: literal,
      filter: printMatchFilter(target, literal),
    });
  });
  return { ok: true, filters, skipped };
}

function rejectFilterTarget(
  path: ResolvedScimPath,
  profile: TargetProfile,
  capabilities: TargetCapabilities,
  resourceType: ScimResourceTypeName,
): string | undefined {
  const { filter } = capabilities;
  if (!filter.supported || !filter.operators.includes('eq')) return `${profile.title} cannot filter with eq`;
  if (path.attribute.type === 'complex' && path.sub === undefined) {
    return `${path.canonical} is complex; name a sub-attribute to match on`;
  }
  if (path.filter !== undefined && !filter.logicalOperators.includes('and')) {
    return `${profile.title} cannot filter on a value path`;
  }
  if (filter.attributes === 'any') return undefined;
  const allowed = filter.attributes[resourceType] ?? [];
  const names = [
    path.canonical,
    path.attribute.name,
    path.sub === undefined ? '' : `${path.attribute.name}.${path.sub.name}`,
  ];
  const ok = allowed.some(
    (a) => names.some((name) => name.toLowerCase() === a.toLowerCase()) && path.filter === undefined,
  );
  return ok ? undefined : `${profile.title} can filter ${resourceType}s only on ${allowed.join(', ')}`;
}

function singleValue(raw: unknown): string | number | boolean | { problem: string } {
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined && v !== null && v !== '');
  if (values.length === 0) return { problem: 'has no value' };
  if (values.length > 1) return { problem: `has ${values.length} values` };
  const [value] = values;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return { problem: 'is not a single text, number or boolean' };
}

function printMatchFilter(path: ResolvedScimPath, value: string | number | boolean): string {
  const literal = JSON.stringify(value);
  const prefix = path.core ? '' : `${path.schema}:`;
  if (path.filter !== undefined) {
    return `${prefix}${path.attribute.name}[${path.filter.kind === 'or' ? `(${printFilter(path.filter)})` : printFilter(path.filter)} and ${path.sub?.name ?? 'value'} eq ${literal}]`;
  }
  return `${path.canonical} eq ${literal}`;
}
