import type { Command } from 'commander';
import {
  type AdminOptions,
  addAdminOptions,
  addJsonOption,
  connectAdmin,
  parseWholeNumber,
  segment,
} from './admin-command.ts';
import { cell, printFields, printJson, printTable } from './cli-output.ts';
import type { Backup, BackupPage, RestoreReport } from './provisioning-api-types.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
type ListOptions = TenantOptions & {
  provisioning?: string;
  object?: string;
  before?: string;
  limit?: number;
  all?: boolean;
};

const backupsPath = (tenant: string, backup?: string) =>
  `/tenants/${segment(tenant)}/backups${backup === undefined ? '' : `/${segment(backup)}`}`;

function tenantCommand(parent: Command, name: string, options: { isDefault?: boolean } = {}): Command {
  return addAdminOptions(parent.command(name, options)).requiredOption('--tenant <id>', 'tenant id');
}

/**
 * `lockstep backups` (the default subcommand `list`), `backups show <backup>` and
 * `lockstep restore <backup>`: what accounts looked like before a destructive step, and bringing
 * one back with what can be re-attached (issue 5, item 3).
 */
export function registerBackupCommands(program: Command): void {
  const backups = program
    .command('backups')
    .description(
      'Backups taken before every destructive step (the account and its dependents, never secret values), kept for the retention period',
    );

  addJsonOption(tenantCommand(backups, 'list', { isDefault: true }))
    .description('List backups, newest first (the default: `lockstep backups`)')
    .option('--provisioning <id>', 'only backups of this provisioning')
    .option('--object <id>', 'only backups of this directory object (user id)')
    .option('--limit <n>', 'backups per page (1-200, default 50)', parseWholeNumber)
    .option('--before <cursor>', 'the page after this one: the `next` of the previous page')
    .option('--all', 'every backup, following `next` page after page')
    .action(async (options: ListOptions) => {
      const client = connectAdmin(options);
      const query = { provisioning: options.provisioning, object: options.object, limit: options.limit };
      let page = await client.get<BackupPage>(backupsPath(options.tenant), {
        ...query,
        before: options.before,
      });
      const items = [...page.items];
      while (options.all === true && page.next !== null) {
        page = await client.get<BackupPage>(backupsPath(options.tenant), { ...query, before: page.next });
        items.push(...page.items);
      }
      if (options.json) return printJson({ items, next: page.next });
      if (items.length === 0) return console.log('No backups.');
      printTable(
        ['BACKUP', 'TAKEN', 'BEFORE', 'OBJECT', 'ACCOUNT', 'USERNAME', 'PROVISIONING', 'EXPIRES', 'RESTORED'],
        items.map((backup) => [
          backup.id,
          backup.takenAt,
          backup.reason,
          backup.objectId,
          backup.accountId,
          cell(backup.userName),
          backup.provisioningId,
          backup.expiresAt,
          cell(backup.restoredAt),
        ]),
      );
      if (page.next !== null && options.all !== true)
        console.log(`(more backups: add --all, or --before ${page.next})`);
    });

  addJsonOption(tenantCommand(backups, 'show'))
    .description('Show a backup: the account, its dependents as the target reported them, any restore')
    .argument('<backup>', 'backup id')
    .action(async (id: string, options: TenantOptions) => {
      const backup = await connectAdmin(options).get<Backup>(backupsPath(options.tenant, id));
      if (options.json) return printJson(backup);
      printBackup(backup);
    });

  addJsonOption(tenantCommand(program, 'restore'))
    .description(
      'Restore an account from a backup: re-enable it or recreate it, re-attach its groups and policies, ' +
        'and list what cannot come back (secrets, MFA bindings); inside a grace period it cancels the delete',
    )
    .argument('<backup>', 'backup id (see lockstep backups)')
    .action(async (id: string, options: TenantOptions) => {
      const report = await connectAdmin(options).post<RestoreReport>(
        `${backupsPath(options.tenant, id)}/restore`,
      );
      if (options.json) return printJson(report);
      printRestore(report);
    });
}

/** RAM's dependents (the only native snapshot so far), each in one line; other shapes only with --json. */
function nativeFields(native: Readonly<Record<string, unknown>>): [string, string][] {
  const list = (value: unknown, show: (item: Record<string, unknown>) => string) =>
    Array.isArray(value) ? (value as Record<string, unknown>[]).map(show).join(', ') || 'none' : undefined;
  const fields: [string, string | undefined][] = [
    ['Access keys', list(native.accessKeys, (key) => `${String(key.accessKeyId)} (${String(key.status)})`)],
    [
      'Policies',
      list(native.policies, (policy) => `${String(policy.policyName)} (${String(policy.policyType)})`),
    ],
    ['Groups', list(native.groups, (group) => String(group.groupName))],
  ];
  if ('loginProfile' in native) {
    const profile = native.loginProfile as Record<string, unknown> | null;
    fields.push([
      'Login profile',
      profile === null
        ? 'none'
        : `yes${profile.passwordResetRequired === true ? ' (password reset required)' : ''}${profile.mfaBindRequired === true ? ' (MFA required)' : ''}`,
    ]);
  }
  if ('mfaDevice' in native) {
    const device = native.mfaDevice as Record<string, unknown> | null;
    fields.push(['MFA device', device === null ? 'none' : String(device.serialNumber)]);
  }
  return fields.filter((field): field is [string, string] => field[1] !== undefined);
}

function printBackup(backup: Backup): void {
  printFields([
    ['Backup', backup.id],
    ['Taken', `${backup.takenAt}, before a ${backup.reason}`],
    ['Expires', backup.expiresAt],
    ['Provisioning', backup.provisioningId],
    ['Target', backup.targetId],
    ['Object', backup.objectId],
    ['Account', backup.accountId],
    ['User name', cell(backup.userName)],
    ...(backup.native === null
      ? ([['Dependents', 'none recorded (the target has no native API)']] as [string, string][])
      : nativeFields(backup.native)),
    ['Restored', backup.restoredAt ?? 'no'],
  ]);
  const report = backup.restoreReport as Partial<RestoreReport> | null;
  if (report !== null && Array.isArray(report.notRestored) && report.notRestored.length > 0) {
    console.log('Not restored then:');
    for (const item of report.notRestored) console.log(`  - ${item.what}: ${item.why}`);
  }
}

function printRestore(report: RestoreReport): void {
  console.log(
    `Restored backup ${report.backupId}: account ${report.accountId} of ${report.objectId} ` +
      `(provisioning ${report.provisioningId}) in ${Math.round(report.durationMs)} ms.`,
  );
  console.log('Restored:');
  for (const line of report.restored) console.log(`  - ${line}`);
  if (report.notRestored.length > 0) {
    console.log('Could not be restored:');
    for (const item of report.notRestored) console.log(`  - ${item.what}: ${item.why}`);
  }
  console.log(
    report.linkState === 'active'
      ? 'Lockstep manages the account again.'
      : 'The user is not wanted on the target any more (gone or out of scope): the account is kept, no longer managed.',
  );
}
