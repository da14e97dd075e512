import type { FastifyReply, FastifyRequest } from 'fastify';
import { type OauthRegistry, SCIM_SCOPE } from './oauth-registry.ts';
import { RamScimError, sendScimError } from './scim-error-reply.ts';

const REALM = 'scim.aliyun.com';

/**
 * Guards RAM's SCIM API: an access token from `/v1/token` that has not expired and grants
 * `/acs/scim`. The scheme is case-insensitive and blanks around the token are tolerated (the RAM guide's
 * own requests send `Bearer  eyJ…` with two spaces). Refusals are 401 (403 for a token without the
 * scope) with an RFC 6750 `WWW-Authenticate`; their bodies are SCIM errors, *unverified*.
 */
export function createBearerAuthentication(oauth: OauthRegistry) {
  return async function authenticateBearer(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization ?? '';
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) {
      reply.header('www-authenticate', `Bearer realm="${REALM}"`);
      const detail =
        header === ''
          ? 'The request has no access token'
          : 'The Authorization header must be "Bearer <access_token>"';
      await sendScimError(reply, new RamScimError(401, detail));
      return;
    }
    const verification = oauth.verifyToken(match[1]);
    if (!verification.ok) {
      const description =
        verification.reason === 'expired' ? 'The access token has expired' : 'The access token is not valid';
      reply.header(
        'www-authenticate',
        `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
      );
      await sendScimError(reply, new RamScimError(401, description));
      return;
    }
    if (!verification.token.scope.split(' ').includes(SCIM_SCOPE)) {
      reply.header(
        'www-authenticate',
        `Bearer realm="${REALM}", error="insufficient_scope", scope="${SCIM_SCOPE}"`,
      );
      await sendScimError(
        reply,
        new RamScimError(403, `The access token does not grant the scope ${SCIM_SCOPE}`),
      );
    }
  };
}
