import type { Command } from 'commander';
import type { ItemList, NewSecret, SecretInfo } from './admin-api-types.ts';
import {
  type AdminOptions,
  addAdminOptions,
  addJsonOption,
  confirmDeletion,
  connectAdmin,
  segment,
} from './admin-command.ts';
import { cell, printJson, printTable } from './cli-output.ts';

type SecretOptions = AdminOptions & { tenant: string; app: string; json?: boolean };

function secretsPath(options: SecretOptions, secret?: string): string {
  const base = `/tenants/${segment(options.tenant)}/apps/${segment(options.app)}/secrets`;
  return secret === undefined ? base : `${base}/${segment(secret)}`;
}

function secretCommand(parent: Command, name: string): Command {
  return addAdminOptions(parent.command(name))
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--app <app>', 'app id');
}

export function registerSecretCommands(program: Command): void {
  const secret = program
    .command('secret')
    .description("Manage an app's client secrets (at most two at a time, to rotate without downtime)");

  addJsonOption(secretCommand(secret, 'create'))
    .description('Add a secret to an app; its value is printed once and stored only as a hash')
    .action(async (options: SecretOptions) => {
      const created = await connectAdmin(options).post<NewSecret>(secretsPath(options));
      if (options.json) return printJson(created);
      console.log(`Secret ${created.id} for app ${options.app} (shown once; store it now):`);
      console.log(created.value);
    });

  addJsonOption(secretCommand(secret, 'list'))
    .description("List an app's secrets (ids and dates, never values)")
    .action(async (options: SecretOptions) => {
      const list = await connectAdmin(options).get<ItemList<SecretInfo>>(secretsPath(options));
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'CREATED', 'LAST USED'],
        list.items.map((s) => [s.id, s.createdAt, cell(s.lastUsedAt)]),
      );
    });

  secretCommand(secret, 'delete')
    .description('Delete a secret: requests with it fail from now on')
    .argument('<secret-id>', 'the secret id shown by "secret list"')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .action(async (secretId: string, options: SecretOptions & { yes?: boolean }) => {
      const client = connectAdmin(options);
      await confirmDeletion(`secret ${secretId} of app ${options.app}`, options.yes);
      await client.delete(secretsPath(options, secretId));
      console.log(`Deleted secret ${secretId}.`);
    });
}
