import { Command, CommanderError } from 'commander';
import { registerAppCommands } from './app-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerBackupCommands } from './backup-commands.ts';
import { EXIT, EXIT_CODES_HELP, reportFailure } from './cli-output.ts';
import { registerEmulateCommand } from './emulate-command.ts';
import { registerImportCommand } from './import-command.ts';
import { registerPlanCommands } from './plan-commands.ts';
import { registerProvisioningCommands } from './provisioning-commands.ts';
import { registerReconcileCommands } from './reconcile-commands.ts';
import { registerRemovalCommands } from './removal-commands.ts';
import { registerRevokeCommand } from './revoke-command.ts';
import { registerRunCommands } from './run-commands.ts';
import { registerSecretCommands } from './secret-commands.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerSigningKeyCommands } from './signing-key-commands.ts';
import { registerTargetCommands } from './target-commands.ts';
import { registerTenantCommands } from './tenant-commands.ts';
import { registerTokenCommands } from './token-commands.ts';

const program = new Command()
  .name('lockstep')
  .description('Lockstep: a SCIM 2.0 directory hub that keeps target systems in lockstep, removal included.')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText('after', EXIT_CODES_HELP)
  .exitOverride();

registerServeCommand(program);
registerTenantCommands(program);
registerAppCommands(program);
registerSecretCommands(program);
registerTargetCommands(program);
registerProvisioningCommands(program);
registerRunCommands(program);
registerReconcileCommands(program);
registerPlanCommands(program);
registerTokenCommands(program);
registerAuditCommands(program);
registerSigningKeyCommands(program);
registerEmulateCommand(program);
registerImportCommand(program);
registerRemovalCommands(program);
registerBackupCommands(program);
registerRevokeCommand(program);

// `lockstep audit export | head`: a closed pipe ends the command quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? EXIT.ok);
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportFailure(error);
  }
}
