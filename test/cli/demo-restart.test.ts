/**
 * `npm start` (switchboard demo) run, changed by the user, stopped and run again, as real
 * processes on one data folder: the same project and key (the old key still answers), the user's
 * changes kept (a disabled destination stays disabled, an edited one keeps its edits), and the
 * webhook re-linked to the new emulator (it listens on another port each time here). A key
 * rotation in between changes nothing; the key is stored sealed, never in plaintext.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { runCli } from '../helpers/run-cli.ts';
import { spawnCli, type SpawnedCli } from '../helpers/spawn-cli.ts';

interface Banner {
  api: string;
  emulator: string;
  key: string;
  sameKey: boolean;
  text: string;
}

let dataDir: string;
let env: Record<string, string>;
const running = new Set<SpawnedCli>();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-demo-restart-'));
  env = { SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_PORT: '0', SWITCHBOARD_EMULATOR_PORT: '0', SWITCHBOARD_LOG_LEVEL: 'warn' };
});
afterAll(async () => {
  for (const proc of running) await proc.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function startDemo(): Promise<{ proc: SpawnedCli; banner: Banner }> {
  const proc = spawnCli(['demo'], env);
  running.add(proc);
  await proc.waitFor(/Press Ctrl\+C to stop\./);
  const text = proc.stdout();
  const field = (label: RegExp) => {
    const match = label.exec(text);
    if (!match) throw new Error(`the banner has no ${label}:\n${text}`);
    return match[1];
  };
  return {
    proc,
    banner: {
      api: field(/^ {2}API {12}(http:\/\/\S+)\/v1$/m),
      emulator: field(/^ {2}Emulator page {2}(http:\/\/\S+?)\/ /m),
      key: field(/^ {2}Demo API key {3}(sb_live_\S+)/m),
      sameKey: /Demo API key.*\(the same as last time\)/.test(text),
      text,
    },
  };
}

async function stopDemo(proc: SpawnedCli): Promise<void> {
  const exit = await proc.stop('SIGTERM');
  running.delete(proc);
  expect(exit.code, proc.stderr()).toBe(0);
}

async function call(api: string, key: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('restarting the demo', () => {
  it('keeps the project, its key and what the user changed, across restarts and a key rotation', async () => {
    const first = await startDemo();
    expect(first.banner.sameKey).toBe(false);
    const { api, key } = first.banner;
    const listed = await call(api, key, 'GET', '/v1/destinations');
    expect(listed.status).toBe(200);
    const destinations = listed.body.destinations as { id: string; kind: string; name: string }[];
    const channel = destinations.find((d) => d.kind === 'channel')!;
    const webhook = destinations.find((d) => d.kind === 'webhook')!;
    expect(channel && webhook).toBeTruthy();

    // The user's changes: one destination disabled, the other renamed and narrowed.
    expect((await call(api, key, 'PATCH', `/v1/destinations/${channel.id}`, { enabled: false })).status).toBe(200);
    const edited = await call(api, key, 'PATCH', `/v1/destinations/${webhook.id}`, { name: 'Alerts only', subscriptions: ['alert.*'], condition: 'severity >= high' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await stopDemo(first.proc);

    const second = await startDemo();
    expect(second.banner.key).toBe(key);
    expect(second.banner.sameKey).toBe(true);
    expect(second.banner.emulator).not.toBe(first.banner.emulator);
    expect(second.banner.text).toContain('Alerts only');
    expect(second.banner.text).toMatch(/\(bot token\) \(disabled\)/);
    await expectKept(second.banner, channel.id, webhook.id);
    await stopDemo(second.proc);

    // `keys rotate` re-seals the demo's record with the new key and drops the old one from the key file.
    const rotate = await runCli(['keys', 'rotate'], env);
    expect(rotate.code, rotate.stderr).toBe(0);
    const third = await startDemo();
    expect(third.banner.key).toBe(key);
    expect(third.banner.sameKey).toBe(true);
    await expectKept(third.banner, channel.id, webhook.id);
    await stopDemo(third.proc);

    // One project, its key never revoked, and never stored in plaintext.
    const db = await openDatabase({ dataDir });
    try {
      const { rows: projects } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM projects');
      expect(projects[0].n).toBe(1);
      const { rows: settings } = await db.query<{ value: string }>('SELECT value::text AS value FROM system_settings');
      const all = settings.map((r) => r.value).join('\n');
      expect(all).not.toContain(key);
      expect(all).toMatch(/"api_key_sealed": "sbenc:v1:/);
      const { rows: revoked } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NOT NULL');
      expect(revoked[0].n).toBe(0);
    } finally {
      await db.close();
    }
  }, 240_000);
});

/** The old key answers; the disabled destination is still disabled; the edited one kept its edits and posts to the new emulator. */
async function expectKept(banner: Banner, channelId: string, webhookId: string): Promise<void> {
  const listed = await call(banner.api, banner.key, 'GET', '/v1/destinations');
  expect(listed.status).toBe(200);
  const byId = new Map((listed.body.destinations as any[]).map((d) => [d.id, d]));
  expect(byId.size).toBe(2);
  expect(byId.get(channelId)).toMatchObject({ enabled: false, status: 'disabled' });
  expect(byId.get(webhookId)).toMatchObject({ name: 'Alerts only', subscriptions: ['alert.*'], condition: 'severity >= high', enabled: true, status: 'active' });
  expect(byId.get(webhookId).webhook_url_hint).toContain(`${banner.emulator}/services/`);
  const test = await call(banner.api, banner.key, 'POST', `/v1/destinations/${webhookId}/test`);
  expect(test.status, JSON.stringify(test.body)).toBe(200);
  expect(test.body.ok, JSON.stringify(test.body)).toBe(true);
}
