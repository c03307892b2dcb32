/**
 * One process at a time on the embedded database: the data folder's lock file (who holds it, and
 * since when), refusals from the CLI and from a second server while a server runs, take-over of a
 * lock left by a killed process, release on close and at exit; and the folder private to its user.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { acquireDataFolderLock, DataFolderInUseError, LOCK_FILE_NAME } from '../../src/db/data-folder-lock.ts';
import { openPgliteDatabase } from '../../src/db/pglite-database.ts';
import { startGateway, type Gateway } from '../../src/main.ts';
import { REPO_ROOT, runCli, type CliRun } from '../helpers/run-cli.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchboard-lock-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;
const readLock = async (dir: string) => JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8'));

/** A separate process that takes the lock of `dir`, says so, then runs `then` (JavaScript). */
function lockingChild(dir: string, then: string) {
  const script = `
    const { acquireDataFolderLock } = await import('./src/db/data-folder-lock.ts');
    await acquireDataFolderLock(${JSON.stringify(dir)}, { kind: 'server', url: 'http://127.0.0.1:9' });
    process.stdout.write('locked\\n');
    ${then}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('locked') && resolve());
    child.on('exit', () => reject(new Error(`the child exited before it took the lock: ${stderr}`)));
  });
  const exited = once(child, 'exit');
  return { child, locked, exited };
}

describe('the data folder lock', () => {
  it('records pid, URL and start time in a private file, refuses a second holder, and goes on release', async () => {
    const dir = join(root, 'unit');
    const lock = await acquireDataFolderLock(dir, { kind: 'server', url: 'http://127.0.0.1:1' });
    const record = await readLock(dir);
    expect(record).toMatchObject({ pid: process.pid, kind: 'server', url: 'http://127.0.0.1:1' });
    expect(Number.isNaN(Date.parse(record.startedAt))).toBe(false);
    expect(await mode(lock.path)).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);

    const second = acquireDataFolderLock(dir, { kind: 'command', command: 'switchboard keys rotate' });
    await expect(second).rejects.toBeInstanceOf(DataFolderInUseError);
    await expect(second).rejects.toThrow(`a Switchboard server (pid ${process.pid}, http://127.0.0.1:1, started ${record.startedAt}) is using the data folder ${dir}; stop it first`);

    await lock.update({ kind: 'server', url: 'http://127.0.0.1:2' });
    expect(await readLock(dir)).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:2', startedAt: record.startedAt });
    expect(await mode(lock.path)).toBe(0o600);

    await lock.release();
    expect(existsSync(lock.path)).toBe(false);
    const again = await acquireDataFolderLock(dir, { kind: 'command', command: 'switchboard migrate' });
    await again.release();
  });

  it('takes over a lock left by a process that was killed', async () => {
    const dir = join(root, 'killed');
    const holder = lockingChild(dir, 'setInterval(() => {}, 1000);');
    await holder.locked;
    await expect(acquireDataFolderLock(dir, { kind: 'command', command: 'switchboard migrate' })).rejects.toThrow(`pid ${holder.child.pid}, http://127.0.0.1:9`);
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect((await readLock(dir)).pid).toBe(holder.child.pid); // left behind

    const lock = await acquireDataFolderLock(dir, { kind: 'command', command: 'switchboard migrate' });
    expect(await readLock(dir)).toMatchObject({ pid: process.pid, kind: 'command', command: 'switchboard migrate' });
    await lock.release();
  }, 60_000);

  it('is removed when the holder exits without closing', async () => {
    const dir = join(root, 'exit');
    const holder = lockingChild(dir, 'process.exit(3);');
    await holder.locked;
    const [code] = await holder.exited;
    expect(code).toBe(3);
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  }, 60_000);
});

describe('a server on the embedded database', () => {
  let dataDir: string;
  let gateway: Gateway | undefined;
  const cliEnv = () => ({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_PORT: '0', SWITCHBOARD_EMULATOR_PORT: '0', SWITCHBOARD_LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    dataDir = join(root, 'server-data');
    // A folder as older versions left it: PGlite's files as PGlite writes them, the folder 0755.
    const old = await openPgliteDatabase(dataDir);
    await old.close();
    await chmod(dataDir, 0o755);
    expect(await modes(dataDir)).toContain('file 666');

    gateway = await startGateway(loadConfig({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_PORT: '0', SWITCHBOARD_LOG_LEVEL: 'silent', SWITCHBOARD_DELIVERY: 'off' }));
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
  });

  it('makes the data folder and everything in it private to its user', async () => {
    expect(await mode(dataDir)).toBe(0o700);
    expect(await modes(dataDir)).toEqual(['dir 700', 'file 600']);
    expect(await readLock(dataDir)).toMatchObject({ pid: process.pid, kind: 'server', url: gateway!.url });
  });

  it('refuses keys rotate, a second start, npm start and migrate with one line naming the server', async () => {
    const keyFile = await readFile(join(dataDir, 'encryption-key'), 'utf8');
    const runs: Record<string, CliRun> = {};
    await Promise.all(
      [['keys', 'rotate'], ['start'], ['demo'], ['migrate']].map(async (args) => {
        runs[args.join(' ')] = await runCli(args, cliEnv());
      }),
    );
    for (const [command, run] of Object.entries(runs)) {
      expect(run.code, command).not.toBe(0);
      expect(run.stderr.trim().split('\n'), `${command}: ${run.stderr}`).toHaveLength(1);
      expect(run.stderr).toContain(`switchboard: a Switchboard server (pid ${process.pid}, ${gateway!.url}, started `);
      expect(run.stderr).toContain(`is using the data folder ${dataDir}; stop it first`);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
    expect(runs['keys rotate'].stderr).toContain('then run this command again');
    expect(runs['keys rotate'].stdout).not.toContain('re-encrypted');
    expect(await readFile(join(dataDir, 'encryption-key'), 'utf8')).toBe(keyFile);
  }, 120_000);

  it('releases the lock on close, so the next process opens the database', async () => {
    await gateway!.close();
    gateway = undefined;
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    const migrate = await runCli(['migrate'], cliEnv());
    expect(migrate.stderr).toBe('');
    expect(migrate).toMatchObject({ code: 0, stdout: 'The database schema is current.\n' });
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    expect(await modes(dataDir)).toEqual(['dir 700', 'file 600']);
  }, 120_000);
});

/** The distinct modes of everything under `dir`, e.g. ['dir 700', 'file 600']. */
async function modes(dir: string): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      found.add(`${entry.isDirectory() ? 'dir' : 'file'} ${(await mode(path)).toString(8)}`);
      if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(dir);
  return [...found].sort();
}
