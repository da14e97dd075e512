import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { ItemList } from './admin-api-types.ts';
import type { AdminClient } from './admin-client.ts';
import { type AdminOptions, addAdminOptions, addJsonOption, connectAdmin } from './admin-command.ts';
import { printFields, printJson, printTable, UsageError } from './cli-output.ts';
import type { Provisioning, Run } from './provisioning-api-types.ts';
import { provisioningPath } from './provisioning-paths.ts';
import { registerProvisioningRecordCommands } from './provisioning-record-commands.ts';
import { registerProvisioningRunCommands } from './provisioning-run-commands.ts';
import { registerProvisioningTestCommand } from './provisioning-test-command.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };

/** A provisioning configuration from a JSON file (`-`: standard input). */
export async function readConfig(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read --config ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file} is not JSON: ${(error as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

function printProvisioning(provisioning: Provisioning): void {
  const config = provisioning.config;
  const operations = Object.entries(config.operations ?? {})
    .filter(([, allowed]) => allowed)
    .map(([name]) => name);
  printFields([
    ['Provisioning', provisioning.id],
    ['Name', provisioning.name],
    ['Tenant', provisioning.tenantId],
    ['Target', provisioning.targetId],
    ['Status', provisioning.status],
    ['Matching', (config.matching ?? []).join(', ') || '-'],
    ['Operations', operations.join(', ') || 'none'],
    ['Duplicates', config.duplicationStrategy ?? '-'],
    ['On removal', config.deletionStrategy ?? '-'],
    ['Push groups', config.pushGroups ? 'yes' : 'no'],
    ['Mapping', config.mapping === undefined ? "the target profile's default" : 'custom (see --json)'],
    ['Created', provisioning.createdAt],
    ['Updated', provisioning.updatedAt],
  ]);
}

/** After a create or change that starts a full push on the server: which run, and how to follow it. */
async function announcePush(client: AdminClient, tenant: string, provisioning: Provisioning): Promise<void> {
  const runs = await client.get<ItemList<Run>>(`${provisioningPath(tenant, provisioning.id)}/runs`);
  const run = runs.items.find((item) => item.kind === 'full-push');
  if (run === undefined) return;
  console.log(`A full push started (run ${run.id}). Follow it with:`);
  console.log(`  lockstep run show --tenant ${tenant} ${run.id} --follow`);
}

function tenantCommand(parent: Command, name: string): Command {
  return addAdminOptions(parent.command(name)).requiredOption('--tenant <id>', 'tenant id');
}

export function registerProvisioningCommands(program: Command): void {
  const provisioning = program
    .command('provisioning')
    .description('Manage provisionings: how a tenant is pushed to a target (scope, mapping, strategies)');

  addJsonOption(tenantCommand(provisioning, 'create'))
    .description('Create a provisioning; unless --disabled it starts with a full push of everyone in scope')
    .requiredOption('--name <name>', 'what it is, e.g. "Staff to RAM"')
    .requiredOption('--target <id>', 'target id (see lockstep target list)')
    .option('--config <file.json>', "configuration (scope, mapping, matching, strategies); '-' reads stdin")
    .option('--disabled', 'create it disabled: nothing is pushed until it is enabled')
    .action(
      async (
        options: TenantOptions & { name: string; target: string; config?: string; disabled?: boolean },
      ) => {
        const client = connectAdmin(options);
        const config = options.config !== undefined ? { config: await readConfig(options.config) } : {};
        const created = await client.post<Provisioning>(provisioningPath(options.tenant), {
          name: options.name,
          targetId: options.target,
          ...(options.disabled ? { enabled: false } : {}),
          ...config,
        });
        if (options.json) return printJson(created);
        console.log(`Created provisioning "${created.name}" (${created.id}), ${created.status}.`);
        if (created.status === 'enabled') await announcePush(client, options.tenant, created);
      },
    );

  addJsonOption(tenantCommand(provisioning, 'list'))
    .description("List a tenant's provisionings")
    .action(async (options: TenantOptions) => {
      const list = await connectAdmin(options).get<ItemList<Provisioning>>(provisioningPath(options.tenant));
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'NAME', 'TARGET', 'STATUS', 'ON REMOVAL', 'CREATED'],
        list.items.map((p) => [
          p.id,
          p.name,
          p.targetId,
          p.status,
          p.config.deletionStrategy ?? '-',
          p.createdAt,
        ]),
      );
    });

  addJsonOption(tenantCommand(provisioning, 'show'))
    .description('Show a provisioning (--json: with its whole configuration)')
    .argument('<provisioning>', 'provisioning id')
    .action(async (id: string, options: TenantOptions) => {
      const found = await connectAdmin(options).get<Provisioning>(provisioningPath(options.tenant, id));
      if (options.json) return printJson(found);
      printProvisioning(found);
    });

  addJsonOption(tenantCommand(provisioning, 'update'))
    .description(
      'Rename, reconfigure, enable or disable a provisioning (a new config or enabling starts a full push)',
    )
    .argument('<provisioning>', 'provisioning id')
    .option('--name <name>', 'new name')
    .option('--config <file.json>', "new configuration, replacing the current one; '-' reads stdin")
    .addOption(new Option('--enable', 'enable it').conflicts('disable'))
    .addOption(new Option('--disable', 'disable it: changes stop flowing to the target').conflicts('enable'))
    .action(
      async (
        id: string,
        options: TenantOptions & { name?: string; config?: string; enable?: boolean; disable?: boolean },
      ) => {
        const body = {
          ...(options.name !== undefined ? { name: options.name } : {}),
          ...(options.config !== undefined ? { config: await readConfig(options.config) } : {}),
          ...(options.enable ? { status: 'enabled' } : options.disable ? { status: 'disabled' } : {}),
        };
        if (Object.keys(body).length === 0)
          throw new UsageError('Nothing to change: give --name, --config, --enable or --disable');
        const client = connectAdmin(options);
        const updated = await client.patch<Provisioning>(provisioningPath(options.tenant, id), body);
        if (options.json) return printJson(updated);
        printProvisioning(updated);
        if (updated.status === 'enabled' && ('config' in body || options.enable))
          await announcePush(client, options.tenant, updated);
      },
    );

  registerProvisioningRunCommands(provisioning, tenantCommand);
  registerProvisioningRecordCommands(provisioning, tenantCommand);
  registerProvisioningTestCommand(provisioning, tenantCommand);
}
