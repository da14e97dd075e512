import type { Command } from 'commander';
import type { ItemList, Tenant } from './admin-api-types.ts';
import {
  type AdminOptions,
  addAdminOptions,
  addJsonOption,
  confirmDeletion,
  connectAdmin,
  segment,
} from './admin-command.ts';
import { printFields, printJson, printTable } from './cli-output.ts';

type JsonOptions = AdminOptions & { json?: boolean };

function printTenant(tenant: Tenant, json: boolean | undefined): void {
  if (json) {
    printJson(tenant);
    return;
  }
  printFields([
    ['Tenant', tenant.id],
    ['Name', tenant.displayName],
    ['Status', tenant.status],
    ['SCIM base URL', tenant.scimBaseUrl],
    ['Token endpoint', tenant.tokenEndpoint],
    ['Created', tenant.createdAt],
    ['Updated', tenant.updatedAt],
  ]);
}

export function registerTenantCommands(program: Command): void {
  const tenant = program
    .command('tenant')
    .description('Manage tenants (isolated directories with their own SCIM base URL)');

  addJsonOption(addAdminOptions(tenant.command('create')))
    .description('Create a tenant')
    .argument('<id>', 'tenant id: lower-case letters, digits and dashes; it appears in URLs')
    .option('--name <name>', 'display name (default: the id)')
    .action(async (id: string, options: JsonOptions & { name?: string }) => {
      const created = await connectAdmin(options).post<Tenant>('/tenants', {
        id,
        ...(options.name !== undefined ? { displayName: options.name } : {}),
      });
      if (options.json) return printJson(created);
      console.log(`Created tenant "${created.id}".`);
      console.log(`  SCIM base URL:  ${created.scimBaseUrl}`);
      console.log(`  Token endpoint: ${created.tokenEndpoint}`);
      console.log(`Next: lockstep app create --tenant ${created.id} --name <name>`);
    });

  addJsonOption(addAdminOptions(tenant.command('list')))
    .description('List tenants')
    .action(async (options: JsonOptions) => {
      const list = await connectAdmin(options).get<ItemList<Tenant>>('/tenants');
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'NAME', 'STATUS', 'CREATED'],
        list.items.map((t) => [t.id, t.displayName, t.status, t.createdAt]),
      );
    });

  addJsonOption(addAdminOptions(tenant.command('show')))
    .description('Show a tenant and its URLs')
    .argument('<id>', 'tenant id')
    .action(async (id: string, options: JsonOptions) => {
      printTenant(await connectAdmin(options).get<Tenant>(`/tenants/${segment(id)}`), options.json);
    });

  addJsonOption(addAdminOptions(tenant.command('rename')))
    .description("Change a tenant's display name (the id stays)")
    .argument('<id>', 'tenant id')
    .argument('<name>', 'new display name')
    .action(async (id: string, name: string, options: JsonOptions) => {
      const updated = await connectAdmin(options).patch<Tenant>(`/tenants/${segment(id)}`, {
        displayName: name,
      });
      if (options.json) return printJson(updated);
      console.log(`Renamed tenant "${updated.id}" to "${updated.displayName}".`);
    });

  for (const [name, status, description] of [
    ['disable', 'disabled', "Disable a tenant: its apps' tokens and secrets stop working at once"],
    ['enable', 'active', 'Enable a disabled tenant again'],
  ] as const) {
    addJsonOption(addAdminOptions(tenant.command(name)))
      .description(description)
      .argument('<id>', 'tenant id')
      .action(async (id: string, options: JsonOptions) => {
        const updated = await connectAdmin(options).patch<Tenant>(`/tenants/${segment(id)}`, { status });
        if (options.json) return printJson(updated);
        console.log(`Tenant "${updated.id}" is ${updated.status}.`);
      });
  }

  addAdminOptions(tenant.command('delete'))
    .description(
      'Delete a tenant with its directory, apps and admin tokens (refused while provisionings or sources use it)',
    )
    .argument('<id>', 'tenant id')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .action(async (id: string, options: AdminOptions & { yes?: boolean }) => {
      const client = connectAdmin(options);
      await confirmDeletion(`tenant "${id}" and everything in it`, options.yes);
      await client.delete(`/tenants/${segment(id)}`);
      console.log(`Deleted tenant "${id}".`);
    });
}
