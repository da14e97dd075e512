import type { Config } from '../config.ts';
import type { Storage } from '../storage/open-storage.ts';
import { createAdminTokenService } from './admin-token-service.ts';
import { createAppCredentials } from './app-credentials.ts';
import { createAppService } from './app-service.ts';
import { createCredentialEvents } from './credential-events.ts';
import { createAccessTokens } from './oauth/access-tokens.ts';
import { createSigningKeys } from './oauth/signing-keys.ts';
import { loadSecretKey } from './secrets/load-secret-key.ts';
import { createSecretBox } from './secrets/secret-box.ts';
import { createTenantService, type TenantReferenceSource } from './tenant-service.ts';

/** Everything authentication and administration need, built over one storage. */
export async function createAuth(
  storage: Storage,
  config: Pick<Config, 'secretKey' | 'adminToken' | 'signingKeyRotationDays'>,
  options: { secretKey?: Buffer; tenantReferences?: readonly TenantReferenceSource[] } = {},
) {
  const events = await createCredentialEvents(storage.signals);
  const box = createSecretBox(options.secretKey ?? loadSecretKey(config.secretKey));
  const keys = createSigningKeys(storage, box, { rotationDays: config.signingKeyRotationDays });
  await keys.start();
  const credentials = createAppCredentials(storage, { events });
  return {
    events,
    box,
    keys,
    credentials,
    tokens: createAccessTokens(keys, credentials),
    tenants: createTenantService(storage, {
      events,
      ...(options.tenantReferences ? { references: options.tenantReferences } : {}),
    }),
    apps: createAppService(storage, { events }),
    adminTokens: createAdminTokenService(storage, { events, environmentToken: config.adminToken }),
  };
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
