import type { Command } from 'commander';
import type { App, ItemList, NewSecret, Tenant } from './admin-api-types.ts';
import type { AdminClient } from './admin-client.ts';
import {
  type AdminOptions,
  addAdminOptions,
  addJsonOption,
  collect,
  confirmDeletion,
  connectAdmin,
  parseWholeNumber,
  segment,
} from './admin-command.ts';
import { cell, printFields, printJson, printTable, UsageError } from './cli-output.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
interface AppSettings {
  name?: string;
  scope?: string[];
  tokenTtl?: number;
  secretAsBearer?: boolean;
}

const SCOPE_HELP = 'scope the app may ask for: scim, scim:read or /acs/scim (repeat for several)';
const TTL_HELP = 'access token validity in seconds (900-10800)';

function appPath(tenant: string, app?: string): string {
  return `/tenants/${segment(tenant)}/apps${app === undefined ? '' : `/${segment(app)}`}`;
}

function settingsBody(options: AppSettings): Record<string, unknown> {
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.scope !== undefined ? { scopes: options.scope } : {}),
    ...(options.tokenTtl !== undefined ? { tokenTtlSeconds: options.tokenTtl } : {}),
    ...(options.secretAsBearer !== undefined ? { secretAsBearer: options.secretAsBearer } : {}),
  };
}

function printApp(app: App): void {
  printFields([
    ['App', app.id],
    ['Name', app.name],
    ['Tenant', app.tenantId],
    ['Client id', app.clientId],
    ['Status', app.status],
    ['Scopes', app.scopes.join(' ')],
    ['Token TTL', `${app.tokenTtlSeconds} s`],
    ['Secret as bearer', app.secretAsBearer ? 'yes' : 'no'],
    ['Secrets', app.secrets.map((s) => s.id).join(', ') || '-'],
    ['Created', app.createdAt],
    ['Updated', app.updatedAt],
  ]);
}

/** The tenant's URLs, for the "what to configure" lines; derived from the server URL if unreadable. */
async function tenantUrls(client: AdminClient, tenantId: string): Promise<{ scim: string; token: string }> {
  try {
    const tenant = await client.get<Tenant>(`/tenants/${segment(tenantId)}`);
    return { scim: tenant.scimBaseUrl, token: tenant.tokenEndpoint };
  } catch {
    const base = `${client.url}/t/${segment(tenantId)}`;
    return { scim: `${base}/scim/v2`, token: `${base}/oauth2/token` };
  }
}

function tenantCommand(parent: Command, name: string): Command {
  return addAdminOptions(parent.command(name)).requiredOption('--tenant <id>', 'tenant id');
}

export function registerAppCommands(program: Command): void {
  const app = program
    .command('app')
    .description('Manage apps: OAuth 2.0 clients (client credentials) that call the SCIM API of a tenant');

  addJsonOption(tenantCommand(app, 'create'))
    .description('Create an app with its first secret (the secret value is printed once)')
    .requiredOption('--name <name>', 'what the app is, e.g. "Entra ID provisioning"')
    .option('--scope <scope>', `${SCOPE_HELP} (default: scim)`, collect)
    .option('--token-ttl <seconds>', `${TTL_HELP} (default: 3600)`, parseWholeNumber)
    .option(
      '--secret-as-bearer',
      'also accept the secret itself as a SCIM bearer token (for clients without OAuth)',
    )
    .action(async (options: TenantOptions & AppSettings) => {
      const client = connectAdmin(options);
      const created = await client.post<{ app: App; secret: NewSecret }>(
        appPath(options.tenant),
        settingsBody(options),
      );
      if (options.json) return printJson(created);
      const urls = await tenantUrls(client, created.app.tenantId);
      console.log(
        `Created app "${created.app.name}" (${created.app.id}) in tenant "${created.app.tenantId}".`,
      );
      printFields([
        ['Client id', created.app.clientId],
        ['Client secret', created.secret.value],
        ['Token endpoint', urls.token],
        ['SCIM base URL', urls.scim],
        ['Scopes', created.app.scopes.join(' ')],
      ]);
      console.log('The client secret is shown once: store it now (it is kept only as a hash).');
    });

  addJsonOption(tenantCommand(app, 'list'))
    .description("List a tenant's apps")
    .action(async (options: TenantOptions) => {
      const list = await connectAdmin(options).get<ItemList<App>>(appPath(options.tenant));
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'NAME', 'CLIENT ID', 'STATUS', 'SCOPES', 'SECRETS', 'CREATED'],
        list.items.map((a) => [
          a.id,
          a.name,
          a.clientId,
          a.status,
          a.scopes.join(' '),
          String(a.secrets.length),
          a.createdAt,
        ]),
      );
    });

  addJsonOption(tenantCommand(app, 'show'))
    .description('Show an app (never its secret values)')
    .argument('<app>', 'app id')
    .action(async (appId: string, options: TenantOptions) => {
      const found = await connectAdmin(options).get<App>(appPath(options.tenant, appId));
      if (options.json) return printJson(found);
      printApp(found);
      if (found.secrets.length > 0) {
        console.log('');
        printTable(
          ['SECRET', 'CREATED', 'LAST USED'],
          found.secrets.map((s) => [s.id, s.createdAt, cell(s.lastUsedAt)]),
        );
      }
    });

  addJsonOption(tenantCommand(app, 'update'))
    .description("Change an app's name, scopes, token validity or secret-as-bearer")
    .argument('<app>', 'app id')
    .option('--name <name>', 'new name')
    .option('--scope <scope>', `${SCOPE_HELP}; replaces the current scopes`, collect)
    .option('--token-ttl <seconds>', TTL_HELP, parseWholeNumber)
    .option('--secret-as-bearer', 'accept the secret itself as a SCIM bearer token')
    .option('--no-secret-as-bearer', 'stop accepting the secret as a bearer token')
    .action(async (appId: string, options: TenantOptions & AppSettings) => {
      const body = settingsBody(options);
      if (Object.keys(body).length === 0) {
        throw new UsageError(
          'Nothing to change: give --name, --scope, --token-ttl or --[no-]secret-as-bearer',
        );
      }
      const updated = await connectAdmin(options).patch<App>(appPath(options.tenant, appId), body);
      if (options.json) return printJson(updated);
      printApp(updated);
    });

  for (const [name, status, description] of [
    ['disable', 'disabled', 'Disable an app: its tokens and secrets stop working at once'],
    ['enable', 'enabled', 'Enable a disabled app again'],
  ] as const) {
    addJsonOption(tenantCommand(app, name))
      .description(description)
      .argument('<app>', 'app id')
      .action(async (appId: string, options: TenantOptions) => {
        const updated = await connectAdmin(options).patch<App>(appPath(options.tenant, appId), { status });
        if (options.json) return printJson(updated);
        console.log(`App "${updated.name}" (${updated.id}) is ${updated.status}.`);
      });
  }

  tenantCommand(app, 'delete')
    .description('Delete an app with its secrets; its tokens stop working at once')
    .argument('<app>', 'app id')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .action(async (appId: string, options: TenantOptions & { yes?: boolean }) => {
      const client = connectAdmin(options);
      await confirmDeletion(`app ${appId} of tenant "${options.tenant}"`, options.yes);
      await client.delete(appPath(options.tenant, appId));
      console.log(`Deleted app ${appId}.`);
    });
}
