import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/attribute-definition.ts';
import { findSubAttribute, resolveAttribute } from '../schema/schema-registry.ts';
import { isPresentValue } from './compare-values.ts';
import type { AttributePath, Filter } from './filter-ast.ts';
import { matchValue } from './match-value.ts';
import { printAttributePath } from './print-filter.ts';

type Subject = Readonly<Record<string, unknown>>;
type Predicate = (subject: Subject) => boolean;

/** Where a path's values live in a subject, and how they compare. */
interface Located {
  readonly definition: AttributeDefinition;
  /** The present (non-null) values at the path, multi-valued attributes flattened. */
  readonly read: (subject: Subject) => readonly unknown[];
}

type Locate = (path: AttributePath) => Located;

/** Compiled predicates per root filter and scope, so a list request compiles its filter once. */
const PREDICATES = new WeakMap<Filter, WeakMap<object, Predicate>>();

/**
 * Whether a stored resource (canonical layout: core attributes at the top level, extension
 * attributes under their schema URN) matches a filter that came out of `resolveFilter`.
 * A comparison holds when ANY value at its path satisfies it; `ne` is exactly `not eq`; `eq null`
 * is `not pr`. These are the reference semantics every SQL compiler is tested against.
 * @see RFC 7644 §3.4.2.2
 */
export function evaluateFilter(
  filter: Filter,
  resource: Subject,
  resourceType: ResourceTypeDefinition,
): boolean {
  return predicateFor(filter, resourceType, () => compile(filter, locateInResource(resourceType)))(resource);
}

/**
 * Whether one element of the complex attribute `parent` (an object such as one of `emails`)
 * matches a filter that came out of `resolveElementFilter`.
 */
export function evaluateElementFilter(
  filter: Filter,
  element: Subject,
  parent: AttributeDefinition,
): boolean {
  return predicateFor(filter, parent, () => compile(filter, locateInElement(parent)))(element);
}

function predicateFor(filter: Filter, scope: object, build: () => Predicate): Predicate {
  let byScope = PREDICATES.get(filter);
  if (byScope === undefined) {
    byScope = new WeakMap();
    PREDICATES.set(filter, byScope);
  }
  let predicate = byScope.get(scope);
  if (predicate === undefined) {
    predicate = build();
    byScope.set(scope, predicate);
  }
  return predicate;
}

function compile(filter: Filter, locate: Locate): Predicate {
  switch (filter.kind) {
    case 'and': {
      const left = compile(filter.left, locate);
      const right = compile(filter.right, locate);
      return (subject) => left(subject) && right(subject);
    }
    case 'or': {
      const left = compile(filter.left, locate);
      const right = compile(filter.right, locate);
      return (subject) => left(subject) || right(subject);
    }
    case 'not': {
      const inner = compile(filter.filter, locate);
      return (subject) => !inner(subject);
    }
    case 'present': {
      const { read } = locate(filter.path);
      return (subject) => read(subject).some(isPresentValue);
    }
    case 'compare': {
      const { read, definition } = locate(filter.path);
      if (filter.value === null) {
        if (filter.op === 'eq') return (subject) => !read(subject).some(isPresentValue);
        if (filter.op === 'ne') return (subject) => read(subject).some(isPresentValue);
        return () => false;
      }
      const matches = matchValue(filter.op === 'ne' ? 'eq' : filter.op, filter.value, definition);
      if (filter.op === 'ne') return (subject) => !read(subject).some(matches);
      return (subject) => read(subject).some(matches);
    }
    case 'valuePath': {
      const { read, definition } = locate(filter.path);
      const inner = compile(filter.filter, locateInElement(definition));
      return (subject) => read(subject).some((element) => isObject(element) && inner(element));
    }
  }
}

function locateInResource(resourceType: ResourceTypeDefinition): Locate {
  const extensions = new Set(
    resourceType.schemaExtensions.map((extension) => extension.schema.toLowerCase()),
  );
  return (path) => {
    const attributePath = path.uri === undefined ? { name: path.name } : { uri: path.uri, name: path.name };
    const resolved = resolveAttribute(resourceType, attributePath);
    if (resolved === undefined) throw unresolved(path);
    const container = extensions.has(resolved.schema.toLowerCase()) ? resolved.schema : undefined;
    const name = resolved.definition.name;
    const readAttribute = (subject: Subject): readonly unknown[] => {
      const holder = container === undefined ? subject : subject[container];
      return isObject(holder) ? presentValues(holder[name]) : [];
    };
    if (path.sub === undefined) return { definition: resolved.definition, read: readAttribute };
    const sub = findSubAttribute(resolved.definition, path.sub);
    if (sub === undefined) throw unresolved(path);
    const subName = sub.name;
    return {
      definition: sub,
      read: (subject) =>
        readAttribute(subject).flatMap((value) => (isObject(value) ? presentValues(value[subName]) : [])),
    };
  };
}

function locateInElement(parent: AttributeDefinition): Locate {
  return (path) => {
    const sub =
      path.uri === undefined && path.sub === undefined ? findSubAttribute(parent, path.name) : undefined;
    if (sub === undefined) throw unresolved(path);
    const name = sub.name;
    return { definition: sub, read: (element) => presentValues(element[name]) };
  };
}

/** A single value as a one-element list, a multi-valued one as its elements, absent ones dropped. */
function presentValues(value: unknown): readonly unknown[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.filter((element) => element !== null && element !== undefined);
  return [value];
}

function isObject(value: unknown): value is Subject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A programming error: the evaluator received a tree that did not come out of resolution. */
function unresolved(path: AttributePath): Error {
  return new Error(`Filter path "${printAttributePath(path)}" is not resolved; call resolveFilter first`);
}
