import { z } from 'zod';
import { ProvisioningConfigSchema } from '../../provisioning/provisioning-config.ts';
import { NativeApiInputSchema } from '../../targets/native-api-settings.ts';
import { RateLimitSchema } from '../../targets/scim-client/request-pacer.ts';

export const TargetParamsSchema = z.object({ tenant: z.string().max(64), target: z.string().max(100) });
export const ProvisioningParamsSchema = z.object({
  tenant: z.string().max(64),
  provisioning: z.string().max(100),
});
export const RunParamsSchema = z.object({ tenant: z.string().max(64), run: z.string().max(100) });

const AuthenticationInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bearer'), token: z.string().min(1).optional() }),
  z.strictObject({
    kind: z.literal('oauth_client_credentials'),
    tokenUrl: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional().describe('Leave out on update to keep the stored one'),
    clientAuthentication: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
    parametersIn: z.enum(['body', 'query']).optional(),
    scope: z.string().min(1).optional(),
  }),
]);

export const ConnectionInputSchema = z.strictObject({
  baseUrl: z.string().min(1),
  authentication: AuthenticationInputSchema,
  timeoutMs: z.number().int().min(1).max(300_000).optional(),
});

const TargetSettingsInputSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(256).optional(),
  rateLimit: RateLimitSchema.nullable()
    .optional()
    .describe('Requests per second to the target (all processes together), optional burst; null: none'),
});

export const CreateTargetSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  profile: z.enum(['generic-scim', 'lockstep', 'alibaba-ram', 'aws-identity-center']),
  connection: ConnectionInputSchema,
  nativeApi: NativeApiInputSchema.optional().describe(
    "alibaba-ram only: RAM's OpenAPI endpoint and the AccessKey that clears what blocks a delete",
  ),
  settings: TargetSettingsInputSchema.optional(),
});

export const UpdateTargetSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  profile: z.enum(['generic-scim', 'lockstep', 'alibaba-ram', 'aws-identity-center']).optional(),
  connection: ConnectionInputSchema.optional(),
  nativeApi: NativeApiInputSchema.nullable()
    .optional()
    .describe('Changes the fields given (a secret left out is kept); null removes the native API'),
  settings: TargetSettingsInputSchema.optional(),
});

export const CreateProvisioningSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  targetId: z.string().min(1).max(100),
  enabled: z.boolean().optional(),
  config: z.unknown().optional().describe('See ProvisioningConfig; checked against the target profile'),
});

export const UpdateProvisioningSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  status: z.enum(['enabled', 'disabled']).optional(),
  config: z.unknown().optional(),
});

export const DeleteProvisioningQuerySchema = z.strictObject({
  strategy: z.enum(['Delete', 'Keep']).optional().describe("Overrides the provisioning's DeletionStrategy"),
});

export const LogQuerySchema = z.strictObject({
  object: z.string().max(200).optional(),
  action: z.string().max(50).optional(),
  status: z.enum(['success', 'failure', 'skipped', 'warning']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export { ProvisioningConfigSchema };
