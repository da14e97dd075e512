import { badRequest } from '../errors.ts';
import type { AttributePath, Filter, PatchPath } from '../filter/filter-ast.ts';
import { resolveElementFilter } from '../filter/resolve-filter.ts';
import { resolveEntraUnqualifiedExtensionAttribute } from '../quirks/resolve-entra-unqualified-extension-attribute.ts';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { findSubAttribute, isExtensionOf, resolveAttribute } from '../schema/schema-registry.ts';

/** What a PATCH path (or a key of a pathless value) designates, with canonical names. */
export type PatchTarget =
  | { readonly kind: 'extension'; readonly schema: string; readonly label: string }
  | {
      readonly kind: 'attribute';
      /** Canonical URN of the schema that defines the attribute. */
      readonly schema: string;
      readonly definition: AttributeDefinition;
      /** `givenName` in `name.givenName`, or `value` in `emails[type eq "work"].value`. */
      readonly sub?: AttributeDefinition;
      /** Resolved element filter (`emails[type eq "work"]`). */
      readonly filter?: Filter;
      /** The path as written, for error details. */
      readonly label: string;
    };

/**
 * Resolves a parsed PATCH path against the resource type: names case-insensitive, URN-qualified
 * names checked against the resource type's schemas, a bare extension URN designating the whole
 * extension. Unknown attributes and misplaced filters are 400 invalidPath; a malformed element
 * filter is 400 invalidFilter. Mutability is not checked here (see `assertWritableTarget`).
 * @see RFC 7644 §3.5.2 and §3.10
 */
export function resolvePatchTarget(rt: ResourceTypeDefinition, path: PatchPath): PatchTarget {
  const label = formatPatchPath(path);
  const { attribute } = path;
  if (attribute.uri !== undefined && attribute.sub === undefined && path.filter === undefined) {
    const extension = isExtensionOf(rt, `${attribute.uri}:${attribute.name}`);
    if (extension !== undefined && path.subAttribute === undefined)
      return { kind: 'extension', schema: extension, label };
  }
  const resolved =
    resolveAttribute(rt, attribute) ?? resolveEntraUnqualifiedExtensionAttribute(rt, attribute);
  if (resolved === undefined) {
    throw badRequest('invalidPath', `PATCH path "${label}" names no attribute of resource type ${rt.id}`);
  }
  const { definition, schema } = resolved;
  if (path.filter === undefined) {
    const target = { kind: 'attribute', schema, definition, label } as const;
    return resolved.subDefinition === undefined ? target : { ...target, sub: resolved.subDefinition };
  }
  if (definition.type !== 'complex' || !definition.multiValued) {
    throw badRequest(
      'invalidPath',
      `PATCH path "${label}": only a multi-valued complex attribute takes a value filter`,
    );
  }
  const filter = resolveElementFilter(path.filter, definition);
  if (path.subAttribute === undefined) return { kind: 'attribute', schema, definition, filter, label };
  const sub = findSubAttribute(definition, path.subAttribute);
  if (sub === undefined) {
    throw badRequest(
      'invalidPath',
      `PATCH path "${label}": "${definition.name}" has no sub-attribute "${path.subAttribute}"`,
    );
  }
  return { kind: 'attribute', schema, definition, filter, sub, label };
}

/**
 * readOnly attributes and sub-attributes cannot be the target of an operation (400 mutability).
 * @see RFC 7644 §3.5.2 ("Each operation against an attribute MUST be compatible with the attribute's
 *   mutability and schema") and RFC 7643 §2.2
 */
export function assertWritableTarget(target: PatchTarget): void {
  if (target.kind === 'extension') return;
  if (isReadOnlyTarget(target)) throw badRequest('mutability', `Attribute "${target.label}" is readOnly`);
}

export function isReadOnlyTarget(target: PatchTarget): boolean {
  if (target.kind === 'extension') return false;
  return target.definition.mutability === 'readOnly' || target.sub?.mutability === 'readOnly';
}

function formatPatchPath(path: PatchPath): string {
  const attribute = formatAttributePath(path.attribute);
  if (path.filter === undefined) return attribute;
  return `${attribute}[…]${path.subAttribute === undefined ? '' : `.${path.subAttribute}`}`;
}

function formatAttributePath(path: AttributePath): string {
  const name = path.sub === undefined ? path.name : `${path.name}.${path.sub}`;
  return path.uri === undefined ? name : `${path.uri}:${name}`;
}
