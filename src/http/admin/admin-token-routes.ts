import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminTokenService } from '../../auth/admin-token-service.ts';
import type { SigningKeys } from '../../auth/oauth/signing-keys.ts';
import { tenantScopeOf } from './admin-access.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import {
  AdminTokenSchema,
  CreateAdminTokenSchema,
  ErrorSchema,
  itemsOf,
  SigningKeySchema,
} from './admin-schemas.ts';

/** Admin tokens (values shown once) and the keys that sign access tokens. */
export function registerAdminTokenRoutes(
  api: FastifyInstance,
  options: { adminTokens: AdminTokenService; keys: SigningKeys },
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { adminTokens } = options;

  app.get(
    '/admin-tokens',
    {
      config: { adminAccess: 'filtered' },
      schema: {
        tags: ['admin tokens'],
        summary: 'List admin tokens (never their values)',
        querystring: z.strictObject({ tenant: z.string().max(64).optional() }),
        response: { 200: itemsOf(AdminTokenSchema) },
      },
    },
    async (request) => ({
      items: await adminTokens.listAdminTokens(tenantScopeOf(request, request.query.tenant)),
    }),
  );

  app.post(
    '/admin-tokens',
    {
      config: { adminAccess: 'global', auditAction: 'admin-token.create' },
      schema: {
        tags: ['admin tokens'],
        summary: 'Create an admin token (its value is shown once)',
        body: CreateAdminTokenSchema,
        response: { 201: z.object({ token: AdminTokenSchema, value: z.string() }), 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const created = await adminTokens.createAdminToken(request.body);
      setAuditObject(request, {
        type: 'admin-token',
        id: created.token.id,
        tenantId: created.token.tenantId,
      });
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/admin-tokens/:id',
    {
      config: { adminAccess: 'global', auditAction: 'admin-token.delete' },
      schema: {
        tags: ['admin tokens'],
        summary: 'Revoke an admin token',
        params: z.object({ id: z.string().max(100) }),
        response: { 204: z.undefined(), 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await adminTokens.deleteAdminToken(request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/signing-keys',
    {
      config: { adminAccess: 'global' },
      schema: {
        tags: ['signing keys'],
        summary: 'List token-signing keys',
        response: { 200: itemsOf(SigningKeySchema) },
      },
    },
    async () => ({ items: await options.keys.list() }),
  );

  app.post(
    '/signing-keys/rotate',
    {
      config: { adminAccess: 'global', auditAction: 'signing-key.rotate' },
      schema: {
        tags: ['signing keys'],
        summary: 'Start signing with a new key; the old one stays valid until its tokens expire',
        response: { 201: SigningKeySchema },
      },
    },
    async (request, reply) => {
      const key = await options.keys.rotate();
      setAuditObject(request, { type: 'signing-key', id: key.kid });
      return reply.code(201).send(key);
    },
  );
}
