import type { Storage } from '../storage/open-storage.ts';
import { createAppRepository, type SecretStanding } from './app-repository.ts';
import type { CredentialEvents } from './credential-events.ts';
import type { ScimScope } from './scopes.ts';
import { parseSecret } from './secrets/issued-secret.ts';
import {
  LEGACY_SHA256_PREFIX,
  sha256,
  verifyAgainstNothing,
  verifySecretHash,
} from './secrets/secret-hash.ts';

/** An app, authenticated by one of its secrets (directly, or through an access token issued with it). */
export interface AppPrincipal {
  readonly kind: 'app';
  readonly tenantId: string;
  readonly appId: string;
  readonly secretId: string;
  readonly scopes: readonly ScimScope[];
  readonly tokenTtlSeconds: number;
}

/**
 * How long the standing of a secret (exists, app enabled, tenant active) is trusted without asking the
 * database. Changes made through any process clear it at once (CredentialEvents); this bound only
 * matters if an event is lost.
 */
const STANDING_CACHE_MS = 1_000;
const CACHE_SIZE = 10_000;
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Checks app secrets and the standing of the secrets behind access tokens. A secret is verified with
 * its slow hash once; afterwards its SHA-256 is remembered in memory, so a client that presents it on
 * every request (a static bearer token) does not pay scrypt each time.
 */
export function createAppCredentials(storage: Storage, options: { events: CredentialEvents }) {
  const apps = createAppRepository(storage.db);
  const standings = new Map<string, { standing: SecretStanding | undefined; until: number }>();
  const verified = new Map<string, string>();
  const lastMarked = new Map<string, number>();
  options.events.onChange(() => {
    standings.clear();
    verified.clear();
  });

  async function standingOf(secretId: string): Promise<SecretStanding | undefined> {
    const now = Date.now();
    const cached = standings.get(secretId);
    if (cached !== undefined && cached.until > now) return cached.standing;
    const standing = await apps.standingById(secretId);
    remember(standings, secretId, { standing, until: now + STANDING_CACHE_MS });
    return standing;
  }

  /** The principal when `value` is a live secret (of `clientId` when given); constant-time in the secret. */
  async function verify(value: string, clientId?: string): Promise<AppPrincipal | undefined> {
    const digest = sha256(value);
    const parsed = parseSecret('lss', value);
    let standing: SecretStanding | undefined;
    if (parsed !== undefined) standing = await standingOf(parsed.id);
    else if (value.startsWith('lst_'))
      standing = await apps.standingByHash(`${LEGACY_SHA256_PREFIX}$${digest}`);
    if (standing === undefined || (clientId !== undefined && standing.appId !== clientId)) {
      // Only a well-formed secret pays for the dummy hash: its shape is no secret, and garbage must stay cheap.
      if (parsed !== undefined) await verifyAgainstNothing(value);
      return undefined;
    }
    if (verified.get(digest) !== standing.secretId) {
      if (!(await verifySecretHash(value, standing.secretHash))) return undefined;
      remember(verified, digest, standing.secretId);
    }
    if (!isLive(standing)) return undefined;
    await markUsed(standing.secretId);
    return principalOf(standing);
  }

  async function markUsed(secretId: string): Promise<void> {
    const now = Date.now();
    if ((lastMarked.get(secretId) ?? 0) + LAST_USED_RESOLUTION_MS > now) return;
    remember(lastMarked, secretId, now);
    await apps.markSecretUsed(secretId, new Date(now).toISOString());
  }

  return {
    /** client_credentials: the client id and secret must belong together. */
    authenticateClient: (clientId: string, secret: string) => verify(secret, clientId),

    /** A secret presented as a bearer token: only for apps that allow it (`secretAsBearer`). */
    async authenticateBearerSecret(value: string): Promise<AppPrincipal | undefined> {
      const principal = await verify(value);
      if (principal === undefined) return undefined;
      const standing = await standingOf(principal.secretId);
      return standing?.secretAsBearer === 1 ? principal : undefined;
    },

    /** The current standing of the secret behind an access token; undefined when it no longer works. */
    async principalOfSecret(secretId: string): Promise<AppPrincipal | undefined> {
      const standing = await standingOf(secretId);
      if (standing === undefined || !isLive(standing)) return undefined;
      await markUsed(secretId);
      return principalOf(standing);
    },
  };
}

export type AppCredentials = ReturnType<typeof createAppCredentials>;

function isLive(standing: SecretStanding): boolean {
  return standing.appStatus === 'enabled' && standing.tenantStatus === 'active';
}

function principalOf(standing: SecretStanding): AppPrincipal {
  return {
    kind: 'app',
    tenantId: standing.tenantId,
    appId: standing.appId,
    secretId: standing.secretId,
    scopes: JSON.parse(standing.scopes) as ScimScope[],
    tokenTtlSeconds: standing.tokenTtlSeconds,
  };
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= CACHE_SIZE && !map.has(key)) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
