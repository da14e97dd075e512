import { z } from 'zod';
import { LdapConnectionSchema } from './ldap-connection-schema.ts';

/** An LDAP / AD source: the connection (its bind password sealed at rest), mappings and binding. */
export const LdapSourceConfigSchema = z.object({
  connection: LdapConnectionSchema,
  /** SCIM path ← expression over LDAP attributes; default `defaultLdapUserMapping(directory)`. */
  userMapping: z.record(z.string(), z.string()).optional(),
  /** Default `displayName ← Coalesce(displayName, cn)`. */
  groupMapping: z.record(z.string(), z.string()).optional(),
  /** Bind an entry to an existing, unowned directory user with the same value instead of creating one. */
  bindBy: z.enum(['userName', 'emails', 'externalId']).optional(),
});
export type LdapSourceConfigInput = z.input<typeof LdapSourceConfigSchema>;
export type LdapSourceConfig = z.output<typeof LdapSourceConfigSchema>;
