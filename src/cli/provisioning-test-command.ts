import type { Command } from 'commander';
import { type AdminOptions, addJsonOption, connectAdmin } from './admin-command.ts';
import { EXIT, printJson, printTable } from './cli-output.ts';
import { printNativeApiCheck } from './print-native-api-check.ts';
import type { ProvisioningTestReport } from './provisioning-api-types.ts';
import { provisioningPath } from './provisioning-paths.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };
type TenantCommand = (parent: Command, name: string) => Command;

/**
 * `lockstep provisioning test <id>`: the target's connectivity, and whether its native API may do
 * every deprovisioning step the policy calls for, each missing permission named (issue 5, item 8).
 */
export function registerProvisioningTestCommand(provisioning: Command, tenantCommand: TenantCommand): void {
  addJsonOption(tenantCommand(provisioning, 'test'))
    .description(
      "Test a provisioning: its target's connectivity, and that the target's native API AccessKey may run " +
        'every cleanup and revocation step the deprovision policy allows (each missing permission named). ' +
        'Exits 1 when something is wrong',
    )
    .argument('<provisioning>', 'provisioning id')
    .action(async (id: string, options: TenantOptions) => {
      const report = await connectAdmin(options).post<ProvisioningTestReport>(
        `${provisioningPath(options.tenant, id)}/test`,
      );
      if (!report.ok) process.exitCode = EXIT.failure;
      if (options.json) return printJson(report);
      printTable(
        ['STATUS', 'STEP', 'MESSAGE'],
        report.connectivity.steps.map((step) => [step.status, step.name, step.message]),
      );
      const { deprovisioning } = report;
      console.log('');
      console.log(`Cleanup allowed by the policy: ${deprovisioning.cleanup.join(', ') || 'none'}`);
      if (deprovisioning.revocation.length > 0)
        console.log(`Revocation (the policy's disable): ${deprovisioning.revocation.join(', ')}`);
      if (report.connectivity.nativeApi !== undefined) printNativeApiCheck(report.connectivity.nativeApi);
      for (const [title, lines] of [
        ['Problems', report.problems],
        ['Warnings', report.warnings],
      ] as const) {
        if (lines.length === 0) continue;
        console.log('');
        console.log(`${title}:`);
        for (const line of lines) console.log(`  - ${line}`);
      }
      console.log('');
      console.log(
        report.ok
          ? `Provisioning ${id} passed the test.`
          : `Provisioning ${id} failed the test (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}).`,
      );
    });
}
