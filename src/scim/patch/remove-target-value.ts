import { badRequest, ScimError } from '../errors.ts';
import type { Filter } from '../filter/filter-ast.ts';
import { resolveElementFilter } from '../filter/resolve-filter.ts';
import { isJsonObject } from '../resource/json-value.ts';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import { findSubAttribute } from '../schema/schema-registry.ts';
import { readElements, selectElements } from './multi-valued-elements.ts';
import type { PatchTarget } from './resolve-patch-target.ts';
import { assertImmutableSubUnchanged } from './set-target-value.ts';

type AttributeTarget = Extract<PatchTarget, { kind: 'attribute' }>;

/**
 * Applies a `remove` to one attribute target inside `container`, mutating it. A value filter that
 * matches nothing removes nothing: §3.5.2.2 defines noTarget only for a missing path, and an
 * idempotent remove is what clients retrying a membership removal need.
 *
 * Removing a required attribute (or making it unassigned) is 400 mutability, as §3.5.2.2 says: "If
 * an attribute is removed or becomes unassigned and is defined as a required attribute or a
 * read-only attribute, the server SHALL return … a "scimType" error code of "mutability"."
 * @see RFC 7644 §3.5.2.2
 */
export function removeTargetValue(
  container: Record<string, unknown>,
  target: AttributeTarget,
  value: unknown,
): void {
  const { definition, sub, filter, label } = target;
  if (sub?.required) throw requiredError(`${definition.name}.${sub.name}`);
  if (filter !== undefined) {
    const elements = readElements(container, definition.name);
    const selected = new Set(selectElements(elements, filter, definition));
    if (sub !== undefined) {
      for (const index of selected)
        assertImmutableSubUnchanged(sub, readSub(elements[index], sub.name), undefined, label);
    }
    const remaining =
      sub === undefined
        ? elements.filter((_, index) => !selected.has(index))
        : elements.map((element, index) => (selected.has(index) ? withoutKey(element, sub.name) : element));
    setRemaining(container, definition, remaining);
    return;
  }
  if (sub !== undefined) {
    if (definition.multiValued) {
      throw badRequest(
        'invalidPath',
        `PATCH path "${label}": select the values of "${definition.name}" with a filter`,
      );
    }
    const parent = container[definition.name];
    if (!isJsonObject(parent)) return;
    const rest = withoutKey(parent, sub.name);
    if (Object.keys(rest).length === 0) delete container[definition.name];
    else container[definition.name] = rest;
    return;
  }
  if (definition.multiValued && value !== undefined && value !== null) {
    const matchers = (Array.isArray(value) ? value : [value]).map((item) =>
      matcherFor(definition, item, label),
    );
    const remaining = readElements(container, definition.name).filter(
      (element) => !matchers.some((matches) => matches(element)),
    );
    setRemaining(container, definition, remaining);
    return;
  }
  if (definition.required) throw requiredError(definition.name);
  delete container[definition.name];
}

function setRemaining(
  container: Record<string, unknown>,
  definition: AttributeDefinition,
  remaining: unknown[],
): void {
  if (remaining.length > 0) {
    container[definition.name] = remaining;
    return;
  }
  if (definition.required) throw requiredError(definition.name);
  delete container[definition.name];
}

/**
 * `{"op":"remove","path":"members","value":[{"value":"<id>"}]}` (Entra's default member removal)
 * removes the values that match each given one. A complex value is identified by its `value`
 * sub-attribute when it has one (RFC 7643 §2.4), else by all the sub-attributes it gives; readOnly
 * sub-attributes and nulls are not compared. Matching uses the filter semantics (caseExact etc.).
 */
function matcherFor(
  definition: AttributeDefinition,
  item: unknown,
  label: string,
): (element: unknown) => boolean {
  if (definition.type !== 'complex') {
    const folded = (text: unknown) =>
      typeof text === 'string' && !definition.caseExact ? text.toLowerCase() : text;
    return (element) => folded(element) === folded(item);
  }
  if (!isJsonObject(item)) {
    throw badRequest('invalidValue', `PATCH "remove" of "${label}": each value to remove must be an object`);
  }
  const keys = Object.keys(item).filter((key) => {
    const sub = findSubAttribute(definition, key);
    return (
      sub !== undefined &&
      sub.mutability !== 'readOnly' &&
      item[key] !== null &&
      typeof item[key] !== 'object'
    );
  });
  const valueKey = keys.find((key) => key.toLowerCase() === 'value');
  const terms = (valueKey === undefined ? keys : [valueKey]).map((key) => compareEq(key, item[key]));
  if (terms.length === 0 || terms.some((term) => term === undefined)) return () => false;
  let filter: Filter;
  try {
    filter = resolveElementFilter(
      (terms as Filter[]).reduce((left, right) => ({ kind: 'and', left, right })),
      definition,
    );
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    throw badRequest('invalidValue', `PATCH "remove" of "${label}": ${error.message}`);
  }
  return (element) => selectElements([element], filter, definition).length > 0;
}

function compareEq(name: string, literal: unknown): Filter | undefined {
  if (typeof literal !== 'string' && typeof literal !== 'number' && typeof literal !== 'boolean')
    return undefined;
  return { kind: 'compare', path: { name }, op: 'eq', value: literal };
}

function readSub(element: unknown, name: string): unknown {
  return isJsonObject(element) ? element[name] : undefined;
}

function withoutKey<T>(element: T, key: string): T {
  if (!isJsonObject(element)) return element;
  const { [key]: _removed, ...rest } = element;
  return rest as T;
}

function requiredError(name: string) {
  return badRequest(
    'mutability',
    `Attribute "${name}" is required and cannot be removed (RFC 7644 §3.5.2.2)`,
  );
}
