import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OauthRegistry, RamOauthApp } from './oauth-registry.ts';

export const TOKEN_PATH = '/v1/token';

type OauthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * RAM's OAuth token endpoint (`https://oauth.aliyun.com/v1/token`) for Server applications, as the
 * RAM SCIM guide calls it:
 *
 *     POST /v1/token?grant_type=client_credentials&client_id=<id>
 *     Authorization: Basic base64(<client_id>:<client_secret>)
 *
 * answering `{"scope":"/acs/scim","request_id":"…","access_token":"eyJ…","token_type":"Bearer",
 * "expires_in":"3599"}` — `expires_in` is a string, one second short of the app's validity.
 * Parameters are also read from an `application/x-www-form-urlencoded` body and the secret from
 * `client_secret` (Alibaba's OAuth guide for web apps posts them so); the query string wins.
 * Error bodies follow RFC 6749 §5.2 (*unverified* for RAM) with a `request_id` like the success's.
 * @see RFC 6749 §4.4, §5.1, §5.2
 */
export function registerTokenRoute(app: FastifyInstance, oauth: OauthRegistry): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.post(TOKEN_PATH, async (request, reply) => {
      const params = { ...stringEntries(request.body), ...stringEntries(request.query) };
      const grantType = params.grant_type;
      if (grantType === undefined)
        return sendOauthError(reply, 400, 'invalid_request', 'grant_type is required');
      if (grantType !== 'client_credentials') {
        return sendOauthError(
          reply,
          400,
          'unsupported_grant_type',
          `grant_type ${grantType} is not supported here`,
        );
      }
      const client = readClientCredentials(request, params);
      if (!client.ok) return sendOauthError(reply, client.status, client.error, client.description);
      const authentication = oauth.authenticateClient(client.clientId, client.clientSecret);
      if (!authentication.ok) {
        reply.header('www-authenticate', 'Basic realm="oauth.aliyun.com"');
        const description =
          authentication.reason === 'unknownClient'
            ? 'The client does not exist'
            : 'The client secret is wrong';
        return sendOauthError(reply, 401, 'invalid_client', description);
      }
      const scopes = grantedScopes(authentication.app, params.scope);
      if (scopes === undefined) {
        return sendOauthError(
          reply,
          400,
          'invalid_scope',
          `The client may not request the scope "${params.scope}"`,
        );
      }
      const token = oauth.issueToken(authentication.app, scopes);
      return reply
        .code(200)
        .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
        .type('application/json')
        .send({
          scope: token.scope,
          request_id: randomUUID(),
          access_token: token.accessToken,
          token_type: 'Bearer',
          expires_in: String(Math.max(0, Math.ceil(authentication.app.accessTokenValiditySeconds) - 1)),
        });
    });
  });
}

export function sendOauthError(
  reply: FastifyReply,
  status: number,
  error: OauthErrorCode | 'temporarily_unavailable' | 'server_error',
  description: string,
): FastifyReply {
  return reply
    .code(status)
    .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
    .type('application/json')
    .send({ error, error_description: description, request_id: randomUUID() });
}

type ClientCredentials =
  | { ok: true; clientId: string; clientSecret: string }
  | { ok: false; status: 400 | 401; error: OauthErrorCode; description: string };

/** HTTP Basic (the documented way) or `client_secret` in the parameters; never both (RFC 6749 §2.3). */
function readClientCredentials(request: FastifyRequest, params: Record<string, string>): ClientCredentials {
  const header = request.headers.authorization;
  if (header === undefined) {
    if (params.client_id === undefined || params.client_secret === undefined) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_client',
        description: 'Client authentication is required',
      };
    }
    return { ok: true, clientId: params.client_id, clientSecret: params.client_secret };
  }
  const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return {
      ok: false,
      status: 401,
      error: 'invalid_client',
      description: 'The Authorization header must be Basic base64(client_id:client_secret)',
    };
  }
  if (params.client_secret !== undefined) {
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'Authenticate the client one way only',
    };
  }
  const clientId = decoded.slice(0, colon);
  if (params.client_id !== undefined && params.client_id !== clientId) {
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'client_id differs from the authenticated client',
    };
  }
  return { ok: true, clientId, clientSecret: decoded.slice(colon + 1) };
}

/** The requested scopes when the app holds them all; all of the app's when none are requested. */
function grantedScopes(app: RamOauthApp, requested: string | undefined): string[] | undefined {
  if (requested === undefined || requested.trim() === '') return app.scopes;
  const scopes = requested.trim().split(/\s+/);
  return scopes.every((scope) => app.scopes.includes(scope)) ? scopes : undefined;
}

function stringEntries(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
