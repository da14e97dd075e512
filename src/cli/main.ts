import { Command, CommanderError } from 'commander';
import { EXIT, reportFailure } from './cli-output.ts';
import { registerEmulateCommand } from './emulate-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerTenantCommands } from './tenant-commands.ts';
import { registerTokenCommands } from './token-commands.ts';

const program = new Command()
  .name('lockstep')
  .description('Lockstep: a SCIM 2.0 directory hub that keeps target systems in lockstep, removal included.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerServeCommand(program);
registerTenantCommands(program);
registerTokenCommands(program);
registerEmulateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportFailure(error);
  }
}
