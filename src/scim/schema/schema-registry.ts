/**
 * Lookup of schemas, resource types and attribute definitions, case-insensitively
 * (RFC 7643 §2.1: attribute names and schema URNs are case-insensitive).
 *
 * CONTRACT (implemented by the schema work; other modules code against these signatures):
 *
 * - `getResourceType('User' | 'Group')`
 * - `listResourceTypes()`
 * - `findSchema(urn)`: case-insensitive; undefined when unknown.
 * - `listSchemas()`: User, Group, EnterpriseUser (what `/Schemas` serves).
 * - `topLevelAttributes(resourceType, schemaUrn)`: the attributes a resource may carry under that schema,
 *   including, for the core schema, the common attributes `id`, `externalId`, `meta` (RFC 7643 §3.1)
 *   which `/Schemas` does not list.
 * - `resolveAttribute(resourceType, path)`: canonical spelling and definitions for a path as written,
 *   or undefined when no such attribute exists. Unqualified names resolve against the core schema
 *   (and the common attributes); URN-qualified names against the named schema, which must be the
 *   core schema or one of the resource type's extensions.
 */
export {};
