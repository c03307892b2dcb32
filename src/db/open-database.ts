/** Picks the adapter: PostgreSQL when a connection URL is configured, PGlite in a folder otherwise. */
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireDataFolderLock, type DataFolderLock, type LockHolder } from './data-folder-lock.ts';
import { SwitchboardError } from '../errors.ts';
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
  if (options.databaseUrl) return openReachablePostgres(options.databaseUrl, options.timeouts);
  return openEmbeddedDatabase(options.dataDir, options.holder ?? { kind: 'command', command: '' });
}

/**
 * PostgreSQL, checked with a first statement before anything else: a server that is down, an unknown
 * host, database or user, or a wrong password stops start-up with one line naming DATABASE_URL
 * (shown without its password or parameters) instead of failing later in the middle of a step.
 */
async function openReachablePostgres(url: string, timeouts: Partial<Omit<PostgresOptions, 'connectionString'>> | undefined): Promise<Database> {
  try {
    // It runs a first statement before it returns.
    return await openPostgresDatabase({ connectionString: url, ...timeouts });
  } catch (error) {
    throw new SwitchboardError('database_unreachable', `cannot connect to the database at DATABASE_URL (${describeDatabaseUrl(url)}): ${reason(error, url)}`);
  }
}

/** The URL without password, query or fragment: postgres://user@host:port/name. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${u.username}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return 'unparseable URL';
  }
}

function reason(error: unknown, url: string): string {
  const e = error as { message?: unknown; code?: unknown; errors?: { message?: unknown }[] } | null;
  const inner = Array.isArray(e?.errors) && e.errors.length ? e.errors[0] : e;
  let text = (typeof inner?.message === 'string' && inner.message) || (typeof e?.code === 'string' && e.code) || String(error);
  // Never echo a password, whatever the driver put in its message.
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    /* no password to hide */
  }
  if (password) text = text.split(password).join('***');
  return text;
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
