import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EmulatorClock } from './emulator-clock.ts';
import { generateOauthClientId, generateOauthClientSecret } from './ram-identifiers.ts';

/** The OAuth scope that grants RAM's SCIM API. */
export const SCIM_SCOPE = '/acs/scim';
/** RAM's default access-token validity; the console allows 900–10800 s, the emulator any positive value. */
export const DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS = 3600;

/** A RAM OAuth "Server application" (2-legged, client credentials). */
export interface RamOauthApp {
  clientId: string;
  clientSecret: string;
  scopes: string[];
  accessTokenValiditySeconds: number;
}

export type RamOauthAppInput = Partial<RamOauthApp>;

export interface IssuedToken {
  accessToken: string;
  clientId: string;
  /** Space-separated, as in the token response. */
  scope: string;
  issuedAt: number;
  expiresAt: number;
}

export type ClientAuthentication =
  | { ok: true; app: RamOauthApp }
  | { ok: false; reason: 'unknownClient' | 'wrongSecret' };

export type TokenVerification =
  | { ok: true; token: IssuedToken }
  | { ok: false; reason: 'unknown' | 'expired' };

/** The account's OAuth apps and the access tokens issued to them. */
export interface OauthRegistry {
  addApp(input?: RamOauthAppInput): RamOauthApp;
  listApps(): RamOauthApp[];
  authenticateClient(clientId: string, clientSecret: string): ClientAuthentication;
  /** A token for `scopes` (all of the app's when absent). */
  issueToken(app: RamOauthApp, scopes?: readonly string[]): IssuedToken;
  verifyToken(accessToken: string): TokenVerification;
  /** Invalidates every token (of one client, when given); answers how many were live. */
  revokeTokens(clientId?: string): number;
  countTokens(): number;
  /** Forgets all tokens and restores the apps the emulator started with. */
  reset(): void;
}

export function createOauthRegistry(
  clock: EmulatorClock,
  initialApps: readonly RamOauthAppInput[],
): OauthRegistry {
  const apps = new Map<string, RamOauthApp>();
  const tokens = new Map<string, IssuedToken>();
  const initial = initialApps.map(completeApp);

  const restore = () => {
    apps.clear();
    tokens.clear();
    for (const app of initial) apps.set(app.clientId, { ...app, scopes: [...app.scopes] });
  };
  restore();

  return {
    addApp(input = {}) {
      const app = completeApp(input);
      apps.set(app.clientId, app);
      return { ...app, scopes: [...app.scopes] };
    },
    listApps: () => [...apps.values()].map((app) => ({ ...app, scopes: [...app.scopes] })),
    authenticateClient(clientId, clientSecret) {
      const app = apps.get(clientId);
      if (app === undefined) return { ok: false, reason: 'unknownClient' };
      return sameSecret(app.clientSecret, clientSecret)
        ? { ok: true, app }
        : { ok: false, reason: 'wrongSecret' };
    },
    issueToken(app, scopes = app.scopes) {
      const issuedAt = clock.now();
      const scope = scopes.join(' ');
      const expiresAt = issuedAt + app.accessTokenValiditySeconds * 1000;
      const accessToken = createOpaqueJwt({
        sub: app.clientId,
        scope,
        iat: Math.floor(issuedAt / 1000),
        exp: Math.floor(expiresAt / 1000),
      });
      const token: IssuedToken = { accessToken, clientId: app.clientId, scope, issuedAt, expiresAt };
      tokens.set(accessToken, token);
      return { ...token };
    },
    verifyToken(accessToken) {
      const token = tokens.get(accessToken);
      if (token === undefined) return { ok: false, reason: 'unknown' };
      if (clock.now() >= token.expiresAt) return { ok: false, reason: 'expired' };
      return { ok: true, token: { ...token } };
    },
    revokeTokens(clientId) {
      let revoked = 0;
      for (const [accessToken, token] of tokens) {
        if (clientId !== undefined && token.clientId !== clientId) continue;
        if (clock.now() < token.expiresAt) revoked++;
        tokens.delete(accessToken);
      }
      return revoked;
    },
    countTokens: () => tokens.size,
    reset: restore,
  };
}

function completeApp(input: RamOauthAppInput): RamOauthApp {
  const validity = input.accessTokenValiditySeconds ?? DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS;
  if (!(validity > 0)) throw new RangeError(`accessTokenValiditySeconds must be positive (got ${validity})`);
  return {
    clientId: input.clientId ?? generateOauthClientId(),
    clientSecret: input.clientSecret ?? generateOauthClientSecret(),
    scopes: [...(input.scopes ?? [SCIM_SCOPE])],
    accessTokenValiditySeconds: validity,
  };
}

/** Compares digests so the comparison takes the same time whatever the inputs' lengths. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * RAM's access tokens look like JWTs (`eyJ***hKg` in the guide). Clients must treat them as opaque:
 * this one has a JWT's shape, a random signature, and means something only to this emulator.
 */
function createOpaqueJwt(claims: Record<string, string | number>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT', kid: 'ram-emulator' });
  const payload = encode({ iss: 'https://oauth.aliyun.com', jti: randomUUID(), ...claims });
  return `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
}
