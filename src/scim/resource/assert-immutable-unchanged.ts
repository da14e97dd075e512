import { badRequest } from '../errors.ts';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { topLevelAttributes } from '../schema/schema-registry.ts';
import { isJsonEqual, isJsonObject } from './json-value.ts';
import type { ScimDocument } from './scim-document.ts';

/**
 * Refuses (400 mutability) a change to an `immutable` attribute that already had a value: a
 * different value or its removal. Checked for top-level attributes of the core schema and of each
 * extension, and for immutable sub-attributes of single-valued complex attributes. Immutable
 * sub-attributes of multi-valued attributes (Group `members.value`) are not checked here: elements
 * have no identity to compare by, and members live in their own table anyway.
 * @see RFC 7644 §3.5.1 ("immutable: If one or more values are already set for the attribute, the
 *   input value(s) MUST match") and RFC 7643 §2.2
 */
export function assertImmutableUnchanged(
  rt: ResourceTypeDefinition,
  before: ScimDocument,
  after: ScimDocument,
): void {
  assertImmutableAttributesUnchanged(topLevelAttributes(rt, rt.schema), before, after, '');
  for (const { schema } of rt.schemaExtensions) {
    const previous = before[schema];
    if (!isJsonObject(previous)) continue;
    const next = after[schema];
    assertImmutableAttributesUnchanged(
      topLevelAttributes(rt, schema),
      previous,
      isJsonObject(next) ? next : {},
      `${schema}:`,
    );
  }
}

/** The same check over explicit attribute definitions (one schema's attributes and values). */
export function assertImmutableAttributesUnchanged(
  definitions: readonly AttributeDefinition[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
): void {
  for (const definition of definitions) {
    const previous = before[definition.name];
    if (previous === undefined) continue;
    const next = after[definition.name];
    if (definition.mutability === 'immutable') {
      if (!isSameValue(definition, previous, next)) throw immutableError(`${prefix}${definition.name}`);
      continue;
    }
    if (definition.type !== 'complex' || definition.multiValued || !isJsonObject(previous)) continue;
    const nextObject = isJsonObject(next) ? next : {};
    for (const sub of definition.subAttributes ?? []) {
      if (sub.mutability !== 'immutable' || previous[sub.name] === undefined) continue;
      if (!isSameValue(sub, previous[sub.name], nextObject[sub.name])) {
        throw immutableError(`${prefix}${definition.name}.${sub.name}`);
      }
    }
  }
}

/** Strings of a caseExact=false attribute match regardless of letter case (RFC 7643 §2.2). */
export function isSameValue(definition: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !definition.caseExact) {
    return a.toLowerCase() === b.toLowerCase();
  }
  return isJsonEqual(a, b);
}

function immutableError(name: string) {
  return badRequest('mutability', `Attribute "${name}" is immutable and already has a value`);
}
