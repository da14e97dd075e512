import type { Command } from 'commander';
import { type AdminOptions, addAdminOptions, addJsonOption, connectAdmin, segment } from './admin-command.ts';
import { cell, EXIT, printJson, printTable } from './cli-output.ts';
import type { RevocationReport } from './provisioning-api-types.ts';

type TenantOptions = AdminOptions & { tenant: string; json?: boolean };

/**
 * `lockstep revoke <user>` (issue 5, item 4): takes a user's access away everywhere at once and
 * prints per target what was done and how long it took; exits 1 when a target failed.
 */
export function registerRevokeCommand(program: Command): void {
  addJsonOption(addAdminOptions(program.command('revoke')).requiredOption('--tenant <id>', 'tenant id'))
    .description(
      "Revoke a user's access everywhere now: disable it in the directory, then on every linked target the " +
        "profile's immediate revocation (disable; on RAM: delete its access keys and login profile, detach " +
        'its policies and groups), each with a backup. Prints per target the action, outcome and duration; ' +
        'exits 1 when a target failed',
    )
    .argument('<user>', 'directory user id')
    .action(async (user: string, options: TenantOptions) => {
      const report = await connectAdmin(options).post<RevocationReport>(
        `/tenants/${segment(options.tenant)}/users/${segment(user)}/revoke`,
      );
      const failed = report.targets.filter((target) => target.outcome === 'failed');
      if (failed.length > 0) process.exitCode = EXIT.failure;
      if (options.json) return printJson(report);
      console.log(`User ${report.userId} is disabled in the directory.`);
      // Provisionings that never had an account of this user are counted, not listed.
      const linked = report.targets.filter((target) => target.action !== 'none');
      if (linked.length > 0)
        printTable(
          ['PROVISIONING', 'TARGET', 'ACTION', 'OUTCOME', 'DURATION', 'MESSAGE'],
          linked.map((target) => [
            target.provisioningId,
            cell(target.targetId),
            target.action,
            target.outcome,
            `${Math.round(target.durationMs)} ms`,
            target.message,
          ]),
        );
      const done = report.targets.filter((target) => target.outcome === 'done').length;
      console.log(
        failed.length > 0
          ? `Revocation FAILED on ${failed.length} of ${report.targets.length} provisionings (see above); done on ${done}, in ${Math.round(report.durationMs)} ms.`
          : `Access revoked on ${done} of ${report.targets.length} provisionings in ${Math.round(report.durationMs)} ms` +
              (done < report.targets.length ? ' (the rest had nothing to revoke).' : '.'),
      );
    });
}
