/**
 * Schema URNs that Microsoft Entra ID's documented requests put in `schemas` although they name no
 * schema of this server. They carry no attributes, so they are dropped rather than refused:
 * - `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group` in Entra's
 *   "Create Group" request;
 * - `urn:ietf:params:scim:schemas:extension:enterprise:2.0User` (the colon before `User` missing)
 *   in Entra's "Provision a user" example.
 * Attributes under such a key are still unknown attributes and refused.
 * @see Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint", "Create Group"
 *   and "Example 2. Provision a user"
 */
const IGNORABLE_ENTRA_SCHEMA_URNS: ReadonlySet<string> = new Set([
  'http://schemas.microsoft.com/2006/11/resourcemanagement/adscim/2.0/group',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0user',
]);

export function isIgnorableEntraSchemaUrn(urn: string): boolean {
  return IGNORABLE_ENTRA_SCHEMA_URNS.has(urn.toLowerCase());
}
