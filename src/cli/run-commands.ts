import type { Command } from 'commander';
import { type AdminOptions, addAdminOptions, addJsonOption, connectAdmin } from './admin-command.ts';
import { printJson } from './cli-output.ts';
import { printRun } from './print-run.ts';
import type { Run } from './provisioning-api-types.ts';
import { runPath } from './provisioning-paths.ts';
import { waitForRun } from './provisioning-run-commands.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };

function tenantCommand(parent: Command, name: string): Command {
  return addAdminOptions(parent.command(name)).requiredOption('--tenant <id>', 'tenant id');
}

export function registerRunCommands(program: Command): void {
  const run = program
    .command('run')
    .description('Runs: full pushes and removals of a provisioning, with their statistics');

  addJsonOption(tenantCommand(run, 'show'))
    .description(
      'Show a run and its statistics (Created / Updated / Deleted / Same / Skipped); --follow waits for ' +
        'it with progress, Ctrl-C then asks to cancel a full push',
    )
    .argument('<run>', 'run id')
    .option('--follow', 'wait until the run is over (exit 0 when it succeeded, 1 otherwise, 130 on Ctrl-C)')
    .action(async (id: string, options: TenantOptions & { follow?: boolean }) => {
      const client = connectAdmin(options);
      const found = await client.get<Run>(runPath(options.tenant, id));
      if (options.follow)
        return waitForRun(client, options.tenant, found, {
          json: options.json,
          cancellable: found.kind === 'full-push',
        });
      if (options.json) return printJson(found);
      printRun(found);
    });

  addJsonOption(tenantCommand(run, 'cancel'))
    .description('Cancel a full push: objects not yet pushed are skipped; what was pushed stays')
    .argument('<run>', 'run id')
    .action(async (id: string, options: TenantOptions) => {
      const cancelled = await connectAdmin(options).post<Run>(`${runPath(options.tenant, id)}/cancel`);
      if (options.json) return printJson(cancelled);
      console.log(
        cancelled.status === 'cancelled'
          ? `Run ${cancelled.id} is cancelled.`
          : `Asked to cancel run ${cancelled.id} (still ${cancelled.status}; it stops after the current page).`,
      );
    });
}
