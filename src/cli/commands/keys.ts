import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { migrate } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open-database.ts';
import { keyringFromConfiguration } from '../../secrets/encryption-key-config.ts';
import { resealAllSecrets } from '../../secrets/reseal-all-secrets.ts';
import { startKeyFileRotation } from '../../secrets/rotate-key-file.ts';

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('Encryption keys for secrets at rest');
  keys
    .command('rotate')
    .description(
      'Re-encrypt every stored secret with a new key, without downtime. With SWITCHBOARD_ENCRYPTION_KEY: put the new key ' +
        'first (new:<key>,old:<key>), restart the processes, run this, then drop the old key. With the embedded key file: ' +
        'this generates the new key itself.',
    )
    .action(async () => {
      const config = loadConfig();
      // The key configuration is checked before the database is opened or migrated.
      const configured = keyringFromConfiguration({ configuredKey: config.encryptionKey, embeddedDatabase: !config.databaseUrl });
      // With the embedded database this refuses while a server holds the data folder.
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: { kind: 'command', command: 'switchboard keys rotate' } });
      try {
        await migrate(db);
        const rotation = configured ? undefined : await startKeyFileRotation(config.dataDir);
        const keyring = configured ?? rotation!.keyring;
        const count = await resealAllSecrets(db, keyring, (p) => process.stdout.write(`\r${p.table}.${p.column}: ${p.resealed} re-encrypted`));
        await rotation?.finish();
        process.stdout.write(`\nDone: ${count} secret(s) re-encrypted; every secret is now sealed with key ${keyring.activeKeyId}.\n`);
        process.stdout.write(rotation ? `The key file ${rotation.path} now holds only the new key.\n` : 'Remove the old key from SWITCHBOARD_ENCRYPTION_KEY and restart.\n');
      } finally {
        await db.close();
      }
    });
}
