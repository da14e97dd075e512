import { z } from 'zod';
import { type RamOpenapiConfig, RamOpenapiConfigSchema } from './alibaba-ram/ram-openapi-client.ts';
import type { TargetProfile } from './profiles/target-profile.ts';

/**
 * A target's native API: the cloud's own API beside its SCIM endpoint, for what SCIM has no words
 * for (clearing what blocks a delete, revoking at once). Keyed by the profile's `native.api`; only
 * Alibaba Cloud RAM's OpenAPI so far. The credentials are sealed at rest with the target's SCIM
 * connection and never shown again.
 */
export type NativeApiConnection = { readonly api: 'alibaba-ram-openapi'; readonly config: RamOpenapiConfig };

export type NativeApiName = NativeApiConnection['api'];

/**
 * The native API as the admin API takes it. On create, `accessKeyId` and `accessKeySecret` are
 * needed; on update the given fields change the stored ones and the rest is kept (a secret left out
 * is kept, unless the AccessKey id changes). Checked against `RamOpenapiConfigSchema` by the service.
 */
export const NativeApiInputSchema = z.strictObject({
  endpoint: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('host[:port] without a scheme; default ram.aliyuncs.com'),
  protocol: z.enum(['https', 'http']).optional(),
  regionId: z.string().min(1).max(64).optional(),
  accessKeyId: z.string().min(1).max(200).optional(),
  accessKeySecret: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe('Leave out on update to keep the stored one'),
  connectTimeoutMs: z.int().min(1).max(300_000).optional(),
  readTimeoutMs: z.int().min(1).max(300_000).optional(),
});

export type NativeApiInput = z.infer<typeof NativeApiInputSchema>;

/** What the API shows of a native API: where and as whom, never the secret. */
export interface NativeApiView {
  readonly api: NativeApiName;
  readonly endpoint: string;
  readonly protocol: 'https' | 'http';
  readonly regionId: string;
  readonly accessKeyId: string;
  readonly secretSet: true;
}

const SealedNativeApiSchema = z.object({
  api: z.literal('alibaba-ram-openapi'),
  config: RamOpenapiConfigSchema,
});

/** Why a native API input cannot be used: the message names the field (`nativeApi.<field>`). */
export interface NativeApiProblem {
  readonly field: string;
  readonly message: string;
}

export type NativeApiResult =
  | { ok: true; value: NativeApiConnection }
  | { ok: false; problem: NativeApiProblem };

/**
 * The native API a target of `profile` gets from `input`, merged over `current` (an update). A
 * profile without a native API takes none; a changed AccessKey id needs its secret.
 */
export function resolveNativeApi(
  profile: TargetProfile,
  input: NativeApiInput,
  current: NativeApiConnection | undefined,
): NativeApiResult {
  if (profile.native.api !== 'alibaba-ram-openapi')
    return problem('nativeApi', `The profile "${profile.name}" has no native API Lockstep can use`);
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const base = current?.api === 'alibaba-ram-openapi' ? current.config : undefined;
  if (
    base !== undefined &&
    input.accessKeyId !== undefined &&
    input.accessKeyId !== base.accessKeyId &&
    input.accessKeySecret === undefined
  )
    return problem('nativeApi.accessKeySecret', 'A new accessKeyId needs its accessKeySecret');
  const merged: Record<string, unknown> = { ...base, ...given };
  const parsed = RamOpenapiConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const missing = issue?.code === 'invalid_type' && merged[path] === undefined;
    return problem(
      path === '' ? 'nativeApi' : `nativeApi.${path}`,
      `Invalid native API: ${path || 'nativeApi'}: ${missing ? 'required' : (issue?.message ?? 'invalid')}`,
    );
  }
  return { ok: true, value: { api: 'alibaba-ram-openapi', config: parsed.data } };
}

/** The stored (opened) JSON back as a connection; throws when it is not one: the store is ours. */
export function parseSealedNativeApi(json: string): NativeApiConnection {
  return SealedNativeApiSchema.parse(JSON.parse(json));
}

export function viewNativeApi(connection: NativeApiConnection): NativeApiView {
  const { endpoint, protocol, regionId, accessKeyId } = connection.config;
  return { api: connection.api, endpoint, protocol, regionId, accessKeyId, secretSet: true };
}

function problem(field: string, message: string): NativeApiResult {
  return { ok: false, problem: { field, message } };
}
