import { type Command, Option } from 'commander';
import type { ItemList } from './admin-api-types.ts';
import { type AdminOptions, addJsonOption, connectAdmin, parseWholeNumber } from './admin-command.ts';
import { cell, printJson, printTable } from './cli-output.ts';
import type { Link, LogEntry, ProvisioningEvent } from './provisioning-api-types.ts';
import { provisioningPath } from './provisioning-paths.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
type TenantCommand = (parent: Command, name: string) => Command;

interface LogFilters {
  object?: string;
  action?: string;
  status?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** What a provisioning did and left: its log, its failed events, its links. */
export function registerProvisioningRecordCommands(
  provisioning: Command,
  tenantCommand: TenantCommand,
): void {
  addJsonOption(tenantCommand(provisioning, 'log'))
    .description('The provisioning log: each operation on the target with its outcome, newest first')
    .argument('<provisioning>', 'provisioning id')
    .option('--object <id>', 'only this directory object (user id)')
    .option('--action <action>', 'only this action, e.g. create, update, disable, delete')
    .addOption(
      new Option('--status <status>', 'only this outcome').choices([
        'success',
        'failure',
        'skipped',
        'warning',
      ]),
    )
    .option('--from <time>', 'entries at or after this ISO 8601 time')
    .option('--to <time>', 'entries before this ISO 8601 time')
    .option('--limit <n>', 'at most this many entries (1-1000, default 100)', parseWholeNumber)
    .action(async (id: string, options: TenantOptions & LogFilters) => {
      const { object, action, status, from, to, limit } = options;
      const list = await connectAdmin(options).get<ItemList<LogEntry>>(
        `${provisioningPath(options.tenant, id)}/log`,
        { object, action, status, from, to, limit },
      );
      if (options.json) return printJson(list);
      printTable(
        ['AT', 'ACTION', 'STATUS', 'OBJECT', 'ACCOUNT', 'HTTP', 'MESSAGE'],
        list.items.map((entry) => [
          entry.at,
          entry.action,
          entry.status,
          entry.objectId,
          cell(entry.accountId),
          cell(entry.targetStatus),
          cell(entry.message),
        ]),
      );
    });

  addJsonOption(tenantCommand(provisioning, 'events'))
    .description('Failed events: objects whose last operation on the target failed, with the error')
    .argument('<provisioning>', 'provisioning id')
    .action(async (id: string, options: TenantOptions) => {
      const list = await connectAdmin(options).get<ItemList<ProvisioningEvent>>(
        `${provisioningPath(options.tenant, id)}/events`,
      );
      if (options.json) return printJson(list);
      printTable(
        ['OBJECT', 'ACTION', 'ERRORS', 'CODE', 'LAST ATTEMPT', 'MESSAGE'],
        list.items.map((event) => [
          event.objectId,
          event.action,
          String(event.errorCount),
          cell(event.errorCode),
          event.lastAttemptAt,
          event.errorMessage,
        ]),
      );
    });

  addJsonOption(tenantCommand(provisioning, 'links'))
    .description('Links: which target account each directory object is, and its state')
    .argument('<provisioning>', 'provisioning id')
    .option('--object <id>', 'only this directory object (user id)')
    .action(async (id: string, options: TenantOptions & { object?: string }) => {
      const list = await connectAdmin(options).get<ItemList<Link>>(
        `${provisioningPath(options.tenant, id)}/links`,
        { object: options.object },
      );
      if (options.json) return printJson(list);
      printTable(
        ['OBJECT', 'TYPE', 'ACCOUNT', 'STATE', 'CREATED BY US', 'UPDATED', 'LAST ERROR'],
        list.items.map((link) => [
          link.objectId,
          link.objectType,
          cell(link.accountId),
          link.state,
          link.createdByUs ? 'yes' : 'no',
          link.updatedAt,
          cell(link.lastError),
        ]),
      );
    });
}
