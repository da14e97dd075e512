import type { SecretBox } from '../../auth/secrets/secret-box.ts';
import type { TargetTable } from '../../storage/database-schema.ts';
import {
  type NativeApiConnection,
  type NativeApiInput,
  parseSealedNativeApi,
  resolveNativeApi,
} from '../../targets/native-api-settings.ts';
import type { TargetProfile } from '../../targets/profiles/target-profile.ts';
import {
  type ScimConnection,
  type ScimConnectionInput,
  ScimConnectionSchema,
} from '../../targets/scim-client/scim-connection.ts';
import { ProvisioningError } from '../provisioning-error.ts';

/**
 * A target's secrets at rest: the SCIM connection and any native API, validated and sealed with the
 * service's secret key on the way in, opened on the way out.
 */
export function createTargetSealing(box: SecretBox) {
  const connectionOf = (row: TargetTable): ScimConnection =>
    ScimConnectionSchema.parse(JSON.parse(box.open(row.auth_sealed)));

  const nativeApiOf = (row: TargetTable): NativeApiConnection | undefined =>
    row.native_sealed === null ? undefined : parseSealedNativeApi(box.open(row.native_sealed));

  /** The native API sealed for the row; `current` is what an update merges over. */
  function sealNativeApi(
    profile: TargetProfile,
    input: NativeApiInput,
    current: NativeApiConnection | undefined,
  ): string {
    const resolved = resolveNativeApi(profile, input, current);
    if (!resolved.ok)
      throw new ProvisioningError('invalid', resolved.problem.message, { field: resolved.problem.field });
    return box.seal(JSON.stringify(resolved.value));
  }

  function sealConnection(input: ScimConnectionInput): { sealed: string; baseUrl: string } {
    const parsed = ScimConnectionSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProvisioningError(
        'invalid',
        `Invalid connection: ${issue?.path.join('.') || 'connection'}: ${issue?.message ?? 'invalid'}`,
        {
          field: `connection.${issue?.path.join('.') ?? ''}`,
        },
      );
    }
    return {
      sealed: box.seal(JSON.stringify(parsed.data)),
      baseUrl: parsed.data.baseUrl.replace(/\/+$/, ''),
    };
  }

  function nextNativeSealed(
    row: TargetTable,
    profile: TargetProfile,
    change: NativeApiInput | null | undefined,
  ): string | null {
    if (change === null) return null;
    const current = nativeApiOf(row);
    if (change !== undefined) return sealNativeApi(profile, change, current);
    if (current !== undefined && profile.native.api !== current.api)
      throw new ProvisioningError(
        'invalid',
        `The profile "${profile.name}" has no native API: remove the target's with nativeApi: null`,
        { field: 'nativeApi' },
      );
    return row.native_sealed;
  }

  return { connectionOf, nativeApiOf, sealNativeApi, sealConnection, nextNativeSealed };
}

/** An update that names the same authentication kind without its secret keeps the stored secret. */
export function keepSecrets(next: ScimConnectionInput, current: ScimConnection): ScimConnectionInput {
  const auth = next.authentication as Record<string, unknown>;
  if (auth.kind === 'bearer' && auth.token === undefined && current.authentication.kind === 'bearer')
    return {
      ...next,
      authentication: {
        ...auth,
        token: current.authentication.token,
      } as ScimConnectionInput['authentication'],
    };
  if (
    auth.kind === 'oauth_client_credentials' &&
    auth.clientSecret === undefined &&
    current.authentication.kind === 'oauth_client_credentials'
  )
    return {
      ...next,
      authentication: {
        ...auth,
        clientSecret: current.authentication.clientSecret,
      } as ScimConnectionInput['authentication'],
    };
  return next;
}
