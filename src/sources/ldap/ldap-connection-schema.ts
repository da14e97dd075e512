import { FilterParser } from 'ldapts';
import { z } from 'zod';

/** Which directory server: decides the stable key and the incremental watermark by default. */
export const LdapDirectoryKindSchema = z.enum(['openldap', 'active-directory']);
export type LdapDirectoryKind = z.infer<typeof LdapDirectoryKindSchema>;

/** What an incremental run compares against (see `buildIncrementalFilter`). */
export const LdapWatermarkAttributeSchema = z.enum(['modifyTimestamp', 'entryCSN', 'uSNChanged']);
export type LdapWatermarkAttribute = z.infer<typeof LdapWatermarkAttributeSchema>;

const isValidFilter = (filter: string) => {
  try {
    FilterParser.parseString(filter);
    return true;
  } catch {
    return false;
  }
};

export const LdapBaseDnSchema = z.object({
  dn: z.string().trim().min(1, 'must not be empty'),
  filter: z
    .string()
    .trim()
    .default('(objectClass=*)')
    .refine(isValidFilter, 'must be an LDAP filter (RFC 4515), e.g. (objectClass=inetOrgPerson)'),
  scope: z.enum(['base', 'one', 'sub']).default('sub'),
});
export type LdapBaseDn = z.infer<typeof LdapBaseDnSchema>;

const milliseconds = (fallback: number) => z.number().int().min(1).max(600_000).default(fallback);

/**
 * One LDAP / Active Directory source's connection: where, how securely, who binds (simple bind) and
 * which subtrees are read. `bindPassword` is a secret: it appears in no message or log.
 */
export const LdapConnectionSchema = z
  .object({
    url: z
      .string()
      .trim()
      .regex(/^ldaps?:\/\/[^/?#\s]+\/?$/i, 'must be ldap://host[:port] or ldaps://host[:port]'),
    /** Upgrade an ldap:// connection with StartTLS (RFC 4511 §4.14) before binding. */
    startTls: z.boolean().default(false),
    /** PEM CA certificate(s) to trust instead of the system store (ldaps:// and StartTLS). */
    caCertificate: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'must be PEM' }).optional(),
    connectTimeoutMs: milliseconds(10_000),
    /** Per LDAP operation (a bind, one page of a search). */
    operationTimeoutMs: milliseconds(30_000),
    bindDn: z.string().trim().min(1, 'must not be empty'),
    /** Non-empty: an empty password would be an unauthenticated bind (RFC 4513 §5.1.2). */
    bindPassword: z.string().min(1, 'must not be empty'),
    baseDns: z.array(LdapBaseDnSchema).min(1, 'needs at least one base DN'),
    /** Entries per page of the paged-results control (RFC 2696); AD caps it at MaxPageSize (1,000). */
    pageSize: z.number().int().min(1).max(10_000).default(500),
    directory: LdapDirectoryKindSchema.default('openldap'),
    /** Attributes to read besides the key and the watermark attribute; `*` means all user attributes. */
    attributes: z.array(z.string().min(1)).default(['*']),
    /** Attributes whose values are binary (read as bytes, rendered as base64, objectGUID as a GUID). */
    binaryAttributes: z.array(z.string().min(1)).optional(),
    /** The stable external key; default entryUUID (OpenLDAP) or objectGUID (Active Directory). */
    keyAttribute: z.string().min(1).optional(),
    /** Default entryCSN (OpenLDAP) or uSNChanged (Active Directory). */
    watermarkAttribute: LdapWatermarkAttributeSchema.optional(),
  })
  .refine((config) => !(config.startTls && /^ldaps:/i.test(config.url)), {
    message: 'startTls applies to ldap:// URLs only (ldaps:// is already TLS)',
    path: ['startTls'],
  });

export type LdapConnectionInput = z.input<typeof LdapConnectionSchema>;

/** The parsed connection with every default resolved. */
export interface LdapConnection extends Omit<z.output<typeof LdapConnectionSchema>, 'binaryAttributes'> {
  readonly keyAttribute: string;
  readonly watermarkAttribute: LdapWatermarkAttribute;
  readonly binaryAttributes: readonly string[];
}

const AD_BINARY_ATTRIBUTES = ['objectGUID', 'objectSid'];

/** Parses and completes a connection; throws a ZodError naming the wrong setting. */
export function parseLdapConnection(input: unknown): LdapConnection {
  const parsed = LdapConnectionSchema.parse(input);
  const ad = parsed.directory === 'active-directory';
  const keyAttribute = parsed.keyAttribute ?? (ad ? 'objectGUID' : 'entryUUID');
  const binary = parsed.binaryAttributes ?? (ad ? AD_BINARY_ATTRIBUTES : []);
  return Object.freeze({
    ...parsed,
    keyAttribute,
    watermarkAttribute: parsed.watermarkAttribute ?? (ad ? 'uSNChanged' : 'entryCSN'),
    binaryAttributes:
      keyAttribute.toLowerCase() === 'objectguid' &&
      !binary.some((name) => name.toLowerCase() === 'objectguid')
        ? [...binary, keyAttribute]
        : binary,
  });
}
