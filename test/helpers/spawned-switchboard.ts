/**
 * Switchboard as an operator runs it, for the suites and benchmarks where processes and the
 * database come and go (test/hardening/chaos.test.ts, bench/recovery): a PostgreSQL database of
 * its own that can be made unavailable without touching the shared server, `switchboard start`
 * spawned on a known port (so a restarted process answers where the killed one did), numbered
 * "lines" set up through the public API (incoming webhooks and channels of one emulator
 * workspace, each destination taking only its own events), and a client that sends events the
 * way a careful host app does: with an idempotency key, retrying connection errors and 5xx while
 * honouring Retry-After, within bounds.
 *
 * Every address is 127.0.0.1. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { StartedEmulator } from './emulator.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The database

export interface OwnDatabase {
  name: string;
  url: string;
  /**
   * Makes this database, and only it, unavailable as a server restart would for its clients:
   * new connections are refused (ALLOW_CONNECTIONS false) and every open one is terminated. The
   * server and every other database on it carry on.
   */
  refuseConnections(): Promise<{ terminated: number }>;
  /** Open connections to this database (from any client but the admin one). */
  connections(): Promise<number>;
  allowConnections(): Promise<void>;
  /** A short-lived client on this database (the caller ends it). */
  client(): Promise<pg.Client>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `fn` on a fresh connection to the server's `postgres` (admin) database. */
async function onAdmin<T>(serverUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres'), connectionTimeoutMillis: 5_000 });
  admin.on('error', () => {});
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end().catch(() => {});
  }
}

/** A new, empty database on the server of `serverUrl` (`prefix` + random); the gateway migrates it at start. */
export async function createOwnDatabase(serverUrl: string, prefix: string): Promise<OwnDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  await onAdmin(serverUrl, (a) => a.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(serverUrl, name);
  const terminate = (a: pg.Client) =>
    a.query<{ n: number }>('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  return {
    name,
    url,
    refuseConnections: () =>
      onAdmin(serverUrl, async (a) => {
        await a.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
        let terminated = (await terminate(a)).rows[0].n;
        // A connection that was being opened while the ALTER committed may show up a moment later.
        await sleep(200);
        terminated += (await terminate(a)).rows[0].n;
        return { terminated };
      }),
    connections: () =>
      onAdmin(serverUrl, async (a) => (await a.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])).rows[0].n),
    allowConnections: () => onAdmin(serverUrl, async (a) => void (await a.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`))),
    async client() {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      c.on('error', () => {});
      await c.connect();
      return c;
    },
    drop: () =>
      onAdmin(serverUrl, async (a) => {
        await a.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`).catch(() => {});
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The process

/** A port free on 127.0.0.1 right now (the kernel's choice), for a process that must keep it across restarts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SwitchboardSetup {
  databaseUrl: string;
  port: number;
  adminKey: string;
  encryptionKey: string;
  slack: StartedEmulator;
  /** SWITCHBOARD_* settings (pacing, timeouts...). */
  env: Record<string, string>;
}

export function switchboardSetup(slack: StartedEmulator, databaseUrl: string, port: number, env: Record<string, string>): SwitchboardSetup {
  return {
    databaseUrl,
    port,
    adminKey: `sb_admin_spawned_${randomBytes(8).toString('hex')}`,
    encryptionKey: randomBytes(32).toString('base64'),
    slack,
    env,
  };
}

export interface SwitchboardProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote (the last 200 kB). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9, then wait for the exit. */
  kill(): Promise<void>;
  /** Ends the process if it still runs (SIGTERM, then SIGKILL after 10 s) and removes its data folder. */
  cleanup(): Promise<void>;
}

/** `switchboard start` in a process of its own; resolves once GET /healthz answers (within `readyTimeoutMs`). */
export async function startSwitchboard(setup: SwitchboardSetup, readyTimeoutMs = 60_000): Promise<SwitchboardProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-spawned-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      DATABASE_URL: setup.databaseUrl,
      SWITCHBOARD_HOST: '127.0.0.1',
      SWITCHBOARD_PORT: String(setup.port),
      SWITCHBOARD_ENCRYPTION_KEY: setup.encryptionKey,
      SWITCHBOARD_ADMIN_KEY: setup.adminKey,
      SWITCHBOARD_SLACK_API_URL: setup.slack.apiUrl,
      SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS: setup.slack.url,
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_LOG_LEVEL: 'warn',
      ...setup.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: unknown) => {
    output += String(chunk);
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${setup.port}`;
  const proc: SwitchboardProcess = {
    url,
    child,
    output: () => output,
    exited,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async cleanup() {
      if (running()) {
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
        if (!stopped) child.kill('SIGKILL');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!running()) {
      await proc.cleanup();
      throw new Error(`switchboard start exited before it was ready:\n${output.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return proc;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await proc.cleanup();
      throw new Error(`switchboard start was not ready within ${readyTimeoutMs} ms:\n${output.slice(-4000)}`);
    }
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------
// Lines: numbered messages to destinations of one workspace

export const LINE_EVENT_TYPE = 'chaos.numbered';

export interface Line {
  /** The number every event for this destination carries as data.d (1-based). */
  d: number;
  kind: 'webhook' | 'channel';
  channelId: string;
  destinationId: string;
}

export interface Lines {
  projectKey: string;
  teamId: string;
  lines: Line[];
}

async function api(url: string, key: string, method: string, route: string, body: unknown, expected: number): Promise<any> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The message of event (d, n) reads `line d<d> n=<n>` (n= is what bench/support/emulator-arrivals.ts reads). */
const LINE_TEXT = /^line d(\d+) n=(\d+)$/;

/**
 * In one emulator workspace (created here, its own rate-limit buckets): `webhooks` incoming
 * webhooks and `channels` channels posted to with the workspace's bot token, each a destination
 * with the condition `data.d == <d>`. Webhook lines come first (d = 1..webhooks).
 */
export async function setUpLines(proc: SwitchboardProcess, setup: SwitchboardSetup, counts: { webhooks: number; channels: number }, name = 'lines'): Promise<Lines> {
  const { slack } = setup;
  const total = counts.webhooks + counts.channels;
  const ws = await slack.control.createWorkspace({
    name: `${name} ${randomBytes(3).toString('hex')}`,
    apps: [{ name: 'Switchboard', scopes: ['chat:write', 'chat:write.public', 'channels:read', 'channels:join', 'incoming-webhook'] }],
    channels: Array.from({ length: total }, (_, i) => ({ name: `line-${String(i + 1).padStart(2, '0')}`, bot_member: true })),
  });
  if (!ws.bot_token) throw new Error('the workspace has no bot token');
  const channelOf = (d: number) => ws.channels.find((c) => c.name === `line-${String(d).padStart(2, '0')}`)!.id;

  const project = await api(proc.url, setup.adminKey, 'POST', '/v1/projects', { name }, 201);
  const key = project.api_key.key as string;
  await api(proc.url, key, 'PUT', `/v1/event-types/${LINE_EVENT_TYPE}`, { description: 'a numbered message for one line', template: { text: 'line d{{ data.d }} n={{ data.n }}' }, ttl_seconds: null }, 200);
  const connection = await api(proc.url, key, 'POST', '/v1/connections', { bot_token: ws.bot_token }, 201);
  const lines: Line[] = [];
  for (let d = 1; d <= total; d++) {
    const channelId = channelOf(d);
    const common = { name: `line ${d}`, subscriptions: [LINE_EVENT_TYPE], condition: `data.d == ${d}` };
    let body: Record<string, unknown>;
    if (d <= counts.webhooks) {
      const hook = await slack.control.createWebhook(ws.team_id, { channel: channelId });
      body = { ...common, kind: 'webhook', webhook_url: hook.url };
    } else {
      body = { ...common, kind: 'channel', connection_id: connection.id, channel_id: channelId };
    }
    const destination = await api(proc.url, key, 'POST', '/v1/destinations', body, 201);
    lines.push({ d, kind: d <= counts.webhooks ? 'webhook' : 'channel', channelId, destinationId: destination.id });
  }
  return { projectKey: key, teamId: ws.team_id, lines };
}

/** Each line's numbers in the order its channel shows them (other messages ignored). */
export async function postedNumbers(slack: StartedEmulator, set: Lines): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const line of set.lines) {
    const { messages } = await slack.control.messages(set.teamId, line.channelId);
    const numbers: number[] = [];
    for (const m of messages) {
      const match = LINE_TEXT.exec(m.text ?? '');
      if (match && Number(match[1]) === line.d) numbers.push(Number(match[2]));
    }
    out.set(line.d, numbers);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The client

/** An answer other than 202, or no answer, as the client saw it. */
export interface IngestTrouble {
  at: number;
  /** HTTP status, or 0 when the request got no answer (connection refused or reset, timed out). */
  status: number;
  retryAfter: string | null;
  code?: string;
  error?: string;
}

export interface SendOptions {
  /** Pause between one event's 202 and the next event. */
  gapMs: number;
  /** Give up on one event after this many tries. */
  maxTries?: number;
  /** Longest wait honoured from a Retry-After. */
  maxRetryAfterMs?: number;
  onTrouble?(t: IngestTrouble): void;
  onAccepted?(): void;
  /** Stop early (the run failed elsewhere). */
  stopped?(): boolean;
}

export const eventKey = (d: number, n: number) => `line-${d}-${n}`;

/**
 * Sends events n = from..to of line d one after another, each once its predecessor was
 * accepted (so acceptance order is n), each with its idempotency key. No answer, or a 5xx, is
 * tried again: after Retry-After when the gateway gives one, otherwise after a short pause.
 */
export async function sendLine(url: string, key: string, d: number, from: number, to: number, options: SendOptions): Promise<void> {
  const maxTries = options.maxTries ?? 100;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  for (let n = from; n <= to; n++) {
    if (options.stopped?.()) return;
    const body = JSON.stringify({ type: LINE_EVENT_TYPE, key: eventKey(d, n), data: { d, n } });
    for (let tries = 1; ; tries++) {
      let wait = 250;
      try {
        const res = await fetch(`${url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(20_000),
        });
        const text = await res.text();
        if (res.status === 202) {
          options.onAccepted?.();
          break;
        }
        const retryAfter = res.headers.get('retry-after');
        let code: string | undefined;
        try {
          code = JSON.parse(text)?.error?.code;
        } catch {
          /* not JSON */
        }
        options.onTrouble?.({ at: Date.now(), status: res.status, retryAfter, code });
        if (res.status < 500) throw new Error(`event d=${d} n=${n} refused with ${res.status}: ${text}`);
        if (retryAfter !== null && Number.isFinite(Number(retryAfter))) wait = Math.min(maxRetryAfterMs, Number(retryAfter) * 1000);
        else wait = 500;
      } catch (error) {
        if ((error as Error).message.startsWith(`event d=${d}`)) throw error;
        const cause = (error as { cause?: { code?: string } }).cause;
        options.onTrouble?.({ at: Date.now(), status: 0, retryAfter: null, error: cause?.code ?? (error as Error).name });
      }
      if (tries >= maxTries) throw new Error(`event d=${d} n=${n} not accepted after ${tries} tries`);
      if (options.stopped?.()) return;
      await sleep(wait);
    }
    if (options.gapMs > 0) await sleep(options.gapMs);
  }
}

export { api as callSwitchboard };
