import { resolveEntraUnqualifiedExtensionAttribute } from '../quirks/resolve-entra-unqualified-extension-attribute.ts';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { findSubAttribute, resolveAttribute } from '../schema/schema-registry.ts';
import { checkComparison } from './check-comparison.ts';
import type { AttributePath, Filter } from './filter-ast.ts';
import { checkFilterable, type FilterTarget, invalidFilter } from './filter-target.ts';
import { printAttributePath } from './print-filter.ts';

/**
 * Canonicalises and type-checks a parsed filter against a resource type: every path gets the
 * defining schema's URN and the schema's spelling, a complex attribute compared without a
 * sub-attribute is rewritten to its `value` sub-attribute, and dateTime literals become canonical
 * (`toISOString`). Any failure is a 400 `invalidFilter`. The evaluator and SQL compilers accept only
 * trees that came out of here.
 * @see RFC 7644 §3.4.2.2
 */
export function resolveFilter(filter: Filter, resourceType: ResourceTypeDefinition): Filter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return {
        kind: filter.kind,
        left: resolveFilter(filter.left, resourceType),
        right: resolveFilter(filter.right, resourceType),
      };
    case 'not':
      return { kind: 'not', filter: resolveFilter(filter.filter, resourceType) };
    case 'present':
      return { kind: 'present', path: resolveTopLevelPath(filter.path, resourceType).path };
    case 'compare':
      return checkComparison(filter, resolveTopLevelPath(filter.path, resourceType));
    case 'valuePath': {
      const target = resolveTopLevelPath(filter.path, resourceType);
      if (target.path.sub !== undefined || target.definition.type !== 'complex') {
        throw invalidFilter(`"${target.written}[…]" needs a complex attribute before "["`);
      }
      return {
        kind: 'valuePath',
        path: target.path,
        filter: resolveElementFilter(filter.filter, target.definition),
      };
    }
  }
}

/**
 * Resolves the filter inside `attr[…]` (a value path, or a PATCH path's filter), whose paths are
 * bare sub-attribute names of the complex attribute `parent`. Result paths carry neither `uri` nor
 * `sub`. Failures are 400 `invalidFilter`.
 * @see RFC 7644 §3.4.2.2 (valuePath), §3.5.2
 */
export function resolveElementFilter(filter: Filter, parent: AttributeDefinition): Filter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return {
        kind: filter.kind,
        left: resolveElementFilter(filter.left, parent),
        right: resolveElementFilter(filter.right, parent),
      };
    case 'not':
      return { kind: 'not', filter: resolveElementFilter(filter.filter, parent) };
    case 'present':
      return { kind: 'present', path: resolveElementPath(filter.path, parent).path };
    case 'compare':
      return checkComparison(filter, resolveElementPath(filter.path, parent));
    case 'valuePath':
      throw invalidFilter(`value filters cannot be nested inside "${parent.name}[…]"`);
  }
}

function resolveTopLevelPath(path: AttributePath, resourceType: ResourceTypeDefinition): FilterTarget {
  const written = printAttributePath(path);
  const attributePath = path.uri === undefined ? { name: path.name } : { uri: path.uri, name: path.name };
  // Entra's documented manager query (tutorial Example 4) names `manager` without its extension URN.
  const resolved =
    resolveAttribute(resourceType, attributePath) ??
    resolveEntraUnqualifiedExtensionAttribute(resourceType, attributePath);
  if (resolved === undefined) {
    throw invalidFilter(`"${written}" is not an attribute of ${resourceType.name} resources`);
  }
  checkFilterable(resolved.definition, written);
  const canonical = { uri: resolved.schema, name: resolved.definition.name };
  if (path.sub === undefined) return { path: canonical, definition: resolved.definition, written };
  const sub = findSubAttributeOf(resolved.definition, path.sub, written);
  return { path: { ...canonical, sub: sub.name }, definition: sub, written };
}

function resolveElementPath(path: AttributePath, parent: AttributeDefinition): FilterTarget {
  const written = printAttributePath(path);
  if (path.uri !== undefined || path.sub !== undefined) {
    throw invalidFilter(
      `inside "${parent.name}[…]" name a sub-attribute of "${parent.name}", not "${written}"`,
    );
  }
  const sub = findSubAttributeOf(parent, path.name, `${parent.name}.${path.name}`);
  return { path: { name: sub.name }, definition: sub, written };
}

function findSubAttributeOf(parent: AttributeDefinition, name: string, written: string): AttributeDefinition {
  if (parent.type !== 'complex') {
    throw invalidFilter(`"${parent.name}" is a ${parent.type} attribute and has no sub-attribute "${name}"`);
  }
  const sub = findSubAttribute(parent, name);
  if (sub === undefined) throw invalidFilter(`"${name}" is not a sub-attribute of "${parent.name}"`);
  checkFilterable(sub, written);
  return sub;
}
