import { randomBytes } from 'node:crypto';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { AppCredentials, AppPrincipal } from '../app-credentials.ts';
import { canonicalScope, intersectScopes, type ScimScope } from '../scopes.ts';
import { SIGNING_ALGORITHM, type SigningKeys } from './signing-keys.ts';

/** The audience of every access token: Lockstep's SCIM service provider. */
export const ACCESS_TOKEN_AUDIENCE = 'urn:lockstep:scim';
/** Access tokens are JWTs per RFC 9068: `typ: at+jwt`. */
const TOKEN_TYPE = 'at+jwt';
const CLOCK_TOLERANCE_S = 5;
const VERIFIED_CACHE_SIZE = 10_000;

export const issuerOf = (tenantId: string) => `urn:lockstep:tenant:${tenantId}`;

export type AccessTokenFailure = 'malformed' | 'expired' | 'bad_signature' | 'wrong_tenant' | 'revoked';

export type AccessTokenCheck =
  | { readonly ok: true; readonly principal: AppPrincipal }
  | { readonly ok: false; readonly reason: AccessTokenFailure };

interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  scope: string;
  sid: string;
}

/**
 * Issues and verifies signed access tokens. A token names the secret it was issued with (`sid`), and
 * every check asks whether that secret, its app and its tenant still stand: deleting the secret,
 * disabling the app or the tenant ends the token at once. A verified signature is remembered until
 * the token expires, so the hot path costs a map lookup and the (cached) standing check.
 */
export function createAccessTokens(keys: SigningKeys, credentials: AppCredentials) {
  const verified = new Map<string, { claims: AccessTokenClaims; exp: number }>();

  async function verifySignature(
    token: string,
  ): Promise<{ ok: true; claims: AccessTokenClaims } | { ok: false; reason: AccessTokenFailure }> {
    const cached = verified.get(token);
    if (cached !== undefined) {
      if (cached.exp * 1000 + CLOCK_TOLERANCE_S * 1000 > Date.now())
        return { ok: true, claims: cached.claims };
      verified.delete(token);
      return { ok: false, reason: 'expired' };
    }
    try {
      const { payload } = await jwtVerify<AccessTokenClaims>(
        token,
        async (header) => {
          const key = await keys.verificationKey(header.kid);
          if (key === undefined) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        {
          algorithms: [SIGNING_ALGORITHM],
          audience: ACCESS_TOKEN_AUDIENCE,
          typ: TOKEN_TYPE,
          clockTolerance: CLOCK_TOLERANCE_S,
          requiredClaims: ['exp', 'iss', 'sid', 'client_id', 'scope'],
        },
      );
      if (
        typeof payload.sid !== 'string' ||
        typeof payload.scope !== 'string' ||
        typeof payload.exp !== 'number'
      )
        return { ok: false, reason: 'malformed' };
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
      verified.set(token, { claims: payload, exp: payload.exp });
      return { ok: true, claims: payload };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
        return { ok: false, reason: 'bad_signature' };
      return { ok: false, reason: 'malformed' };
    }
  }

  return {
    /** A signed access token for `principal` with `scopes` (already checked against the app's). */
    async issue(
      principal: AppPrincipal,
      scopes: readonly string[],
    ): Promise<{ token: string; expiresIn: number }> {
      const { kid, key } = await keys.signingKey();
      const expiresIn = principal.tokenTtlSeconds;
      const token = await new SignJWT({
        client_id: principal.appId,
        scope: scopes.join(' '),
        sid: principal.secretId,
      })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: TOKEN_TYPE })
        .setIssuer(issuerOf(principal.tenantId))
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setSubject(principal.appId)
        .setJti(randomBytes(12).toString('base64url'))
        .setIssuedAt()
        .setExpirationTime(`${expiresIn}s`)
        .sign(key);
      return { token, expiresIn };
    },

    /** The app behind a token presented to `tenantId`, with the scopes both the token and the app still allow. */
    async verify(token: string, tenantId: string): Promise<AccessTokenCheck> {
      const signature = await verifySignature(token);
      if (!signature.ok) return signature;
      const { claims } = signature;
      if (claims.iss !== issuerOf(tenantId)) return { ok: false, reason: 'wrong_tenant' };
      const principal = await credentials.principalOfSecret(claims.sid);
      if (principal === undefined || principal.appId !== claims.client_id || principal.tenantId !== tenantId)
        return { ok: false, reason: 'revoked' };
      const tokenScopes = claims.scope
        .split(' ')
        .map(canonicalScope)
        .filter((scope): scope is ScimScope => scope !== undefined);
      return {
        ok: true,
        principal: { ...principal, scopes: intersectScopes(tokenScopes, principal.scopes) },
      };
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
