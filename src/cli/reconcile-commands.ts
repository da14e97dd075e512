import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import type { ItemList } from './admin-api-types.ts';
import type { AdminClient } from './admin-client.ts';
import {
  type AdminOptions,
  addAdminOptions,
  addJsonOption,
  connectAdmin,
  parseWholeNumber,
  segment,
} from './admin-command.ts';
import { cell, EXIT, printFields, printJson, printTable, UsageError } from './cli-output.ts';
import { provisioningPath } from './provisioning-paths.ts';
import {
  FINDING_ACTIONS,
  type Finding,
  type FindingAction,
  type ReconciliationReport,
  type ReconciliationRun,
} from './reconcile-api-types.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
type ReportOptions = TenantOptions & { kind?: string; status?: string; limit?: number; all?: boolean };

const POLL_INTERVAL_MS = 500;
const KINDS = ['orphan', 'missing', 'drift'] as const;

const reportPath = (tenant: string, run: string) =>
  `/tenants/${segment(tenant)}/reconciliations/${segment(run)}`;

function tenantCommand(parent: Command, name: string, options: { isDefault?: boolean } = {}): Command {
  return addAdminOptions(parent.command(name, options)).requiredOption('--tenant <id>', 'tenant id');
}

/**
 * `lockstep reconcile <provisioning> [--wait]` (the default subcommand `start`), `reconcile runs`,
 * `reconcile report <run>` and `reconcile act <finding> <action>`: read a target back, see what does
 * not match (orphans, missing accounts, drift), and act on it.
 */
export function registerReconcileCommands(program: Command): void {
  const reconcile = program
    .command('reconcile')
    .description(
      "Read a provisioning's target back and compare it with the links and the directory: orphans, " +
        'missing accounts and drift, each with actions (adopt, deprovision, repair, ignore)',
    );

  addJsonOption(tenantCommand(reconcile, 'start', { isDefault: true }))
    .description(
      'Start a reconciliation (the default: `lockstep reconcile <provisioning>`); --wait shows the report ' +
        'when it ends (exit 0 when it succeeded, 1 otherwise)',
    )
    .argument('<provisioning>', 'provisioning id')
    .option('--wait', 'wait until the run is over, then print its report')
    .action(async (id: string, options: ReportOptions & { wait?: boolean }) => {
      const client = connectAdmin(options);
      let run = await client.post<ReconciliationRun>(
        `${provisioningPath(options.tenant, id)}/reconciliations`,
      );
      if (!options.wait) {
        if (options.json) return printJson(run);
        console.log(`Started reconciliation ${run.id}. See its report with:`);
        console.log(`  lockstep reconcile report --tenant ${options.tenant} ${run.id}`);
        return;
      }
      if (!options.json) console.log(`Waiting for reconciliation ${run.id}...`);
      while (run.status === 'pending' || run.status === 'running') {
        await sleep(POLL_INTERVAL_MS);
        run = (await client.get<ReconciliationReport>(reportPath(options.tenant, run.id), { limit: 1 })).run;
      }
      await printReport(client, options, run.id);
      process.exitCode = run.status === 'success' ? EXIT.ok : EXIT.failure;
    });

  addJsonOption(tenantCommand(reconcile, 'runs'))
    .description('List the reconciliations of a provisioning, newest first')
    .argument('<provisioning>', 'provisioning id')
    .action(async (id: string, options: TenantOptions) => {
      const list = await connectAdmin(options).get<ItemList<ReconciliationRun>>(
        `${provisioningPath(options.tenant, id)}/reconciliations`,
      );
      if (options.json) return printJson(list);
      printTable(
        ['ID', 'STATUS', 'TRIGGER', 'ACCOUNTS', 'ORPHANS', 'MISSING', 'DRIFT', 'FINISHED'],
        list.items.map((run) => [
          run.id,
          run.status,
          run.progress.trigger,
          String(run.progress.accountsListed),
          String(run.counts.orphan.open),
          String(run.counts.missing.open),
          String(run.counts.drift.open),
          cell(run.finishedAt),
        ]),
      );
    });

  addJsonOption(tenantCommand(reconcile, 'report'))
    .description('Show a reconciliation: counts per kind and status, then its findings')
    .argument('<run>', 'reconciliation run id')
    .addOption(new Option('--kind <kind>', 'only findings of this kind').choices([...KINDS]))
    .addOption(
      new Option('--status <status>', 'only findings in this status').choices([
        'open',
        'ignored',
        'actioned',
      ]),
    )
    .option('--limit <n>', 'findings per page (default 100)', parseWholeNumber)
    .option('--all', 'every finding, not only the first page')
    .action(async (id: string, options: ReportOptions) => {
      await printReport(connectAdmin(options), options, id);
    });

  addJsonOption(tenantCommand(reconcile, 'act'))
    .description(
      'Act on a finding: adopt (link an orphan to --object, or to the user its matching attributes find), ' +
        'deprovision (an orphan, by the provisioning policy), repair (missing or drift), ignore (remembered)',
    )
    .argument('<finding>', 'finding id (see reconcile report)')
    .argument('<action>', FINDING_ACTIONS.join(' | '))
    .option('--object <id>', 'adopt: the directory user to link the account to')
    .action(async (id: string, action: string, options: TenantOptions & { object?: string }) => {
      if (!(FINDING_ACTIONS as readonly string[]).includes(action))
        throw new UsageError(`Unknown action "${action}": use ${FINDING_ACTIONS.join(', ')}`);
      const finding = await connectAdmin(options).post<Finding>(
        `/tenants/${segment(options.tenant)}/findings/${segment(id)}/actions`,
        {
          action: action as FindingAction,
          ...(options.object !== undefined ? { objectId: options.object } : {}),
        },
      );
      if (options.json) return printJson(finding);
      console.log(
        finding.action === 'ignore'
          ? `Ignored finding ${finding.id}: later reconciliations list account ${finding.accountId} as ignored.`
          : `Finding ${finding.id}: ${finding.action} of account ${finding.accountId}` +
              `${finding.actionObjectId !== null ? ` (${finding.actionObjectId})` : ''} is on its way; see the provisioning log.`,
      );
    });
}

async function printReport(client: AdminClient, options: ReportOptions, runId: string): Promise<void> {
  const query = {
    kind: options.kind,
    status: options.status,
    limit: options.limit,
  };
  let report = await client.get<ReconciliationReport>(reportPath(options.tenant, runId), query);
  const findings = [...report.findings.items];
  while (options.all === true && report.findings.nextCursor !== null) {
    report = await client.get<ReconciliationReport>(reportPath(options.tenant, runId), {
      ...query,
      after: report.findings.nextCursor,
    });
    findings.push(...report.findings.items);
  }
  if (options.json)
    return printJson({
      run: report.run,
      findings: { items: findings, nextCursor: report.findings.nextCursor },
    });
  const { run } = report;
  printFields([
    ['Reconciliation', run.id],
    ['Provisioning', run.provisioningId],
    ['Status', run.status],
    ...(run.error !== null ? ([['Error', run.error]] as const) : []),
    ['Trigger', run.progress.trigger],
    ['Accounts listed', String(run.progress.accountsListed)],
    ['Links checked', String(run.progress.linksChecked)],
    ['Started', cell(run.startedAt)],
    ['Finished', cell(run.finishedAt)],
  ]);
  console.log('');
  printTable(
    ['', 'OPEN', 'IGNORED', 'ACTIONED', 'TOTAL'],
    KINDS.map((kind) => {
      const count = run.counts[kind];
      return [kind, String(count.open), String(count.ignored), String(count.actioned), String(count.total)];
    }),
  );
  if (findings.length === 0) return;
  console.log('');
  printTable(
    ['FINDING', 'KIND', 'STATUS', 'ACCOUNT', 'USERNAME', 'OBJECT', 'DETAIL'],
    findings.map((finding) => [
      finding.id,
      finding.kind,
      finding.action !== null && finding.action !== 'ignore'
        ? `${finding.status} (${finding.action})`
        : finding.status,
      finding.accountId,
      cell(finding.userName),
      cell(
        finding.objectId ??
          (finding.details.suggestedObjectId !== undefined ? `${finding.details.suggestedObjectId}?` : null),
      ),
      detailOf(finding),
    ]),
  );
  if (report.findings.nextCursor !== null && options.all !== true)
    console.log(`(more findings: add --all, or --json for the next cursor)`);
}

/** One line per finding: the attributes that differ, old → new, or the reason. */
function detailOf(finding: Finding): string {
  const drifts = finding.details.attributes;
  if (drifts !== undefined && drifts.length > 0)
    return drifts
      .map(
        (drift) => `${drift.attribute}: ${JSON.stringify(drift.target)} → ${JSON.stringify(drift.desired)}`,
      )
      .join('; ');
  return finding.details.reason;
}
