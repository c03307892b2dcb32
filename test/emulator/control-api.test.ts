/**
 * The control API (/_emulator/…) through Hono's in-process request function: listing and building
 * workspaces, breaking things on purpose, reading counters, moving the clock, resetting, and its
 * error answers. Also: the page is told about every visible change.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { createEmulator, type Emulator } from '../../emulator/server.ts';

let emulator: Emulator;
const clock = new ManualClock();

async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await emulator.app.request(path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function api(method: string, token: string, args: Record<string, unknown>) {
  return request('POST', `/api/${method}`, args, { authorization: `Bearer ${token}` });
}

beforeEach(() => {
  emulator = createEmulator({ clock, rateLimits: { enabled: false } });
});

describe('GET /_emulator/workspaces', () => {
  it('lists each workspace with team_id, bot_token, channels (id, name) and webhooks (url, channel_id)', async () => {
    const { status, body } = await request('GET', '/_emulator/workspaces');
    expect(status).toBe(200);
    expect(body.workspaces).toHaveLength(1);
    const [ws] = body.workspaces;
    expect(ws).toMatchObject({ team_id: 'T0EMULATE', bot_token: 'xoxb-emulator-default-bot-token', name: 'Emulated Workspace' });
    expect(ws.channels.map((c: { name: string }) => c.name)).toEqual(['general', 'alerts', 'deployments', 'approvals', 'random', 'leadership']);
    expect(ws.channels[0]).toMatchObject({ id: expect.stringMatching(/^C/), name: 'general' });
    const alerts = ws.channels.find((c: { name: string }) => c.name === 'alerts');
    expect(ws.webhooks).toEqual([expect.objectContaining({ channel_id: alerts.id, url: `http://localhost/services/T0EMULATE/${ws.webhooks[0].id}/EmulatorAlertsWebhook000` })]);
    expect(ws.users.map((u: { email?: string }) => u.email).filter(Boolean)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
  });

  it('is empty when the emulator starts empty', async () => {
    emulator = createEmulator({ clock, empty: true });
    expect((await request('GET', '/_emulator/workspaces')).body).toEqual({ workspaces: [] });
  });
});

describe('building workspaces', () => {
  it('creates a workspace with people, channels, an app with chosen scopes and a webhook, ready to use', async () => {
    const { status, body: ws } = await request('POST', '/_emulator/workspaces', {
      name: 'Sales Co',
      users: [{ name: 'sam', email: 'sam@sales.example' }],
      apps: [{ name: 'Leaderboard', scopes: ['chat:write', 'users:read'] }],
      channels: [{ name: 'general', is_general: true }, { name: 'wins' }, { name: 'board', is_private: true, bot_member: false }],
      webhooks: [{ channel: 'wins' }],
    });
    expect(status).toBe(201);
    expect(ws.team_id).toMatch(/^T[A-Z0-9]{8,}$/);
    expect(ws.apps[0]).toMatchObject({ name: 'Leaderboard', scopes: ['chat:write', 'users:read'], bot_token: expect.stringMatching(/^xoxb-emulator-/) });
    const wins = ws.channels.find((c: { name: string }) => c.name === 'wins');
    expect(ws.webhooks[0].channel_id).toBe(wins.id);
    const posted = await api('chat.postMessage', ws.bot_token, { channel: wins.id, text: 'First deal closed' });
    expect(posted.body).toMatchObject({ ok: true, channel: wins.id });
    const board = ws.channels.find((c: { name: string }) => c.name === 'board');
    expect((await api('chat.postMessage', ws.bot_token, { channel: board.id, text: 'x' })).body.error).toBe('channel_not_found');
  });

  it('adds people, channels, apps and webhooks to an existing workspace', async () => {
    expect((await request('POST', '/_emulator/workspaces/T0EMULATE/users', { name: 'dave', email: 'dave@example.com' })).status).toBe(201);
    const ch = await request('POST', '/_emulator/workspaces/T0EMULATE/channels', { name: 'incidents' });
    expect(ch.body).toMatchObject({ name: 'incidents', bot_member: true });
    const app = await request('POST', '/_emulator/apps', { name: 'Later', scopes: ['chat:write'] });
    const inst = await request('POST', '/_emulator/workspaces/T0EMULATE/installations', { app_id: app.body.app_id, join_channels: ['incidents'] });
    expect(inst.body).toMatchObject({ app_id: app.body.app_id, team_id: 'T0EMULATE', scopes: ['chat:write'] });
    expect((await api('chat.postMessage', inst.body.bot_token, { channel: ch.body.id, text: 'hi' })).body.ok).toBe(true);
    const hook = await request('POST', '/_emulator/workspaces/T0EMULATE/webhooks', { channel: 'incidents', app: app.body.app_id });
    expect(hook.body).toMatchObject({ channel_id: ch.body.id, app_id: app.body.app_id });
  });

  it('answers 404 for an unknown workspace, 400 for a bad channel name, 409 for a duplicate', async () => {
    expect((await request('GET', '/_emulator/workspaces/T0NOTHERE')).status).toBe(404);
    const bad = await request('POST', '/_emulator/workspaces/T0EMULATE/channels', { name: 'Has Spaces' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await request('POST', '/_emulator/workspaces/T0EMULATE/channels', { name: 'alerts' })).status).toBe(409);
    expect((await request('POST', '/_emulator/workspaces', 'not an object')).status).toBe(400);
  });
});

describe('inspecting, counting, the clock and reset', () => {
  it('shows a channel’s messages with replies, edits and deletions', async () => {
    const token = 'xoxb-emulator-default-bot-token';
    const root = (await api('chat.postMessage', token, { channel: '#alerts', text: 'root' })).body;
    await api('chat.postMessage', token, { channel: root.channel, text: 'reply', thread_ts: root.ts });
    await api('chat.update', token, { channel: root.channel, ts: root.ts, text: 'root (edited)' });
    const doomed = (await api('chat.postMessage', token, { channel: root.channel, text: 'doomed' })).body;
    await api('chat.delete', token, { channel: root.channel, ts: doomed.ts });
    const { body } = await request('GET', '/_emulator/workspaces/T0EMULATE/channels/alerts/messages');
    expect(body.messages.map((m: { text: string; deleted: boolean }) => [m.text, m.deleted])).toEqual([
      ['root (edited)', false],
      ['doomed', true],
    ]);
    expect(body.messages[0].history.map((h: { text: string }) => h.text)).toEqual(['root']);
    expect(body.messages[0].replies.map((r: { text: string }) => r.text)).toEqual(['reply']);
  });

  it('counts calls per method and per workspace', async () => {
    await api('auth.test', 'xoxb-emulator-default-bot-token', {});
    await api('auth.test', 'xoxb-emulator-nope', {});
    const { body } = await request('GET', '/_emulator/counters');
    expect(body.calls['auth.test']).toBe(2);
    expect(body.by_team.T0EMULATE.calls['auth.test']).toBe(1);
    expect(body.rate_limited.total).toBe(0);
  });

  it('moves the clock forward so scheduled messages come due', async () => {
    const now = Math.floor(clock.now() / 1000);
    await api('chat.scheduleMessage', 'xoxb-emulator-default-bot-token', { channel: '#general', text: 'tick', post_at: now + 3_600 });
    const moved = await request('POST', '/_emulator/clock/advance', { seconds: 3_600 });
    expect(moved.body.now).toBe(now + 3_600);
    const { body } = await request('GET', '/_emulator/workspaces/T0EMULATE/channels/general/messages');
    expect(body.messages.map((m: { text: string }) => m.text)).toEqual(['tick']);
  });

  it('resets to the seeded workspace, or to nothing', async () => {
    await request('POST', '/_emulator/workspaces', { name: 'Extra' });
    await request('POST', '/_emulator/reset');
    expect((await request('GET', '/_emulator/workspaces')).body.workspaces.map((w: { name: string }) => w.name)).toEqual(['Emulated Workspace']);
    await request('POST', '/_emulator/reset', { empty: true });
    expect((await request('GET', '/_emulator/workspaces')).body.workspaces).toEqual([]);
  });

  it('disables a workspace and uninstalls an app', async () => {
    await request('PATCH', '/_emulator/workspaces/T0EMULATE', { disabled: true });
    expect((await api('auth.test', 'xoxb-emulator-default-bot-token', {})).body.error).toBe('account_inactive');
    await request('PATCH', '/_emulator/workspaces/T0EMULATE', { disabled: false });
    const appId = (await request('GET', '/_emulator/workspaces/T0EMULATE')).body.app_id;
    expect((await request('DELETE', `/_emulator/workspaces/T0EMULATE/installations/${appId}`)).status).toBe(200);
    expect((await api('auth.test', 'xoxb-emulator-default-bot-token', {})).body.error).toBe('account_inactive');
  });
});

describe('the page source', () => {
  it('tells subscribers about every visible change', async () => {
    let changes = 0;
    const unsubscribe = emulator.pageSource.subscribe(() => {
      changes += 1;
    });
    const token = 'xoxb-emulator-default-bot-token';
    const posted = (await api('chat.postMessage', token, { channel: '#alerts', text: 'one' })).body;
    const afterPost = changes;
    expect(afterPost).toBeGreaterThan(0);
    await api('chat.update', token, { channel: posted.channel, ts: posted.ts, text: 'two' });
    expect(changes).toBeGreaterThan(afterPost);
    const afterUpdate = changes;
    await request('PATCH', '/_emulator/workspaces/T0EMULATE/channels/alerts', { is_archived: true });
    expect(changes).toBeGreaterThan(afterUpdate);
    unsubscribe();
    const final = changes;
    await api('chat.postMessage', token, { channel: '#general', text: 'unseen' });
    expect(changes).toBe(final);
    const alerts = emulator.pageSource.workspaces()[0].channels.find((c) => c.name === 'alerts');
    expect(alerts).toMatchObject({ isArchived: true, messages: [expect.objectContaining({ text: 'two', edited: true, isBot: true, author: 'Switchboard' })] });
  });
});
