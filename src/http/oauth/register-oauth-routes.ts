import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppCredentials } from '../../auth/app-credentials.ts';
import type { AccessTokens } from '../../auth/oauth/access-tokens.ts';
import { issuerOf } from '../../auth/oauth/access-tokens.ts';
import { grantClientCredentials } from '../../auth/oauth/client-credentials-grant.ts';
import type { SigningKeys } from '../../auth/oauth/signing-keys.ts';
import { SCIM_SCOPES } from '../../auth/scopes.ts';
import type { TenantService } from '../../auth/tenant-service.ts';
import type { AuditRecorder } from '../audit/audit-recorder.ts';
import type { TokenRateLimits } from './token-rate-limits.ts';

export const OAUTH_PREFIX = '/t/:tenant';
const FORM = 'application/x-www-form-urlencoded';

export interface OauthRouteDependencies {
  readonly tokens: AccessTokens;
  readonly credentials: AppCredentials;
  readonly keys: SigningKeys;
  readonly tenants: TenantService;
  readonly rateLimits: TokenRateLimits;
  readonly audit: AuditRecorder;
  readonly publicUrl: string | undefined;
}

/**
 * Each tenant's OAuth 2.0 authorization server: the client-credentials token endpoint, its JWKS and
 * its metadata. Answers are never cached (RFC 6749 §5.1) and errors follow RFC 6749 §5.2.
 */
export async function registerOauthRoutes(
  app: FastifyInstance,
  dependencies: OauthRouteDependencies,
): Promise<void> {
  await app.register(
    async (oauth) => {
      oauth.removeAllContentTypeParsers();
      oauth.addContentTypeParser(
        FORM,
        { parseAs: 'string', bodyLimit: 16 * 1024 },
        async (_request: FastifyRequest, body: string | Buffer) => new URLSearchParams(String(body)),
      );
      // Other bodies are read and ignored: parameters may all be in the query string (IDaaS).
      oauth.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, async () => undefined);
      oauth.setErrorHandler((error: Error, request, reply) => {
        const status =
          'statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500
            ? error.statusCode
            : 500;
        if (status === 500) request.log.error({ err: error }, 'Unhandled error in OAuth request');
        return sendOauthError(
          reply,
          status,
          status === 500 ? 'server_error' : 'invalid_request',
          status === 500 ? `Internal error (request ${request.id})` : error.message,
        );
      });

      oauth.post('/oauth2/token', async (request, reply) => {
        const tenantId = (request.params as { tenant: string }).tenant;
        const query = new URLSearchParams(
          request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
        );
        const body = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
        const namedClient =
          query.get('client_id') ?? body.get('client_id') ?? basicClientId(request.headers.authorization);
        const wait = await dependencies.rateLimits.check(
          request.ip,
          namedClient === undefined ? undefined : `${tenantId}:${namedClient}`,
        );
        if (wait !== undefined) {
          reply.header('retry-after', String(wait));
          return sendOauthError(reply, 429, 'rate_limited', `Too many token requests; retry after ${wait} s`);
        }
        const result = await grantClientCredentials(
          { tenantId, query, body, authorization: request.headers.authorization },
          dependencies,
        );
        if (!result.ok || result.principal.tenantId !== tenantId) {
          const failure = result.ok
            ? {
                status: 401 as const,
                error: 'invalid_client' as const,
                description: 'Client authentication failed',
                clientId: namedClient,
              }
            : result;
          dependencies.audit.record(request, {
            tenantId,
            actor: { type: 'anonymous', id: failure.clientId ?? null },
            action: 'oauth.token',
            object: failure.clientId === undefined ? null : { type: 'app', id: failure.clientId },
            outcome: 'failure',
            status: failure.status,
            detail: { error: failure.error },
          });
          if (failure.status === 401) reply.header('www-authenticate', 'Basic realm="lockstep"');
          return sendOauthError(reply, failure.status, failure.error, failure.description);
        }
        dependencies.audit.record(request, {
          tenantId,
          actor: { type: 'app', id: result.principal.appId },
          action: 'oauth.token',
          object: { type: 'app', id: result.principal.appId },
          outcome: 'success',
          status: 200,
          detail: { scope: result.body.scope, secretId: result.principal.secretId },
        });
        return noStore(reply).code(200).send(result.body);
      });

      oauth.get('/oauth2/jwks', async (request, reply) => {
        if (!(await tenantExists(request))) return sendOauthError(reply, 404, 'not_found', 'Unknown tenant');
        return reply.header('cache-control', 'public, max-age=300').send(dependencies.keys.jwks());
      });

      oauth.get('/.well-known/oauth-authorization-server', async (request, reply) => {
        const tenantId = (request.params as { tenant: string }).tenant;
        if (!(await tenantExists(request))) return sendOauthError(reply, 404, 'not_found', 'Unknown tenant');
        const base = `${dependencies.publicUrl ?? `${request.protocol}://${request.host}`}/t/${tenantId}`;
        return reply.send({
          issuer: issuerOf(tenantId),
          token_endpoint: `${base}/oauth2/token`,
          jwks_uri: `${base}/oauth2/jwks`,
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: [...SCIM_SCOPES, '/acs/scim'],
          response_types_supported: [],
        });
      });
    },
    { prefix: OAUTH_PREFIX },
  );

  async function tenantExists(request: FastifyRequest): Promise<boolean> {
    const tenant = await dependencies.tenants.findTenant((request.params as { tenant: string }).tenant);
    return tenant !== undefined && tenant.status === 'active';
  }
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

function sendOauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
): FastifyReply {
  return noStore(reply)
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error, error_description: description });
}

function basicClientId(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Basic\s+(\S+)/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}
