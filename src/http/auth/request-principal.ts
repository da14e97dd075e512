import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../auth/principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook of the route's area; null until then (and on public routes). */
    principal: Principal | null;
  }
}

export function decoratePrincipal(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
}

/** The token of an `Authorization: Bearer …` header: undefined without a Bearer credential, 'malformed' when unusable. */
export function bearerTokenOf(header: string | string[] | undefined): string | 'malformed' | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) return 'malformed';
  // Another scheme (Basic, …) is no bearer credential at all; a Bearer with a bad token is malformed.
  if (!/^Bearer(?:[ \t]|$)/i.test(header)) return undefined;
  const match = /^Bearer[ \t]+([\x21-\x7e]{1,4096})[ \t]*$/i.exec(header);
  return match === null ? 'malformed' : (match[1] as string);
}
