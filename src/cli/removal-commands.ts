import type { Command } from 'commander';
import { type AdminOptions, addAdminOptions, addJsonOption, collect, connectAdmin } from './admin-command.ts';
import { cell, printJson, printTable } from './cli-output.ts';
import type { Removals } from './provisioning-api-types.ts';
import { provisioningPath } from './provisioning-paths.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
type DecisionOptions = TenantOptions & { object?: string[] };

function tenantCommand(parent: Command, name: string, options: { isDefault?: boolean } = {}): Command {
  return addAdminOptions(parent.command(name, options)).requiredOption('--tenant <id>', 'tenant id');
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * `lockstep removals <provisioning>` (the default subcommand `show`): what waits — the deletion
 * guard's pause and staged removals, deletes blocked by the target's state with the steps a person
 * must take, accounts in a grace period — and `removals approve | reject` for the staged ones.
 */
export function registerRemovalCommands(program: Command): void {
  const removals = program
    .command('removals')
    .description(
      "Removals that wait on a provisioning: staged by the deletion guard (approve or reject them), blocked by the target's state, in a grace period",
    );

  addJsonOption(tenantCommand(removals, 'show', { isDefault: true }))
    .description(
      'What waits (the default: `lockstep removals <provisioning>`): the deletion guard pause and staged ' +
        'removals, blocked deletes with the states and the steps a person must take, accounts in a grace period',
    )
    .argument('<provisioning>', 'provisioning id')
    .action(async (id: string, options: TenantOptions) => {
      const found = await connectAdmin(options).get<Removals>(
        `${provisioningPath(options.tenant, id)}/removals`,
      );
      if (options.json) return printJson(found);
      printRemovals(id, options.tenant, found);
    });

  const decide = (name: 'approve' | 'reject') =>
    addJsonOption(tenantCommand(removals, name))
      .argument('<provisioning>', 'provisioning id')
      .option(
        '--object <id>',
        `${name} only this object's staged removal (repeatable); default: every staged removal`,
        collect,
      )
      .action(async (id: string, options: DecisionOptions) => {
        const answer = await connectAdmin(options).post<{ approved?: number; rejected?: number }>(
          `${provisioningPath(options.tenant, id)}/removals/${name}`,
          options.object !== undefined ? { objectIds: options.object } : {},
        );
        if (options.json) return printJson(answer);
        const count = (name === 'approve' ? answer.approved : answer.rejected) ?? 0;
        if (count === 0) return console.log(`No staged removal to ${name}.`);
        console.log(
          name === 'approve'
            ? `Approved ${plural(count, 'staged removal')}: they run now (see lockstep provisioning log).`
            : `Rejected ${plural(count, 'staged removal')}: the accounts stay as they are.`,
        );
      });
  decide('approve').description(
    'Approve staged removals (all, or --object ...): they run now; the pause ends once none is left staged',
  );
  decide('reject').description(
    'Reject staged removals (all, or --object ...): the accounts stay as they are (a later run stages them again if the directory still says so); the pause ends once none is left staged',
  );
}

function printRemovals(id: string, tenant: string, removals: Removals): void {
  const { paused, staged, blocked, gracePeriod } = removals;
  console.log(
    paused === null
      ? `Removals of provisioning ${id} are not paused.`
      : `Removals of provisioning ${id} are PAUSED: ${paused.reason}`,
  );
  if (staged.length + blocked.length + gracePeriod.length === 0) {
    console.log('Nothing waits: no staged, blocked or grace-period removals.');
    return;
  }
  if (staged.length > 0) {
    console.log('');
    console.log(`Staged by the deletion guard (${staged.length}): nothing happens until an admin decides:`);
    console.log(`  lockstep removals approve --tenant ${tenant} ${id}   (or reject; --object <id> for some)`);
    printTable(
      ['OBJECT', 'ACCOUNT', 'ACTION', 'TRIGGER', 'STATUS', 'STAGED', 'REASON'],
      staged.map((removal) => [
        removal.objectId,
        cell(removal.accountId),
        removal.action,
        removal.trigger,
        removal.status,
        removal.stagedAt,
        removal.reason === paused?.reason ? '(the pause above)' : removal.reason,
      ]),
    );
  }
  if (blocked.length > 0) {
    console.log('');
    console.log(
      `Blocked by the target (${blocked.length}): Lockstep tries again by itself once a person has cleared the states:`,
    );
    for (const removal of blocked) {
      console.log(
        `  ${removal.objectId} (account ${cell(removal.accountId)}): ${removal.states.join(', ') || 'unknown state'}` +
          (removal.since !== null ? `, blocked since ${removal.since}` : ''),
      );
      for (const step of removal.steps) console.log(`    - ${step}`);
    }
  }
  if (gracePeriod.length > 0) {
    console.log('');
    console.log(
      `In a grace period (${gracePeriod.length}): disabled now, deleted when the grace ends (restore a backup to cancel):`,
    );
    printTable(
      ['OBJECT', 'ACCOUNT', 'DELETE AFTER'],
      gracePeriod.map((removal) => [removal.objectId, cell(removal.accountId), removal.deleteAfter]),
    );
  }
}
