import type { ProvisioningTable } from '../storage/database-schema.ts';
import type { TargetProfile } from '../targets/profiles/target-profile.ts';
import type { CompiledProvisioning, DirectoryUser } from './engine/compiled-provisioning.ts';
import { applyMapping } from './mapping/apply-mapping.ts';
import { compileMapping } from './mapping/compile-mapping.ts';
import { defaultMapping } from './mapping/default-mappings.ts';
import { referenceAttributesOf } from './mapping/translate-references.ts';
import { type ProvisioningConfig, ProvisioningConfigSchema } from './provisioning-config.ts';
import { checkScope, evaluateScope } from './scope/evaluate-scope.ts';

export interface ConfigProblem {
  /** Where, e.g. `mapping.user[2].source`, `matching[0]`, `scope.filter`. */
  readonly path: string;
  readonly message: string;
  readonly position?: number;
  readonly length?: number;
}

export type CompileResult =
  | { readonly ok: true; readonly compiled: CompiledProvisioning; readonly config: ProvisioningConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Checks a provisioning's configuration against its target's profile and compiles it: the user
 * mapping (the profile's default when none is given), the scope, and the matching attributes (each
 * must be mapped and be one the target can filter on with `eq`). Problems name their place, and for
 * expressions the position in the text.
 */
export function compileProvisioning(
  row: Pick<ProvisioningTable, 'id' | 'tenant_id' | 'target_id' | 'status'>,
  configInput: unknown,
  profile: TargetProfile,
): CompileResult {
  const parsed = ProvisioningConfigSchema.safeParse(
    typeof configInput === 'string' ? JSON.parse(configInput) : configInput,
  );
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || 'config',
        message: issue.message,
      })),
    };
  const config = parsed.data;
  const capabilities = profile.capabilities;
  const problems: ConfigProblem[] = [];

  const userMappings = config.mapping?.user ?? defaultMapping(profile.name).user;
  const mapping = compileMapping(userMappings, { profile, resourceType: 'User', capabilities });
  if (!mapping.ok)
    for (const error of mapping.errors)
      problems.push({
        path: `mapping.user[${error.index}].${error.field}`,
        message: error.message,
        ...('position' in error && typeof error.position === 'number' ? { position: error.position } : {}),
        ...('length' in error && typeof error.length === 'number' ? { length: error.length } : {}),
      });

  const scopeCheck = checkScope(config.scope);
  if (!scopeCheck.ok)
    for (const error of scopeCheck.errors)
      problems.push({ path: `scope.${error.path ?? ''}`, message: error.message });

  const attributes = capabilities.filter.attributes;
  const filterable: readonly string[] | 'any' =
    capabilities.filter.supported && capabilities.filter.operators.includes('eq')
      ? attributes === 'any' || attributes === undefined
        ? 'any'
        : (attributes.User ?? [])
      : [];
  const mappedTargets = mapping.ok
    ? mapping.compiled.mappings.map((entry) => entry.target.canonical.toLowerCase())
    : [];
  config.matching.forEach((attribute, index) => {
    if (filterable !== 'any' && !filterable.some((name) => name.toLowerCase() === attribute.toLowerCase()))
      problems.push({
        path: `matching[${index}]`,
        message: `${profile.title} cannot look accounts up by ${attribute}`,
      });
    else if (mapping.ok && !mappedTargets.includes(attribute.toLowerCase()))
      problems.push({
        path: `matching[${index}]`,
        message: `${attribute} is not mapped, so there is no value to match on`,
      });
  });
  if (config.pushGroups && !capabilities.resourceTypes.includes('Group'))
    problems.push({ path: 'pushGroups', message: `${profile.title} has no groups` });
  const groupMappings = config.mapping?.group ?? defaultMapping(profile.name).group;
  const groupMapping = config.pushGroups
    ? compileMapping(groupMappings, { profile, resourceType: 'Group', capabilities })
    : undefined;
  if (groupMapping !== undefined && !groupMapping.ok)
    for (const error of groupMapping.errors)
      problems.push({ path: `mapping.group[${error.index}].${error.field}`, message: error.message });
  if (problems.length > 0 || !mapping.ok) return { ok: false, problems };
  const compiledGroupMapping = groupMapping?.ok === true ? groupMapping.compiled : undefined;

  const compiledMapping = mapping.compiled;
  const project = (user: DirectoryUser, operation: 'create' | 'update') => {
    const result = applyMapping(compiledMapping, user.doc, { operation });
    if (!result.ok)
      return { ok: false as const, message: result.errors.map((error) => error.message).join('; ') };
    return {
      ok: true as const,
      document: result.document,
      attributes: result.attributes as Readonly<Record<string, unknown>>,
    };
  };
  const canonicalOf = (attribute: string) =>
    compiledMapping.mappings.find((entry) => entry.target.canonical.toLowerCase() === attribute.toLowerCase())
      ?.target.canonical ?? attribute;

  const compiled: CompiledProvisioning = {
    id: row.id,
    tenantId: row.tenant_id,
    targetId: row.target_id,
    status: row.status,
    capabilities,
    operations: config.operations,
    duplicationStrategy: config.duplicationStrategy,
    deletionStrategy: config.deletionStrategy,
    deprovision: config.deprovision,
    pushGroups: config.pushGroups,
    scopeUsesGroups: (config.scope.groups?.length ?? 0) > 0,
    scopeUsesOrgUnits: (config.scope.orgUnits?.length ?? 0) > 0,
    referenceAttributes: referenceAttributesOf(
      compiledMapping.mappings.map((entry) => entry.target.canonical),
    ),
    projectGroup(group, operation) {
      if (compiledGroupMapping === undefined)
        return { ok: false, message: 'groups are not pushed by this provisioning' };
      const result = applyMapping(compiledGroupMapping, group, { operation });
      if (!result.ok) return { ok: false, message: result.errors.map((error) => error.message).join('; ') };
      return {
        ok: true,
        document: result.document,
        attributes: result.attributes as Readonly<Record<string, unknown>>,
      };
    },
    inScope: (user) =>
      evaluateScope(config.scope, {
        user: user.doc,
        groupIds: user.groupIds,
        orgUnitPaths: user.orgUnitPaths ?? [],
      }).inScope,
    project,
    matchFilters(user, mapped) {
      let attributes = mapped;
      if (attributes === undefined) {
        const projected = project(user, 'create');
        if (!projected.ok) return { ok: false, message: projected.message };
        attributes = projected.attributes;
      }
      const filters: string[] = [];
      for (const attribute of config.matching) {
        const path = canonicalOf(attribute);
        const value = attributes[path];
        if (typeof value === 'string' && value !== '') filters.push(`${path} eq ${JSON.stringify(value)}`);
        else if (typeof value === 'number' || typeof value === 'boolean')
          filters.push(`${path} eq ${String(value)}`);
      }
      return { ok: true, filters };
    },
    renameForKeepBoth(document, attempt) {
      const userName = document.userName;
      if (typeof userName !== 'string') return document;
      const at = userName.lastIndexOf('@');
      const renamed =
        at > 0 ? `${userName.slice(0, at)}-${attempt}${userName.slice(at)}` : `${userName}-${attempt}`;
      return { ...document, userName: renamed };
    },
  };
  return { ok: true, compiled, config };
}
