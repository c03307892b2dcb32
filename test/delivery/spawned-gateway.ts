/**
 * For the suites where the process itself is the subject (a crash, several processes): a backlog
 * of numbered messages to many emulator channels, queued through the API of an in-process gateway
 * on a fresh PostgreSQL database, and `switchboard start` spawned against that database as real
 * processes, sharing its encryption key so they can open the sealed token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseEncryptionKey } from '../../src/secrets/encryption-key-config.ts';
import type { StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { EVENT_TYPE } from './delivery-stack.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface Backlog {
  gw: TestGateway;
  databaseUrl: string;
  encryptionKey: string;
  lines: { line: string; channelId: string; destinationId: string }[];
  perLine: number;
  /** Deliveries by status. */
  statuses(): Promise<Record<string, number>>;
  /** Every line's numbers as they landed in its channel. */
  posted(): Promise<Map<string, number[]>>;
  close(): Promise<void>;
}

/** `lines` channels in the emulator's workspace, each with its destination, and `perLine` messages each, accepted interleaved. */
export async function queueBacklog(slack: StartedEmulator, lines: number, perLine: number): Promise<Backlog> {
  const encryptionKey = `crash:${randomBytes(32).toString('hex')}`;
  const gw = await createTestGateway(
    'postgres',
    { slackApiUrl: slack.apiUrl },
    { keyring: parseEncryptionKey(encryptionKey) },
  );
  const project = await gw.createProject('Backlog');
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await gw.call(method, url, { key: project.key, body });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  await call('PUT', `/v1/event-types/${EVENT_TYPE}`, { template: { text: '{{ data.line }} #{{ data.n }}' } });
  const connection = await call('POST', '/v1/connections', { bot_token: slack.defaultWorkspace.botToken });
  const made: Backlog['lines'] = [];
  for (let i = 1; i <= lines; i++) {
    const line = `line${String(i).padStart(2, '0')}`;
    const channel = await slack.control.createChannel(slack.defaultWorkspace.teamId, { name: line });
    const destination = await call('POST', '/v1/destinations', {
      name: line,
      kind: 'channel',
      connection_id: connection.id,
      channel_id: channel.id,
      subscriptions: [EVENT_TYPE],
      condition: `data.line == "${line}"`,
    });
    made.push({ line, channelId: channel.id, destinationId: destination.id });
  }
  // Interleaved, as a busy host app sends them: #1 to every line, then #2 to every line...
  const all: unknown[] = [];
  for (let n = 1; n <= perLine; n++) for (const l of made) all.push({ type: EVENT_TYPE, data: { line: l.line, n } });
  for (let i = 0; i < all.length; i += 500) await call('POST', '/v1/events/batch', { events: all.slice(i, i + 500) });

  return {
    gw,
    databaseUrl: gw.database.url!,
    encryptionKey,
    lines: made,
    perLine,
    async statuses() {
      const { rows } = await gw.ctx.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM deliveries GROUP BY status');
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    async posted() {
      const out = new Map<string, number[]>();
      for (const l of made) {
        const { messages } = await slack.control.messages(slack.defaultWorkspace.teamId, l.channelId);
        out.set(l.line, messages.map((m) => Number(/ #(\d+)$/.exec(m.text)?.[1])));
      }
      return out;
    },
    close: () => gw.close(),
  };
}

export interface SpawnedGateway {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `switchboard start` as a separate process on the backlog's database, with delivery settings as environment variables. */
export async function spawnGateway(slack: StartedEmulator, backlog: Backlog, env: Record<string, string>): Promise<SpawnedGateway & { cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-spawned-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      DATABASE_URL: backlog.databaseUrl,
      SWITCHBOARD_ENCRYPTION_KEY: backlog.encryptionKey,
      SWITCHBOARD_ADMIN_KEY: `sb_admin_spawned_${randomBytes(8).toString('hex')}`,
      SWITCHBOARD_SLACK_API_URL: slack.apiUrl,
      SWITCHBOARD_PORT: '0',
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    async cleanup() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
