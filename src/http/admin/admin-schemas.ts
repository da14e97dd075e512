import { z } from 'zod';
import { TOKEN_TTL } from '../../auth/app-service.ts';

/** The admin API's shapes: validated on the way in, checked on the way out, and the source of its OpenAPI document. */
const timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 time');

export const ErrorSchema = z
  .object({
    error: z
      .string()
      .describe(
        'invalid_request | unauthorized | forbidden | not_found | conflict | limit | rate_limited | server_error',
      ),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    references: z.array(z.object({ kind: z.string(), id: z.string(), name: z.string() })).optional(),
  })
  .meta({ id: 'Error' });

export const TenantIdSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
    '1–64 lower-case letters, digits and dashes; no dash at either end',
  );

export const TenantSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    status: z.enum(['active', 'disabled']),
    createdAt: timestamp,
    updatedAt: timestamp,
    scimBaseUrl: z.string(),
    tokenEndpoint: z.string(),
  })
  .meta({ id: 'Tenant' });

export const CreateTenantSchema = z.strictObject({
  id: TenantIdSchema,
  displayName: z.string().trim().min(1).max(200).optional(),
});

export const UpdateTenantSchema = z
  .strictObject({
    displayName: z.string().trim().min(1).max(200).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Give displayName and / or status');

const ScopeSchema = z.enum(['scim', 'scim:read', '/acs/scim']).describe('`/acs/scim` is stored as `scim`');

export const SecretInfoSchema = z
  .object({ id: z.string(), createdAt: timestamp, lastUsedAt: timestamp.nullable() })
  .meta({ id: 'SecretInfo' });

export const NewSecretSchema = z
  .object({ id: z.string(), value: z.string().describe('Shown only in this response'), createdAt: timestamp })
  .meta({ id: 'NewSecret' });

export const AppSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    tenantId: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(['scim', 'scim:read'])).readonly(),
    tokenTtlSeconds: z.number().int(),
    status: z.enum(['enabled', 'disabled']),
    secretAsBearer: z.boolean().describe('Whether the secrets also work directly as static bearer tokens'),
    createdAt: timestamp,
    updatedAt: timestamp,
    secrets: z.array(SecretInfoSchema).readonly(),
  })
  .meta({ id: 'App' });

const ttl = z.number().int().min(TOKEN_TTL.min).max(TOKEN_TTL.max);

export const CreateAppSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(ScopeSchema).min(1).optional(),
  tokenTtlSeconds: ttl.optional(),
  secretAsBearer: z.boolean().optional(),
});

export const UpdateAppSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    scopes: z.array(ScopeSchema).min(1).optional(),
    tokenTtlSeconds: ttl.optional(),
    status: z.enum(['enabled', 'disabled']).optional(),
    secretAsBearer: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Give at least one setting to change');

export const AdminTokenSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    scope: z.enum(['admin', 'admin:read']),
    tenantId: z.string().nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
  })
  .meta({ id: 'AdminToken' });

export const CreateAdminTokenSchema = z.strictObject({
  label: z.string().trim().min(1).max(200),
  scope: z.enum(['admin', 'admin:read']).default('admin'),
  tenantId: TenantIdSchema.nullable().optional(),
});

export const SigningKeySchema = z
  .object({
    kid: z.string(),
    alg: z.string(),
    status: z.enum(['active', 'retired']),
    createdAt: timestamp,
    retiredAt: timestamp.nullable(),
  })
  .meta({ id: 'SigningKey' });

export const TenantParamsSchema = z.object({ tenant: z.string().max(64) });
export const AppParamsSchema = TenantParamsSchema.extend({ app: z.string().max(100) });
export const SecretParamsSchema = AppParamsSchema.extend({ secret: z.string().max(100) });

export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
