import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { migrate } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open-database.ts';
import { startGateway } from '../../main.ts';
import { envWithListenFlags, HOST_OPTION, PORT_OPTION, type ListenFlags } from '../listen-flags.ts';
import { onShutdown } from '../shutdown.ts';

export function registerStartCommands(program: Command): void {
  program
    .command('start')
    .description('Run the gateway (configuration from environment variables: see the README)')
    .option(...PORT_OPTION)
    .option(...HOST_OPTION)
    .action(async (flags: ListenFlags) => {
      const gateway = await startGateway(loadConfig(envWithListenFlags(process.env, flags)));
      if (gateway.generatedAdminKey) {
        process.stdout.write(`\nAdmin key (shown once, store it now): ${gateway.generatedAdminKey}\n\n`);
      }
      onShutdown(() => gateway.close());
    });

  program
    .command('migrate')
    .description('Apply database migrations and exit (start does this too)')
    .action(async () => {
      const config = loadConfig();
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: { kind: 'command', command: 'switchboard migrate' } });
      const applied = await migrate(db);
      await db.close();
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database schema is current.\n');
    });
}
