/**
 * The command line as a person meets it, as real processes: `--version`, `start --port --host`
 * overriding the variables, and the failures of a first hour (a port in use, a database that
 * cannot be reached, a gateway that is not running), each one line on stderr and exit code 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliRun } from '../helpers/run-cli.ts';
import { spawnCli } from '../helpers/spawn-cli.ts';

let root: string;
/** A port something else listens on, for the whole file. */
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'switchboard-cli-'));
  taken = createServer();
  await new Promise<void>((resolve, reject) => taken.once('error', reject).listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => taken.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

/** A port nothing listens on: the kernel's choice, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectOneLine(run: CliRun, line: string | RegExp) {
  expect(run.code, run.stderr).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('switchboard --version', () => {
  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });
});

describe('switchboard start', () => {
  it('--port and --host override SWITCHBOARD_PORT and SWITCHBOARD_HOST', async () => {
    // The variables point at a port in use and an address this machine does not have: only the flags let it start.
    const proc = spawnCli(['start', '--port', '0', '--host', '127.0.0.1'], {
      SWITCHBOARD_DATA_DIR: path.join(root, 'flags'),
      SWITCHBOARD_PORT: String(takenPort),
      SWITCHBOARD_HOST: '192.0.2.1',
      SWITCHBOARD_LOG_FORMAT: 'json',
    });
    try {
      const [line] = await proc.waitFor(/^\{.*"msg":"switchboard is listening".*\}$/m);
      const { url } = JSON.parse(line) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toBe(`http://127.0.0.1:${takenPort}`);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await proc.stop();
    }
  }, 120_000);

  it('refuses a bad --port with one line', async () => {
    expectOneLine(await runCli(['start', '--port', 'eighty'], { SWITCHBOARD_DATA_DIR: path.join(root, 'bad-port') }), 'switchboard: --port is invalid ("eighty"): expected an integer from 0 to 65535');
  });

  it('a port in use: one line saying what to do, exit code 1', async () => {
    const [variable, flag] = await Promise.all([
      runCli(['start'], { SWITCHBOARD_DATA_DIR: path.join(root, 'in-use-variable'), SWITCHBOARD_PORT: String(takenPort), SWITCHBOARD_LOG_LEVEL: 'warn' }),
      runCli(['start', '--port', String(takenPort)], { SWITCHBOARD_DATA_DIR: path.join(root, 'in-use-flag'), SWITCHBOARD_PORT: '0', SWITCHBOARD_LOG_LEVEL: 'warn' }),
    ]);
    for (const run of [variable, flag]) {
      expectOneLine(run, `switchboard: port ${takenPort} is in use on 127.0.0.1: stop what uses it or set SWITCHBOARD_PORT / --port`);
    }
  }, 120_000);

  it('the demo with its emulator port in use: one line naming the emulator setting', async () => {
    const run = await runCli(['demo', '--emulator-port', String(takenPort)], { SWITCHBOARD_DATA_DIR: path.join(root, 'demo-in-use'), SWITCHBOARD_PORT: '0' });
    expectOneLine(run, `switchboard: port ${takenPort} is in use on 127.0.0.1: stop what uses it or set SWITCHBOARD_EMULATOR_PORT / --emulator-port`);
  }, 120_000);

  it('a database that cannot be reached: one line naming DATABASE_URL, without the password', async () => {
    const env = {
      DATABASE_URL: 'postgres://postgres:secretpw@127.0.0.1:1/x',
      SWITCHBOARD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      SWITCHBOARD_DATA_DIR: path.join(root, 'no-database'),
      SWITCHBOARD_PORT: '0',
      SWITCHBOARD_LOG_LEVEL: 'warn',
    };
    const runs = await Promise.all([runCli(['start'], env), runCli(['migrate'], env)]);
    for (const run of runs) {
      expectOneLine(run, /^switchboard: cannot connect to the database at DATABASE_URL \(postgres:\/\/postgres@127\.0\.0\.1:1\/x\): .*ECONNREFUSED/);
      expect(run.stdout + run.stderr).not.toContain('secretpw');
    }
  }, 120_000);
});

describe('the API commands without a gateway', () => {
  it('say "gateway not running at <url>" in one line', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const env = { SWITCHBOARD_API_URL: url, SWITCHBOARD_API_KEY: 'sb_live_not_used' };
    const runs = await Promise.all([
      runCli(['send', '--type', 'alert.triggered', '--data', '{}'], env),
      runCli(['event', 'evt_1'], env),
      runCli(['deliveries', 'list'], env),
    ]);
    for (const run of runs) expectOneLine(run, new RegExp(`^switchboard: gateway not running at ${url.replace(/\./g, '\\.')}: `));
  }, 120_000);
});
