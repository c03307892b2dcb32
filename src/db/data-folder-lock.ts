/**
 * One process at a time on the embedded database. PGlite keeps its own copy of pages in memory and
 * writes them back when it pleases, so two processes on one data folder undo each other's writes
 * (a `keys rotate` next to a running server lost its re-encryption that way). Whoever opens the
 * embedded database first holds `<dataDir>/switchboard.lock`; every other process refuses, naming
 * the holder.
 *
 * The lock is a file created with O_EXCL (mode 0600) holding the holder's pid, URL or command, and
 * start time. It is removed on close and when the process exits; a lock left by a process that was
 * killed is taken over, because its pid no longer runs (or, on Linux, runs another process since a
 * reboot or a crash, or is our own pid in a restarted container).
 *
 * Why not proper-lockfile: it judges a lock stale by its mtime, so the holder must touch it on a
 * timer, and a holder whose event loop is busy (PGlite runs on it) can be declared stale while it
 * still writes; and a lock from a crashed process stays until that timeout runs out. A pid file
 * tells a dead holder at once and carries what the refusal should say: who holds it and where.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SwitchboardError } from '../errors.ts';

export const LOCK_FILE_NAME = 'switchboard.lock';

/** Who takes the lock: a server (its URL is shown to whoever is refused) or a one-off command. */
export type LockHolder = { kind: 'server'; url: string } | { kind: 'command'; command: string };

interface LockRecord {
  pid: number;
  kind: 'server' | 'command';
  url?: string;
  command?: string;
  startedAt: string;
  /** Tells our own lock from another one with the same pid (a container's pid 1 after a restart). */
  token: string;
  /** Linux: the boot and the holder's start time, so a pid reused by another process is seen as stale. */
  bootId?: string;
  startTicks?: string;
}

export interface DataFolderLock {
  path: string;
  /** Records the URL the server really listens on (port 0 picks one). */
  update(holder: LockHolder): Promise<void>;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

/** Another live process holds the data folder. The message is one line: who, and what to do. */
export class DataFolderInUseError extends SwitchboardError {
  constructor(dataDir: string, holder: LockRecord, requester: LockHolder) {
    const who =
      holder.kind === 'server'
        ? `a Switchboard server (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}, started ${holder.startedAt})`
        : `a Switchboard command (pid ${holder.pid}${holder.command ? `, ${holder.command}` : ''}, started ${holder.startedAt})`;
    const stop = holder.kind === 'server' ? 'stop it first' : 'let it finish first';
    const advice =
      requester.kind === 'server'
        ? `${stop}: only one process can open the embedded database (to run several servers, share a PostgreSQL database with DATABASE_URL)`
        : `${stop}, then run this command again: only one process can open the embedded database`;
    super('data_folder_in_use', `${who} is using the data folder ${dataDir}; ${advice}`, { pid: holder.pid, url: holder.url });
  }
}

/** Lock files this process holds, so a second open in the same process is refused too. */
const held = new Set<string>();

/**
 * Takes the lock of `dataDir` (creating the folder, mode 0700, if needed) or throws
 * DataFolderInUseError naming the process that holds it.
 */
export async function acquireDataFolderLock(dataDir: string, holder: LockHolder): Promise<DataFolderLock> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE_NAME);
  const record: LockRecord = {
    pid: process.pid,
    ...describe(holder),
    startedAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
    ...(await linuxProcessIdentity('self')),
  };

  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(record)}\n`, { mode: 0o600, flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existingText = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // released meanwhile: try again
      throw error;
    });
    if (existingText === undefined) continue;
    const existing = parseRecord(existingText);
    if (existing && (held.has(path) || (await isAlive(existing)))) throw new DataFolderInUseError(dataDir, existing, holder);
    // Stale (or unreadable: a crash while writing it). Take it over only if it is still the file we
    // judged, so two processes taking over the same stale lock at once do not both win (short of a
    // few microseconds between this read and the unlink).
    if (attempt >= 3) throw new Error(`cannot take over the stale lock ${path}; delete it if no Switchboard process uses ${dataDir}`);
    const again = await readFile(path, 'utf8').catch(() => undefined);
    if (again === existingText) await unlink(path).catch(() => undefined);
  }

  held.add(path);
  let current = record;
  let released = false;
  // On exit (process.exit, an uncaught error, the end of the event loop), remove the lock if it is still ours.
  const onExit = () => {
    try {
      if (parseRecord(readFileSync(path, 'utf8'))?.token === current.token) unlinkSync(path);
    } catch {
      // gone already
    }
  };
  process.on('exit', onExit);

  return {
    path,
    async update(next) {
      if (released) return;
      current = { ...current, url: undefined, command: undefined, ...describe(next) };
      // Write beside it, then rename over it: a reader never sees a half-written lock.
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify(current)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, path);
    },
    async release() {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      held.delete(path);
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text !== undefined && parseRecord(text)?.token === current.token) await unlink(path).catch(() => undefined);
    },
  };
}

/**
 * Throws DataFolderInUseError if a live process holds `dataDir`, without taking the lock: for
 * commands that start other things (the demo's emulator) before they open the database.
 */
export async function assertDataFolderFree(dataDir: string, requester: LockHolder): Promise<void> {
  const path = join(dataDir, LOCK_FILE_NAME);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const existing = text === undefined ? undefined : parseRecord(text);
  if (existing && (held.has(path) || (await isAlive(existing)))) throw new DataFolderInUseError(dataDir, existing, requester);
}

function describe(holder: LockHolder): Pick<LockRecord, 'kind' | 'url' | 'command'> {
  return holder.kind === 'server' ? { kind: 'server', url: holder.url } : { kind: 'command', command: holder.command };
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (!Number.isInteger(value.pid) || typeof value.startedAt !== 'string' || typeof value.token !== 'string') return undefined;
    return { kind: value.kind === 'command' ? 'command' : 'server', ...value } as LockRecord;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote the lock still runs. */
async function isAlive(record: LockRecord): Promise<boolean> {
  // Our own pid on a lock this process does not hold: left by an earlier run with the same pid.
  if (record.pid === process.pid) return false;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it runs, as another user.
  }
  // The pid runs; on Linux, tell whether it is still the same process (not one that got the pid
  // after a reboot or a crash), without trusting the wall clock.
  if (record.bootId && record.startTicks) {
    const now = await linuxProcessIdentity(record.pid);
    if (now && (now.bootId !== record.bootId || now.startTicks !== record.startTicks)) return false;
  }
  return true;
}

/** The boot and the start time (clock ticks since boot) of a process, from /proc; undefined elsewhere. */
async function linuxProcessIdentity(pid: number | 'self'): Promise<{ bootId: string; startTicks: string } | undefined> {
  try {
    const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) counted from field 3, which follows the ") " closing the command name.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return bootId && startTicks ? { bootId, startTicks } : undefined;
  } catch {
    return undefined;
  }
}
