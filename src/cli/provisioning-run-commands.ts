import { type Command, Option } from 'commander';
import type { ItemList } from './admin-api-types.ts';
import type { AdminClient } from './admin-client.ts';
import { type AdminOptions, addJsonOption, confirmDeletion, connectAdmin } from './admin-command.ts';
import { cell, printJson, printTable } from './cli-output.ts';
import { followRun } from './follow-run.ts';
import { countFailed, exitCodeOfRun, printStatistics } from './print-run.ts';
import type { Provisioning, Run } from './provisioning-api-types.ts';
import { provisioningPath } from './provisioning-paths.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
type TenantCommand = (parent: Command, name: string) => Command;

/**
 * Waits for a run with live progress (a bar on standard error when it is a terminal), then prints
 * the outcome (a table, or the run as JSON) and sets the exit code from the run's status.
 */
export async function waitForRun(
  client: AdminClient,
  tenant: string,
  run: Run,
  options: { json?: boolean | undefined; cancellable: boolean },
): Promise<void> {
  const bar = process.stderr.isTTY === true;
  if (!options.json && !bar) console.log(`Waiting for ${run.kind} run ${run.id}...`);
  const followed = await followRun(client, tenant, run.id, { bar, cancellable: options.cancellable });
  process.exitCode = exitCodeOfRun(followed.run, followed.interrupted);
  if (options.json) return printJson(followed.run);
  const ended = followed.run;
  const over = ended.status !== 'pending' && ended.status !== 'running';
  console.log(
    over
      ? `Run ${ended.id} (${ended.kind}) ended: ${ended.status}${ended.error !== null ? ` (${ended.error})` : ''}.`
      : `Stopped waiting; run ${ended.id} is still ${ended.status} on the server.`,
  );
  printStatistics(ended);
}

export function registerProvisioningRunCommands(provisioning: Command, tenantCommand: TenantCommand): void {
  addJsonOption(tenantCommand(provisioning, 'push'))
    .description(
      'Start a full push of everyone in scope and show its progress until it ends; Ctrl-C asks to cancel ' +
        'it. Exits 0 when the run succeeded, 1 when it failed, partly failed or was cancelled, 130 on Ctrl-C',
    )
    .argument('<provisioning>', 'provisioning id')
    .option('--no-wait', 'start the run and return at once (prints the run)')
    .action(async (id: string, options: TenantOptions & { wait: boolean }) => {
      const client = connectAdmin(options);
      const run = await client.post<Run>(`${provisioningPath(options.tenant, id)}/full-push`);
      if (!options.wait) {
        if (options.json) return printJson(run);
        console.log(`Started full push run ${run.id}. Follow it with:`);
        console.log(`  lockstep run show --tenant ${options.tenant} ${run.id} --follow`);
        return;
      }
      await waitForRun(client, options.tenant, run, { json: options.json, cancellable: true });
    });

  addJsonOption(tenantCommand(provisioning, 'runs'))
    .description('List the runs of a provisioning (full pushes, removal), newest first')
    .argument('<provisioning>', 'provisioning id')
    .action(async (id: string, options: TenantOptions) => {
      const list = await connectAdmin(options).get<ItemList<Run>>(
        `${provisioningPath(options.tenant, id)}/runs`,
      );
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'KIND', 'STATUS', 'PLANNED', 'PENDING', 'FAILED', 'STARTED', 'FINISHED'],
        list.items.map((run) => [
          run.id,
          run.kind,
          run.status,
          String(run.statistics.planned),
          String(run.statistics.pending),
          String(countFailed(run)),
          cell(run.startedAt),
          cell(run.finishedAt),
        ]),
      );
    });

  addJsonOption(tenantCommand(provisioning, 'delete'))
    .description(
      'Remove a provisioning: deprovision (Delete) or leave (Keep) every account it linked, then delete it',
    )
    .argument('<provisioning>', 'provisioning id')
    .addOption(
      new Option(
        '--strategy <strategy>',
        "what happens to the linked accounts (default: the provisioning's deletionStrategy)",
      ).choices(['Delete', 'Keep']),
    )
    .option('--wait', 'wait until the removal is over, with progress')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .action(
      async (
        id: string,
        options: TenantOptions & { strategy?: 'Delete' | 'Keep'; wait?: boolean; yes?: boolean },
      ) => {
        const client = connectAdmin(options);
        const path = provisioningPath(options.tenant, id);
        const found = await client.get<Provisioning>(path);
        const strategy = options.strategy ?? found.config.deletionStrategy ?? 'Keep';
        const accounts =
          strategy === 'Delete'
            ? 'deprovisioning every account it linked'
            : 'leaving its accounts on the target';
        await confirmDeletion(`provisioning "${found.name}" (${id}), ${accounts}`, options.yes);
        // The answer is the removal run: asked for afterwards, a quick removal's provisioning (and so
        // its list of runs) may already be gone.
        const run = await client.delete<Run>(
          `${path}${options.strategy !== undefined ? `?strategy=${options.strategy}` : ''}`,
        );
        if (run === undefined) {
          if (options.json) return printJson({ id, strategy, removed: true });
          return console.log(`Removed provisioning ${id} (strategy ${strategy}).`);
        }
        if (options.wait)
          return waitForRun(client, options.tenant, run, { json: options.json, cancellable: false });
        if (options.json) return printJson(run);
        console.log(`Removing provisioning ${id} with strategy ${strategy} (run ${run.id}). Follow it with:`);
        console.log(`  lockstep run show --tenant ${options.tenant} ${run.id} --follow`);
      },
    );
}

/** The removal run just started; undefined when the provisioning is already gone (nothing was linked). */
