import { type Command, Option } from 'commander';
import type { AdminClient } from './admin-client.ts';
import { type AdminOptions, addAdminOptions, addJsonOption, connectAdmin, segment } from './admin-command.ts';
import { printJson, UsageError } from './cli-output.ts';
import type { Plan, PlannedOperation } from './plan-api-types.ts';
import { printPlan } from './print-plan.ts';
import type { Run } from './provisioning-api-types.ts';
import { readConfig } from './provisioning-commands.ts';
import { provisioningPath } from './provisioning-paths.ts';
import { waitForRun } from './provisioning-run-commands.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean; all?: boolean };
type PlanOptions = TenantOptions & { config?: string; removal?: boolean; strategy?: 'Delete' | 'Keep' };

const planPath = (tenant: string, plan: string) => `/tenants/${segment(tenant)}/plans/${segment(plan)}`;

function tenantCommand(parent: Command, name: string, options: { isDefault?: boolean } = {}): Command {
  return addAdminOptions(parent.command(name, options)).requiredOption('--tenant <id>', 'tenant id');
}

/**
 * `lockstep plan <provisioning>` (a full push, `--config` a proposed configuration, `--removal`),
 * `lockstep plan show <plan>` and `lockstep apply <plan> [--wait]`: see what would happen before it
 * does, then make exactly that happen — or be told what changed in between.
 */
export function registerPlanCommands(program: Command): void {
  const plan = program
    .command('plan')
    .description(
      'Show exactly what a full push, a configuration change (--config) or removing the provisioning ' +
        '(--removal) would do, without writing to the target; apply it with `lockstep apply <plan>`',
    );

  addJsonOption(tenantCommand(plan, 'create', { isDefault: true }))
    .description('Plan (the default: `lockstep plan <provisioning>`); prints the plan and its id')
    .argument('<provisioning>', 'provisioning id')
    .option('--config <file.json>', "a proposed configuration (scope, mapping, policy …); '-' reads stdin")
    .option('--removal', 'plan removing the provisioning')
    .addOption(
      new Option(
        '--strategy <strategy>',
        "with --removal: overrides the provisioning's deletionStrategy",
      ).choices(['Delete', 'Keep']),
    )
    .option('--all', 'list unchanged and out-of-scope users too')
    .action(async (id: string, options: PlanOptions) => {
      if (options.config !== undefined && options.removal === true)
        throw new UsageError('Give --config or --removal, not both');
      if (options.strategy !== undefined && options.removal !== true)
        throw new UsageError('--strategy goes with --removal');
      const client = connectAdmin(options);
      const body =
        options.config !== undefined
          ? { kind: 'config', config: await readConfig(options.config) }
          : options.removal === true
            ? {
                kind: 'removal',
                ...(options.strategy !== undefined ? { deletionStrategy: options.strategy } : {}),
              }
            : { kind: 'full-push' };
      const created = await client.post<Plan>(`${provisioningPath(options.tenant, id)}/plans`, body);
      await show(client, options, created.id);
      if (!options.json) {
        console.log('');
        console.log('Apply it (before it expires) with:');
        console.log(`  lockstep apply --tenant ${options.tenant} ${created.id}`);
      }
    });

  addJsonOption(tenantCommand(plan, 'show'))
    .description('Show a plan again: its counts, operations, and why an apply was refused')
    .argument('<plan>', 'plan id')
    .option('--all', 'list unchanged and out-of-scope users too')
    .action(async (id: string, options: TenantOptions) => {
      await show(connectAdmin(options), options, id);
    });

  addJsonOption(tenantCommand(program, 'apply'))
    .description(
      'Apply a plan: exactly its operations, as a run. Refused (exit 4, with what changed) when the ' +
        'directory, the links, the configuration or the target changed since it was computed',
    )
    .argument('<plan>', 'plan id')
    .option('--wait', 'wait until the run is over, with progress (exit 0 when it succeeded, 1 otherwise)')
    .action(async (id: string, options: TenantOptions & { wait?: boolean }) => {
      const client = connectAdmin(options);
      const run = await client.post<Run>(`${planPath(options.tenant, id)}/apply`);
      if (options.wait)
        return waitForRun(client, options.tenant, run, { json: options.json, cancellable: false });
      if (options.json) return printJson(run);
      console.log(`Applying plan ${id}: run ${run.id} (${run.kind}). Follow it with:`);
      console.log(`  lockstep run show --tenant ${options.tenant} ${run.id} --follow`);
    });
}

/** Reads the whole plan (every page of its operations) and prints it, or its JSON. */
async function show(client: AdminClient, options: TenantOptions, planId: string): Promise<void> {
  const all = options.all === true ? 'true' : undefined;
  let page = await client.get<Plan>(planPath(options.tenant, planId), { limit: 1000, all });
  const operations: PlannedOperation[] = [...page.operations.items];
  while (page.operations.nextCursor !== null) {
    page = await client.get<Plan>(planPath(options.tenant, planId), {
      limit: 1000,
      all,
      cursor: page.operations.nextCursor,
    });
    operations.push(...page.operations.items);
  }
  if (options.json) return printJson({ ...page, operations: { items: operations, nextCursor: null } });
  printPlan(page, operations);
}
