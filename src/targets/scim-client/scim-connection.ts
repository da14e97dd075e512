import { z } from 'zod';

/** http(s) only, and no `user:password@` (credentials belong in `authentication`, never in a URL). */
const httpUrl = () =>
  z.url({ protocol: /^https?$/ }).refine((text) => {
    const url = URL.parse(text);
    return url === null || (url.username === '' && url.password === '');
  }, 'must not contain a user name or password');

/**
 * How Lockstep reaches a target's SCIM API, as an administrator configures it (REFERENCE.md §7:
 * the same choices IDaaS offers): a static bearer token, or OAuth 2.0 client credentials.
 * Secrets live here and nowhere else; nothing derived from this object is logged.
 */
export const BearerAuthenticationSchema = z.strictObject({
  kind: z.literal('bearer'),
  token: z.string().min(1),
});

export const OauthClientCredentialsSchema = z.strictObject({
  kind: z.literal('oauth_client_credentials'),
  tokenUrl: httpUrl(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** RFC 6749 §2.3.1; the profile's convention when absent. */
  clientAuthentication: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
  /** Where grant_type, client_id and scope go (RAM: the query string); the profile's when absent. */
  parametersIn: z.enum(['body', 'query']).optional(),
  /** Space-separated scopes; the profile's default scope when absent. */
  scope: z.string().min(1).optional(),
});

export const ScimConnectionSchema = z.strictObject({
  /** The SCIM base URL, e.g. `https://scim.aliyun.com` or `https://lockstep.example/t/acme/scim/v2`. */
  baseUrl: httpUrl(),
  authentication: z.discriminatedUnion('kind', [BearerAuthenticationSchema, OauthClientCredentialsSchema]),
  /** Per request attempt, headers and body; token requests have the same limit. */
  timeoutMs: z.int().min(1).max(300_000).default(30_000),
});

export type ScimConnectionInput = z.input<typeof ScimConnectionSchema>;
export type ScimConnection = z.output<typeof ScimConnectionSchema>;
export type OauthClientCredentials = z.output<typeof OauthClientCredentialsSchema>;
