/**
 * "Connect Slack" end to end, as an admin does it, on every database engine: a running gateway
 * (startGateway: HTTP server and delivery worker) and the local Slack emulator; headless Chromium
 * opens the install link, picks the workspace and the webhook's channel on the emulator's consent
 * page and presses Allow; the callback stores the connection (no token in plaintext anywhere in the
 * database); a channel is picked through the picker, made a destination, and an event is delivered
 * there; disconnect pauses the destination, holds the next event, and the emulator reports the
 * token revoked. Pressing Cancel on the consent page ends on a clear page and connects nothing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startGateway, type Gateway } from '../../src/main.ts';
import type { ControlApp } from '../../emulator/control/emulator-control-client.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';

const CHROMIUM = '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.each(databaseKinds)('Connect Slack in a browser on %s', (kind) => {
  let slack: StartedEmulator;
  let app: ControlApp;
  let gateway: Gateway;
  let browser: Browser;
  let dataDir: string;
  let database: TestDatabase | undefined;
  let apiKey: string;
  const adminKey = `sb_admin_e2e_${randomBytes(8).toString('hex')}`;

  async function api(method: string, route: string, body?: unknown, key = apiKey): Promise<{ status: number; body: any }> {
    const res = await fetch(`${gateway.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`This test drives Chromium at ${CHROMIUM}, which is missing. Install it with: apt-get install -y chromium`);
    slack = await startEmulator();
    const port = await freePort();
    app = await slack.control.createApp({ name: 'Switchboard E2E', redirect_urls: [`http://127.0.0.1:${port}/oauth/callback`] });
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-connect-'));
    database = kind === 'postgres' ? await createTestDatabase('postgres', { migrate: false }) : undefined;
    gateway = await startGateway(
      loadConfig({
        SWITCHBOARD_HOST: '127.0.0.1',
        SWITCHBOARD_PORT: String(port),
        SWITCHBOARD_DATA_DIR: dataDir,
        DATABASE_URL: database?.url,
        SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        SWITCHBOARD_ADMIN_KEY: adminKey,
        SWITCHBOARD_LOG_LEVEL: 'silent',
        SWITCHBOARD_SLACK_API_URL: slack.apiUrl,
        SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS: slack.url,
        SWITCHBOARD_SLACK_CLIENT_ID: app.client_id,
        SWITCHBOARD_SLACK_CLIENT_SECRET: app.client_secret,
        SWITCHBOARD_SLACK_SIGNING_SECRET: app.signing_secret,
        SWITCHBOARD_SLACK_AUTHORIZE_URL: `${slack.url}/oauth/v2/authorize`,
        SWITCHBOARD_FEATURES: 'channel_picker,public_channels,webhooks',
      }),
    );
    const created = await api('POST', '/v1/projects', { name: 'Sales gamification' }, adminKey);
    expect(created.status).toBe(201);
    apiKey = created.body.api_key.key;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await database?.drop();
    await slack?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('ends on a clear page when the installer presses Cancel', async () => {
    const link = await api('POST', '/v1/connections/install', {});
    const page = await browser.newPage();
    await page.goto(link.body.url);
    const [response] = await Promise.all([page.waitForResponse(/\/oauth\/callback\?/), page.click('button.cancel')]);
    expect(response.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('Slack was not connected');
    expect(await page.textContent('main')).toContain('The installation was cancelled in Slack');
    await page.close();
    expect((await api('GET', '/v1/connections')).body.connections).toEqual([]);
  });

  it('installs through the consent page, delivers to a picked channel, and disconnects', async () => {
    const { users, channels } = slack.defaultWorkspace;
    const team = slack.defaultWorkspace.teamId;

    // 1. The admin asks for an install link and opens it.
    const link = await api('POST', '/v1/connections/install', {});
    expect(link.status).toBe(201);
    const page = await browser.newPage();
    await page.goto(link.body.url);
    expect(await page.locator('h1').textContent()).toBe('Switchboard E2E is requesting permission to access a Slack workspace');

    // 2. Slack's consent page: workspace and account, the webhook's channel, Allow.
    await page.selectOption('#install_as', `${team}:${users.alice}`);
    await page.selectOption('#webhook_channel', `${team}:${channels.general}`);
    await Promise.all([page.waitForURL(/\/oauth\/callback\?/), page.click('button.allow')]);
    expect(await page.locator('h1').textContent()).toBe('Slack is connected');
    expect(await page.textContent('main')).toContain('Emulated Workspace');
    await page.close();

    // 3. The connection is stored, its token sealed: not in plaintext anywhere in the database.
    const connections = (await api('GET', '/v1/connections')).body.connections;
    expect(connections).toHaveLength(1);
    const connection = connections[0];
    expect(connection).toMatchObject({ team_id: team, app_id: app.app_id, status: 'active' });
    const token = (await slack.control.workspace(team)).apps.find((a) => a.app_id === app.app_id)!.bot_token;
    const { rows: tables } = await gateway.ctx.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    for (const { table_name } of tables) {
      const { rows } = await gateway.ctx.db.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      expect(rows.some((r) => r.row.includes(token)), table_name).toBe(false);
    }

    // 4. A channel picked through the picker becomes a destination.
    const picker = await api('GET', `/v1/connections/${connection.id}/channels`);
    expect(picker.status).toBe(200);
    const deployments = picker.body.channels.find((c: any) => c.name === 'deployments');
    expect(deployments).toMatchObject({ id: channels.deployments, post_via: 'chat:write.public' });
    const destination = await api('POST', '/v1/destinations', { name: 'Deployments', kind: 'channel', connection_id: connection.id, channel_id: deployments.id, subscriptions: ['alert.*'] });
    expect(destination.status).toBe(201);

    // 5. An event is delivered there by the delivery worker.
    const event = await api('POST', '/v1/events', { type: 'alert.triggered', data: { service: 'checkout', title: 'Error rate above 5%', description: 'p95 latency rising' } });
    expect(event.status).toBe(202);
    await expect
      .poll(async () => (await slack.control.messages(team, 'deployments')).messages.filter((m) => m.app_id === app.app_id).map((m) => m.text), { timeout: 20_000, interval: 100 })
      .toEqual([expect.stringContaining('Error rate above 5%')]);

    // 6. Disconnect: the destination is paused with a clear status and the token is revoked.
    const disconnected = await api('POST', `/v1/connections/${connection.id}/disconnect`);
    expect(disconnected.status).toBe(200);
    expect(disconnected.body.slack_revoked).toBe(true);
    const paused = (await api('GET', `/v1/destinations/${destination.body.id}`)).body;
    expect(paused).toMatchObject({ status: 'needs_attention', status_reason: 'disconnected', status_hint: 'Reconnect Slack to resume' });
    const answer = await (await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json();
    expect(answer).toMatchObject({ ok: false, error: 'token_revoked' });

    // 7. Later events are kept, held for the destination, not sent and not dropped.
    const later = await api('POST', '/v1/events', { type: 'alert.triggered', data: { service: 'checkout', title: 'Still failing', description: '-' } });
    expect(later.status).toBe(202);
    const held = (await api('GET', `/v1/events/${later.body.event.id}`)).body.deliveries.find((d: any) => d.destination_id === destination.body.id);
    expect(held.status).toBe('held');
    expect((await api('GET', `/v1/events/${event.body.event.id}`)).body.deliveries.find((d: any) => d.destination_id === destination.body.id).status).toBe('sent');
  });
});
