import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppService } from '../../auth/app-service.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import {
  AppParamsSchema,
  AppSchema,
  CreateAppSchema,
  ErrorSchema,
  itemsOf,
  NewSecretSchema,
  SecretInfoSchema,
  SecretParamsSchema,
  TenantParamsSchema,
  UpdateAppSchema,
} from './admin-schemas.ts';

const tags = ['apps'];

/** OAuth apps of a tenant and their secrets. Secret values appear only in the answer that creates them. */
export function registerAppRoutes(api: FastifyInstance, options: { apps: AppService }): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const { apps } = options;

  app.get(
    '/tenants/:tenant/apps',
    {
      config: { adminAccess: 'tenant' },
      schema: {
        tags,
        summary: "List a tenant's apps",
        params: TenantParamsSchema,
        response: { 200: itemsOf(AppSchema) },
      },
    },
    async (request) => ({ items: await apps.listApps(request.params.tenant) }),
  );

  app.post(
    '/tenants/:tenant/apps',
    {
      config: { adminAccess: 'tenant', auditAction: 'app.create' },
      schema: {
        tags,
        summary: 'Create an app: its client id and first secret (shown once)',
        params: TenantParamsSchema,
        body: CreateAppSchema,
        response: { 201: z.object({ app: AppSchema, secret: NewSecretSchema }), 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const created = await apps.createApp(request.params.tenant, request.body);
      setAuditObject(request, { type: 'app', id: created.app.id });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/tenants/:tenant/apps/:app',
    {
      config: { adminAccess: 'tenant' },
      schema: {
        tags,
        summary: 'Get an app',
        params: AppParamsSchema,
        response: { 200: AppSchema, 404: ErrorSchema },
      },
    },
    async (request) => apps.getApp(request.params.tenant, request.params.app),
  );

  app.patch(
    '/tenants/:tenant/apps/:app',
    {
      config: { adminAccess: 'tenant', auditAction: 'app.update' },
      schema: {
        tags,
        summary: 'Change an app (disabling it stops its tokens at once)',
        params: AppParamsSchema,
        body: UpdateAppSchema,
        response: { 200: AppSchema, 404: ErrorSchema },
      },
    },
    async (request) => apps.updateApp(request.params.tenant, request.params.app, request.body),
  );

  app.delete(
    '/tenants/:tenant/apps/:app',
    {
      config: { adminAccess: 'tenant', auditAction: 'app.delete' },
      schema: {
        tags,
        summary: 'Delete an app',
        params: AppParamsSchema,
        response: { 204: z.undefined(), 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await apps.deleteApp(request.params.tenant, request.params.app);
      return reply.code(204).send();
    },
  );

  app.get(
    '/tenants/:tenant/apps/:app/secrets',
    {
      config: { adminAccess: 'tenant' },
      schema: {
        tags,
        summary: "List an app's secrets (ids and times, never values)",
        params: AppParamsSchema,
        response: { 200: itemsOf(SecretInfoSchema), 404: ErrorSchema },
      },
    },
    async (request) => ({ items: [...(await apps.listSecrets(request.params.tenant, request.params.app))] }),
  );

  app.post(
    '/tenants/:tenant/apps/:app/secrets',
    {
      config: { adminAccess: 'tenant', auditAction: 'secret.create' },
      schema: {
        tags,
        summary: 'Create a second secret for rotation (at most two live secrets)',
        params: AppParamsSchema,
        response: { 201: NewSecretSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const secret = await apps.createSecret(request.params.tenant, request.params.app);
      setAuditObject(request, { type: 'secret', id: secret.id });
      return reply.code(201).send(secret);
    },
  );

  app.delete(
    '/tenants/:tenant/apps/:app/secrets/:secret',
    {
      config: { adminAccess: 'tenant', auditAction: 'secret.delete' },
      schema: {
        tags,
        summary: 'Delete a secret; tokens issued with it stop working at once',
        params: SecretParamsSchema,
        response: { 204: z.undefined(), 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await apps.deleteSecret(request.params.tenant, request.params.app, request.params.secret);
      return reply.code(204).send();
    },
  );
}
