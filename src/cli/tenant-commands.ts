import type { Command } from 'commander';
import { createTenantService } from '../auth/tenant-service.ts';
import { printTable } from './cli-output.ts';
import { withStorage } from './with-storage.ts';

export function registerTenantCommands(program: Command): void {
  const tenant = program
    .command('tenant')
    .description('Manage tenants (isolated directories with their own SCIM base URL)');

  tenant
    .command('create')
    .description('Create a tenant')
    .argument('<id>', 'tenant id: lower-case letters, digits and dashes; it appears in URLs')
    .option('--name <name>', 'display name (default: the id)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { name?: string; json?: boolean }) => {
      const created = await withStorage((storage) =>
        createTenantService(storage).createTenant(id, options.name ?? id),
      );
      if (options.json) console.log(JSON.stringify(created));
      else
        console.log(
          `Created tenant "${created.id}". Create a token for it with: npx lockstep token create --tenant ${created.id}`,
        );
    });

  tenant
    .command('list')
    .description('List tenants')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const tenants = await withStorage((storage) => createTenantService(storage).listTenants());
      if (options.json) console.log(JSON.stringify(tenants));
      else
        printTable(
          ['ID', 'NAME', 'STATUS', 'CREATED'],
          tenants.map((t) => [t.id, t.display_name, t.status, t.created_at]),
        );
    });
}
