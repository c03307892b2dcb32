/**
 * The `switchboard` command line. Each subcommand lives in its own file under src/cli/commands/
 * and registers itself here; this file only wires them together.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerDeliveriesCommands } from './commands/deliveries.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerEmulatorCommand } from './commands/emulator.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { registerManifestCommand } from './commands/manifest.ts';
import { registerSendCommands } from './commands/send.ts';
import { registerStartCommands } from './commands/start.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('switchboard')
  .description('Self-hosted Slack integration gateway, with a local Slack emulator')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError();

registerStartCommands(program);
registerDemoCommand(program);
registerEmulatorCommand(program);
registerKeysCommands(program);
registerManifestCommand(program);
registerSendCommands(program);
registerDeliveriesCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Errors a person can act on: the message only, no stack trace.
  process.stderr.write(`switchboard: ${(error as Error).message}\n`);
  process.exit(1);
}
