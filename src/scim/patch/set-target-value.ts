import { badRequest } from '../errors.ts';
import { unwrapEntraSingleValueArray } from '../quirks/unwrap-entra-single-value-array.ts';
import { isSameValue } from '../resource/assert-immutable-unchanged.ts';
import { canonicalizeSingleValue, canonicalizeValue } from '../resource/canonicalize-value.ts';
import { isJsonEqual, isJsonObject } from '../resource/json-value.ts';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import {
  demoteOtherPrimaries,
  elementFromFilter,
  readElements,
  selectElements,
} from './multi-valued-elements.ts';
import type { PatchTarget } from './resolve-patch-target.ts';

type AttributeTarget = Extract<PatchTarget, { kind: 'attribute' }>;

/**
 * Applies an `add` or `replace` to one attribute target inside `container` (the resource, or an
 * extension's object), mutating it. Values are validated and canonicalised on the way in.
 * @see RFC 7644 §3.5.2.1 (add) and §3.5.2.3 (replace)
 */
export function setTargetValue(
  container: Record<string, unknown>,
  target: AttributeTarget,
  op: 'add' | 'replace',
  value: unknown,
): void {
  const { definition, sub, filter, label } = target;
  if (filter !== undefined) {
    setFilteredElements(container, target, op, value);
    return;
  }
  if (sub !== undefined) {
    if (definition.multiValued) {
      throw badRequest(
        'invalidPath',
        `PATCH path "${label}": select the values of "${definition.name}" with a filter`,
      );
    }
    const parent = isJsonObject(container[definition.name])
      ? (container[definition.name] as Record<string, unknown>)
      : {};
    assign(parent, sub.name, canonicalizeValue(sub, unwrapEntraSingleValueArray(sub, value), label));
    container[definition.name] = parent;
    return;
  }
  if (definition.multiValued) {
    setMultiValued(container, definition, op, value, label);
    return;
  }
  const canonical = canonicalizeSingleValue(
    definition,
    unwrapEntraSingleValueArray(definition, value),
    label,
  );
  const existing = container[definition.name];
  // A complex value is merged: "Sub-attributes that are not specified in the "value" parameter are
  // left unchanged" (§3.5.2.3); add to a complex attribute is the same (§3.5.2.1).
  if (isJsonObject(canonical) && isJsonObject(existing))
    container[definition.name] = { ...existing, ...canonical };
  else assign(container, definition.name, canonical);
}

/**
 * add: each new value is appended unless an identical value is already there ("no changes SHOULD
 * be made", §3.5.2.1). replace: "the attribute and all values are replaced" (§3.5.2.3). A single
 * value is accepted where an array is expected: §3.5.2.1 speaks of "a new value".
 */
function setMultiValued(
  container: Record<string, unknown>,
  definition: AttributeDefinition,
  op: 'add' | 'replace',
  value: unknown,
  label: string,
): void {
  const incoming = (canonicalizeValue(definition, Array.isArray(value) ? value : [value], label) ??
    []) as unknown[];
  if (op === 'replace') {
    assign(container, definition.name, incoming.length > 0 ? incoming : undefined);
    return;
  }
  const elements = [...readElements(container, definition.name)];
  const written = new Set<unknown>();
  for (const element of incoming) {
    const existing = elements.find((candidate) => isJsonEqual(candidate, element));
    if (existing !== undefined) written.add(existing);
    else {
      elements.push(element);
      written.add(element);
    }
  }
  demoteOtherPrimaries(elements, written);
  assign(container, definition.name, elements.length > 0 ? elements : undefined);
}

/**
 * A value-filtered target (`emails[type eq "work"]`, optionally with `.value`). replace with no
 * match is 400 noTarget (§3.5.2.3); add with no match creates the element the filter describes
 * (see `elementFromFilter`), else 400 noTarget.
 */
function setFilteredElements(
  container: Record<string, unknown>,
  target: AttributeTarget,
  op: 'add' | 'replace',
  value: unknown,
): void {
  const { definition, sub, filter, label } = target;
  if (filter === undefined) return;
  const elements = readElements(container, definition.name).map((element) =>
    isJsonObject(element) ? { ...element } : element,
  );
  const selected = selectElements(elements, filter, definition);
  const written = new Set<unknown>();
  if (selected.length === 0) {
    const template = op === 'add' ? elementFromFilter(filter) : undefined;
    if (template === undefined) {
      throw badRequest(
        'noTarget',
        `PATCH path "${label}": the filter matches no value of "${definition.name}"`,
      );
    }
    const element = sub === undefined ? mergeElement(template, definition, value, label) : { ...template };
    if (sub !== undefined)
      assign(element, sub.name, canonicalizeValue(sub, unwrapEntraSingleValueArray(sub, value), label));
    const canonical = canonicalizeSingleValue(definition, element, label);
    if (canonical !== undefined) elements.push(canonical);
    written.add(canonical);
  }
  for (const index of selected) {
    const element = elements[index] as Record<string, unknown>;
    if (sub !== undefined) {
      const next = canonicalizeValue(sub, unwrapEntraSingleValueArray(sub, value), label);
      assertImmutableSubUnchanged(sub, element[sub.name], next, label);
      assign(element, sub.name, next);
    } else if (op === 'replace') {
      const replacement = canonicalizeSingleValue(definition, value, label);
      elements[index] = replacement ?? {};
    } else {
      elements[index] = mergeElement(element, definition, value, label);
    }
    written.add(elements[index]);
  }
  demoteOtherPrimaries(elements, written);
  container[definition.name] = elements;
}

function mergeElement(
  element: Record<string, unknown>,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
): Record<string, unknown> {
  const canonical = canonicalizeSingleValue(definition, value, label);
  return isJsonObject(canonical) ? { ...element, ...canonical } : { ...element };
}

/**
 * An immutable sub-attribute of an existing value (Group `members[…].value`) keeps the value it has
 * (RFC 7643 §2.2). Whole-document checks cannot see this: elements have no identity to compare by.
 */
export function assertImmutableSubUnchanged(
  sub: AttributeDefinition,
  previous: unknown,
  next: unknown,
  label: string,
): void {
  if (sub.mutability !== 'immutable' || previous === undefined || isSameValue(sub, previous, next)) return;
  throw badRequest('mutability', `Attribute "${label}" is immutable and already has a value`);
}

/** Sets `name`, or deletes it when the canonical value is unassigned. */
function assign(object: Record<string, unknown>, name: string, value: unknown): void {
  if (value === undefined) delete object[name];
  else object[name] = value;
}
