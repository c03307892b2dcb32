/**
 * The `switchboard` command line. Each subcommand lives in its own file under src/cli/commands/
 * and registers itself here; this file only wires them together.
 */
import { Command } from 'commander';
import { registerEmulatorCommand } from './commands/emulator.ts';

const program = new Command()
  .name('switchboard')
  .description('Self-hosted Slack integration gateway, with a local Slack emulator')
  .showHelpAfterError();

registerEmulatorCommand(program);

await program.parseAsync(process.argv);
