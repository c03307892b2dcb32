/** Picks the adapter: PostgreSQL when a connection URL is configured, PGlite in a folder otherwise. */
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireDataFolderLock, type DataFolderLock, type LockHolder } from './data-folder-lock.ts';
import type { Database } from './database.ts';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase, type PostgresOptions } from './postgres-database.ts';

/**
 * With the embedded database the returned handle also holds the data folder's lock (released by
 * close() and at exit): a second process refuses with DataFolderInUseError before touching it.
 * `holder` is what that refusal names; by default an unnamed command.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  holder?: LockHolder;
  timeouts?: Partial<Omit<PostgresOptions, 'connectionString'>>;
}): Promise<Database & { dataFolderLock?: DataFolderLock }> {
  if (options.databaseUrl) return openPostgresDatabase({ connectionString: options.databaseUrl, ...options.timeouts });
  return openEmbeddedDatabase(options.dataDir, options.holder ?? { kind: 'command', command: '' });
}

async function openEmbeddedDatabase(dataDir: string, holder: LockHolder): Promise<Database & { dataFolderLock: DataFolderLock }> {
  // The folder first, private (also when an older version made it 0755), so no other user can reach
  // what PGlite writes into it in the moments before the files themselves are made private.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const lock = await acquireDataFolderLock(dataDir, holder);
  try {
    const db = await openPgliteDatabase(dataDir);
    // PGlite writes its initial files 0666 whatever the umask (and older versions left them so);
    // files it creates later are 0600. Make everything private now.
    await makePrivate(dataDir).catch(async (error) => {
      await db.close().catch(() => undefined);
      throw error;
    });
    const close = db.close;
    return Object.assign(db, {
      dataFolderLock: lock,
      async close() {
        try {
          await close();
        } finally {
          await lock.release();
        }
      },
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Folders 0700 and files 0600, all the way down (a file PGlite removed meanwhile is skipped). */
async function makePrivate(folder: string): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(ignoreMissing([]));
  await Promise.all(
    entries.map(async (entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        await chmod(path, 0o700).catch(ignoreMissing(undefined));
        await makePrivate(path);
      } else if (entry.isFile()) {
        await chmod(path, 0o600).catch(ignoreMissing(undefined));
      }
    }),
  );
}

function ignoreMissing<T>(value: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code === 'ENOENT') return value;
    throw error;
  };
}
