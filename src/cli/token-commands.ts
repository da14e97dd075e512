import { type Command, Option } from 'commander';
import type { AdminToken, ItemList } from './admin-api-types.ts';
import { type AdminOptions, addAdminOptions, addJsonOption, connectAdmin, segment } from './admin-command.ts';
import { cell, printJson, printTable } from './cli-output.ts';

type TokenOptions = AdminOptions & { json?: boolean; tenant?: string };

export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('Manage admin tokens (lsa_...): what the CLI and the admin API authenticate with');

  addJsonOption(addAdminOptions(token.command('create')))
    .description('Create an admin token; its value is printed once and stored only as a hash')
    .requiredOption('--label <label>', 'who or what the token is for, e.g. "ci"')
    .addOption(
      new Option('--scope <scope>', 'admin (read and write) or admin:read (read only)')
        .choices(['admin', 'admin:read'])
        .default('admin'),
    )
    .option('--tenant <id>', 'restrict the token to one tenant')
    .action(async (options: TokenOptions & { label: string; scope: string }) => {
      const created = await connectAdmin(options).post<{ token: AdminToken; value: string }>(
        '/admin-tokens',
        {
          label: options.label,
          scope: options.scope,
          ...(options.tenant !== undefined ? { tenantId: options.tenant } : {}),
        },
      );
      if (options.json) return printJson(created);
      const reach = created.token.tenantId === null ? 'all tenants' : `tenant "${created.token.tenantId}"`;
      console.log(
        `Admin token ${created.token.id} (${created.token.scope}, ${reach}); shown once, store it now:`,
      );
      console.log(created.value);
    });

  addJsonOption(addAdminOptions(token.command('list')))
    .description('List admin tokens (ids and dates, never values)')
    .option('--tenant <id>', "only this tenant's tokens")
    .action(async (options: TokenOptions) => {
      const list = await connectAdmin(options).get<ItemList<AdminToken>>(
        '/admin-tokens',
        options.tenant === undefined ? undefined : { tenant: options.tenant },
      );
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'LABEL', 'SCOPE', 'TENANT', 'CREATED', 'LAST USED'],
        list.items.map((t) => [t.id, t.label, t.scope, cell(t.tenantId), t.createdAt, cell(t.lastUsedAt)]),
      );
    });

  addAdminOptions(token.command('revoke'))
    .description('Revoke an admin token: requests with it fail from now on')
    .argument('<id>', 'the token id shown by "token list"')
    .action(async (id: string, options: AdminOptions) => {
      await connectAdmin(options).delete(`/admin-tokens/${segment(id)}`);
      console.log(`Revoked admin token ${id}.`);
    });
}
