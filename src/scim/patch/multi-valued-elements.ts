import { evaluateElementFilter } from '../filter/evaluate-filter.ts';
import type { Filter } from '../filter/filter-ast.ts';
import { isJsonObject } from '../resource/json-value.ts';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';

/** The elements of a multi-valued attribute as stored (absent or malformed counts as none). */
export function readElements(container: Record<string, unknown>, name: string): unknown[] {
  const value = container[name];
  return Array.isArray(value) ? value : [];
}

/** Indices of the elements a resolved element filter selects. */
export function selectElements(
  elements: readonly unknown[],
  filter: Filter,
  definition: AttributeDefinition,
): number[] {
  const selected: number[] = [];
  elements.forEach((element, index) => {
    if (isJsonObject(element) && evaluateElementFilter(filter, element, definition)) selected.push(index);
  });
  return selected;
}

/**
 * "a PATCH operation that sets a value's "primary" sub-attribute to "true" SHALL cause the server to
 * automatically set "primary" to "false" for any other values in the array." Elements in `keep`
 * (the ones the operation wrote) are left alone.
 * @see RFC 7644 §3.5.2
 */
export function demoteOtherPrimaries(elements: readonly unknown[], keep: ReadonlySet<unknown>): void {
  const promoted = [...keep].some((element) => isJsonObject(element) && element.primary === true);
  if (!promoted) return;
  for (const element of elements) {
    if (!keep.has(element) && isJsonObject(element) && element.primary === true) element.primary = false;
  }
}

/**
 * The element an `add` creates when its value filter selects nothing, built from the filter's
 * equality terms (`emails[type eq "work"].value` → `{ type: "work" }`): Entra sends `Add` with such a
 * path for a value the resource did not have yet. Undefined when the filter is not a conjunction of
 * `eq` comparisons with non-null literals, since no single element is then implied.
 * @see Microsoft Learn, "Known issues … SCIM 2.0 protocol compliance": Entra sends `Add` for an
 *   attribute without a previous value; RFC 7644 §3.5.2.1 ("If the target location does not exist,
 *   the attribute and value are added")
 */
export function elementFromFilter(filter: Filter): Record<string, unknown> | undefined {
  if (filter.kind === 'compare') {
    if (filter.op !== 'eq' || filter.value === null || filter.path.sub !== undefined) return undefined;
    return { [filter.path.name]: filter.value };
  }
  if (filter.kind !== 'and') return undefined;
  const left = elementFromFilter(filter.left);
  const right = elementFromFilter(filter.right);
  if (left === undefined || right === undefined) return undefined;
  for (const key of Object.keys(right))
    if (Object.hasOwn(left, key) && left[key] !== right[key]) return undefined;
  return { ...left, ...right };
}
