import { badRequest, type ScimError } from '../errors.ts';
import type { AttributeDefinition } from '../schema/attribute-definition.ts';
import type { AttributePath } from './filter-ast.ts';

/** An attribute a filter names, as resolution found it. */
export interface FilterTarget {
  /** Canonical path. */
  readonly path: AttributePath;
  /** The definition of the sub-attribute when the path has one, else of the attribute. */
  readonly definition: AttributeDefinition;
  /** The path as the client wrote it, for messages. */
  readonly written: string;
}

/** An attribute never returned (`password`) must not be probed through filters. @see RFC 7643 §7 */
export function checkFilterable(definition: AttributeDefinition, written: string): void {
  if (definition.returned === 'never') {
    throw invalidFilter(`"${written}" cannot be used in a filter because it is never returned`);
  }
}

/** A filter that parses but does not fit the schema. */
export function invalidFilter(detail: string): ScimError {
  return badRequest('invalidFilter', `Invalid filter: ${detail}`);
}
