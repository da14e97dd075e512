import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TenantRecord, TenantService } from '../../auth/tenant-service.ts';
import { tenantScopeOf } from './admin-access.ts';
import { setAuditObject } from './admin-audit-hook.ts';
import {
  CreateTenantSchema,
  ErrorSchema,
  itemsOf,
  TenantParamsSchema,
  TenantSchema,
  UpdateTenantSchema,
} from './admin-schemas.ts';

const tags = ['tenants'];

export function registerTenantRoutes(
  api: FastifyInstance,
  options: { tenants: TenantService; publicUrl: string | undefined },
): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const view = (request: FastifyRequest, tenant: TenantRecord) => {
    const base = `${options.publicUrl ?? `${request.protocol}://${request.host}`}/t/${tenant.id}`;
    return {
      id: tenant.id,
      displayName: tenant.display_name,
      status: tenant.status as 'active' | 'disabled',
      createdAt: tenant.created_at,
      updatedAt: tenant.updated_at ?? tenant.created_at,
      scimBaseUrl: `${base}/scim/v2`,
      tokenEndpoint: `${base}/oauth2/token`,
    };
  };

  app.get(
    '/tenants',
    {
      config: { adminAccess: 'filtered' },
      schema: { tags, summary: 'List tenants', response: { 200: itemsOf(TenantSchema) } },
    },
    async (request) => {
      const only = tenantScopeOf(request, undefined);
      const tenants = await options.tenants.listTenants();
      return {
        items: tenants
          .filter((tenant) => only === undefined || tenant.id === only)
          .map((tenant) => view(request, tenant)),
      };
    },
  );

  app.post(
    '/tenants',
    {
      config: { adminAccess: 'global', auditAction: 'tenant.create' },
      schema: {
        tags,
        summary: 'Create a tenant',
        body: CreateTenantSchema,
        response: { 201: TenantSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      setAuditObject(request, { type: 'tenant', id: request.body.id, tenantId: request.body.id });
      const tenant = await options.tenants.createTenant(
        request.body.id,
        request.body.displayName ?? request.body.id,
      );
      return reply.code(201).send(view(request, tenant));
    },
  );

  app.get(
    '/tenants/:tenant',
    {
      config: { adminAccess: 'tenant' },
      schema: {
        tags,
        summary: 'Get a tenant',
        params: TenantParamsSchema,
        response: { 200: TenantSchema, 404: ErrorSchema },
      },
    },
    async (request) => view(request, await options.tenants.getTenant(request.params.tenant)),
  );

  app.patch(
    '/tenants/:tenant',
    {
      config: { adminAccess: 'global', auditAction: 'tenant.update' },
      schema: {
        tags,
        summary: 'Rename, disable or enable a tenant',
        params: TenantParamsSchema,
        body: UpdateTenantSchema,
        response: { 200: TenantSchema, 404: ErrorSchema },
      },
    },
    async (request) => view(request, await options.tenants.updateTenant(request.params.tenant, request.body)),
  );

  app.delete(
    '/tenants/:tenant',
    {
      config: { adminAccess: 'global', auditAction: 'tenant.delete' },
      schema: {
        tags,
        summary: 'Delete a tenant and its directory (refused while provisionings or sources reference it)',
        params: TenantParamsSchema,
        response: { 204: z.undefined(), 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      await options.tenants.deleteTenant(request.params.tenant);
      return reply.code(204).send();
    },
  );
}
