/**
 * POST /v1/destinations/{id}/test against the emulator: the message an admin sees in Slack, the
 * answer the Test button shows for each thing that commonly goes wrong (with the hint that says
 * how to fix it), the destination marked needs_attention, and every test in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlWorkspace } from '../../emulator/control/emulator-control-client.ts';
import { BROKEN_DESTINATION_HINTS } from '../../src/slack/slack-error-hints.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const DEFAULT_SCOPES = ['chat:write', 'chat:write.public', 'channels:read', 'channels:join', 'incoming-webhook'];

describe.each(databaseKinds)('destination test message on %s', (kind) => {
  let slack: StartedEmulator;
  let gw: TestGateway;
  let project: { id: string; key: string };
  let teams = 0;

  beforeAll(async () => {
    slack = await startEmulator();
    gw = await createTestGateway(kind, { slackApiUrl: slack.apiUrl, allowedWebhookOrigins: [slack.url] });
    project = await gw.createProject('Test button');
  });
  afterAll(async () => {
    await gw?.close();
    await slack?.close();
  });

  /** A workspace of its own for each test: an app with these scopes, #ops and #deploys (bot in them), #quiet (bot not in it), a webhook to #ops. */
  async function workspace(scopes = DEFAULT_SCOPES): Promise<ControlWorkspace & { channelId(name: string): string }> {
    teams++;
    const ws = await slack.control.createWorkspace({
      team_id: `T0TEST${teams}${kind === 'postgres' ? 'P' : 'L'}`,
      apps: [{ name: 'Switchboard', scopes }],
      channels: [{ name: 'ops' }, { name: 'deploys' }, { name: 'quiet', bot_member: false }],
      webhooks: [{ channel: 'ops' }],
    });
    return { ...ws, channelId: (name: string) => ws.channels.find((c) => c.name === name)!.id };
  }

  async function connect(botToken: string): Promise<string> {
    const res = await gw.call('POST', '/v1/connections', { key: project.key, body: { bot_token: botToken } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async function destination(body: Record<string, unknown>): Promise<string> {
    const res = await gw.call('POST', '/v1/destinations', { key: project.key, body: { subscriptions: ['*'], ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async function channelDestination(ws: ControlWorkspace & { channelId(name: string): string }, channel = 'ops', name = `#${channel}`): Promise<{ id: string; connection: string }> {
    const connection = await connect(ws.bot_token!);
    return { id: await destination({ name, kind: 'channel', connection_id: connection, channel_id: ws.channelId(channel) }), connection };
  }

  async function test(destinationId: string) {
    const res = await gw.call('POST', `/v1/destinations/${destinationId}/test`, { key: project.key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function attempt(id: string) {
    const { rows } = await gw.ctx.db.query<Record<string, unknown>>('SELECT * FROM delivery_attempts WHERE id = $1', [id]);
    return rows[0];
  }

  it('posts a message labelled as a test, with the destination’s name and time, and says where it went', async () => {
    const ws = await workspace();
    const { id } = await channelDestination(ws, 'ops', 'Ops <alerts>');
    const answer = await test(id);
    expect(answer).toMatchObject({ ok: true, outcome: 'sent', destination_status: 'active', slack: { channel: ws.channelId('ops') } });
    expect(answer.error).toBeUndefined();
    expect(answer.slack.ts).toMatch(/^\d+\.\d{6}$/);

    const { messages } = await slack.control.messages(ws.team_id, 'ops');
    expect(messages).toHaveLength(1);
    expect(messages[0].ts).toBe(answer.slack.ts);
    expect(messages[0].text).toContain('Switchboard test message for Ops &lt;alerts&gt;');
    expect(messages[0].text).toMatch(/sent \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(JSON.stringify(messages[0].blocks)).toContain('Switchboard test message');

    const logged = await attempt(answer.attempt_id);
    expect(logged).toMatchObject({ delivery_id: null, destination_id: id, outcome: 'sent', slack_ts: answer.slack.ts, http_status: 200 });
  });

  it('posts through an incoming webhook (which returns no ts) and keeps the URL out of the log', async () => {
    const ws = await workspace();
    const id = await destination({ name: 'ops hook', kind: 'webhook', webhook_url: ws.webhooks[0].url });
    const answer = await test(id);
    expect(answer).toMatchObject({ ok: true, outcome: 'sent' });
    expect(answer.slack).toBeUndefined();
    const { messages } = await slack.control.messages(ws.team_id, 'ops');
    expect(messages.map((m) => m.source)).toEqual(['webhook']);
    const secret = ws.webhooks[0].url.split('/').pop()!;
    expect(JSON.stringify(await attempt(answer.attempt_id))).not.toContain(secret);
  });

  // The troubleshooting list an admin needs: each breakage, the error Slack gives, and the hint.
  const broken: { name: string; error: string; connectionToo?: boolean; setUp(ws: ControlWorkspace & { channelId(n: string): string }): Promise<string> }[] = [
    {
      name: 'the webhook was removed',
      error: 'no_service',
      setUp: async (ws) => {
        const id = await destination({ name: 'removed hook', kind: 'webhook', webhook_url: ws.webhooks[0].url });
        await slack.control.removeWebhook(ws.webhooks[0].id);
        return id;
      },
    },
    {
      name: 'the webhook URL is wrong',
      error: 'invalid_token',
      setUp: async (ws) => destination({ name: 'mistyped hook', kind: 'webhook', webhook_url: `${ws.webhooks[0].url.slice(0, -4)}XXXX` }),
    },
    {
      name: 'the webhook’s channel was archived',
      error: 'channel_is_archived',
      setUp: async (ws) => {
        const id = await destination({ name: 'archived hook', kind: 'webhook', webhook_url: ws.webhooks[0].url });
        await slack.control.setChannelArchived(ws.team_id, 'ops', true);
        return id;
      },
    },
    {
      name: 'the channel was archived',
      error: 'is_archived',
      setUp: async (ws) => {
        const { id } = await channelDestination(ws);
        await slack.control.setChannelArchived(ws.team_id, 'ops', true);
        return id;
      },
    },
    {
      name: 'the bot is not in the channel (and may not join it)',
      error: 'not_in_channel',
      setUp: async () => channelDestination(await workspace(['chat:write', 'channels:read']), 'quiet').then((d) => d.id),
    },
    {
      name: 'the app lacks the scope to post',
      error: 'missing_scope',
      setUp: async () => channelDestination(await workspace(['channels:read']), 'ops').then((d) => d.id),
    },
    {
      name: 'the bot token was revoked',
      error: 'token_revoked',
      connectionToo: true,
      setUp: async (ws) => {
        const { id } = await channelDestination(ws);
        await slack.control.revokeToken(ws.bot_token!);
        return id;
      },
    },
    {
      name: 'the app was uninstalled',
      error: 'account_inactive',
      connectionToo: true,
      setUp: async (ws) => {
        const { id } = await channelDestination(ws);
        await slack.control.uninstall(ws.team_id, ws.app_id!);
        return id;
      },
    },
  ];

  for (const c of broken) {
    it(`when ${c.name}: answers ${c.error} with the fix, and marks the destination needs_attention`, async () => {
      const id = await c.setUp(await workspace());
      const answer = await test(id);
      expect(answer).toMatchObject({ ok: false, outcome: 'destination_broken', error: c.error, hint: BROKEN_DESTINATION_HINTS[c.error], destination_status: 'needs_attention' });
      const shown = await gw.call('GET', `/v1/destinations/${id}`, { key: project.key });
      expect(shown.body).toMatchObject({ status: 'needs_attention', status_reason: c.error, status_hint: BROKEN_DESTINATION_HINTS[c.error] });
      if (c.connectionToo) {
        const connection = await gw.call('GET', `/v1/connections/${shown.body.connection_id}`, { key: project.key });
        expect(connection.body).toMatchObject({ status: 'needs_attention', status_reason: c.error });
      }
      expect(await attempt(answer.attempt_id)).toMatchObject({ delivery_id: null, outcome: 'destination_broken', error: c.error });
    });
  }

  it('a test that gets through clears needs_attention, and a token problem on every destination of the connection', async () => {
    const ws = await workspace();
    const a = await channelDestination(ws, 'ops', 'a');
    const b = await destination({ name: 'b', kind: 'channel', connection_id: a.connection, channel_id: ws.channelId('deploys') });
    const c = await destination({ name: 'c', kind: 'channel', connection_id: a.connection, channel_id: ws.channelId('quiet') });
    // As the engine leaves them after Slack said token_revoked (since fixed), and c for its own reason.
    await gw.ctx.db.query(`UPDATE connections SET status = 'needs_attention', status_reason = 'token_revoked' WHERE id = $1`, [a.connection]);
    await gw.ctx.db.query(`UPDATE destinations SET status = 'needs_attention', status_reason = 'token_revoked', status_hint = 'x' WHERE id = ANY($1)`, [[a.id, b]]);
    await gw.ctx.db.query(`UPDATE destinations SET status = 'needs_attention', status_reason = 'is_archived', status_hint = 'y' WHERE id = $1`, [c]);
    let wakeUps = 0;
    gw.ctx.onDeliveriesChanged = () => wakeUps++;
    try {
      const answer = await test(a.id);
      expect(answer).toMatchObject({ ok: true, destination_status: 'active' });
      expect(wakeUps).toBe(1);
    } finally {
      gw.ctx.onDeliveriesChanged = undefined;
    }
    const statuses = async (id: string) => (await gw.call('GET', `/v1/destinations/${id}`, { key: project.key })).body;
    expect(await statuses(a.id)).toMatchObject({ status: 'active', status_reason: null, status_hint: null });
    expect(await statuses(b)).toMatchObject({ status: 'active' });
    expect(await statuses(c)).toMatchObject({ status: 'needs_attention', status_reason: 'is_archived' });
    expect((await gw.call('GET', `/v1/connections/${a.connection}`, { key: project.key })).body.status).toBe('active');
  });

  it('a disabled destination can be tested and stays disabled', async () => {
    const ws = await workspace();
    const { id } = await channelDestination(ws);
    await gw.call('POST', `/v1/destinations/${id}/disable`, { key: project.key });
    expect(await test(id)).toMatchObject({ ok: true, destination_status: 'disabled' });
  });

  it('when Slack says slow down: says how long to wait and pauses the destination’s queue as long', async () => {
    const ws = await workspace();
    await slack.control.setRateLimits(ws.team_id, { channel_burst: 1, channel_per_second: 0.02 });
    const { id } = await channelDestination(ws);
    expect((await test(id)).ok).toBe(true);
    const answer = await test(id);
    expect(answer).toMatchObject({ ok: false, outcome: 'rate_limited', destination_status: 'active' });
    const wait = Number(/wait (\d+) s/.exec(answer.hint)?.[1]);
    expect(wait).toBeGreaterThan(10);
    const { rows } = await gw.ctx.db.query<{ seconds: number }>(
      `SELECT extract(epoch FROM paused_until - now())::float8 AS seconds FROM pacing_buckets WHERE key = $1`,
      [`dst:${id}`],
    );
    expect(rows[0].seconds).toBeGreaterThan(wait - 5);
  });

  it('when Slack has a server error: says it is temporary, and changes nothing', async () => {
    const ws = await workspace();
    const { id } = await channelDestination(ws);
    await slack.control.addFault({ method: 'chat.postMessage', kind: 'http_error', status: 503, team_id: ws.team_id });
    const answer = await test(id);
    expect(answer).toMatchObject({ ok: false, outcome: 'retry', error: 'http_503', destination_status: 'active' });
    expect(answer.hint).toContain('temporary problem');
  });

  it('when the webhook host cannot be reached: says to check the URL', async () => {
    const closed = await startEmulator({ empty: true });
    const url = `${closed.url}/services/T0GONE/B0GONE/gonesecret`;
    await closed.close();
    const local = await createTestGateway(kind, { allowedWebhookOrigins: [new URL(url).origin] });
    try {
      const p = await local.createProject();
      const created = await local.call('POST', '/v1/destinations', { key: p.key, body: { name: 'gone', kind: 'webhook', webhook_url: url, subscriptions: ['*'] } });
      const res = await local.call('POST', `/v1/destinations/${created.body.id}/test`, { key: p.key });
      expect(res.body).toMatchObject({ ok: false, outcome: 'retry', destination_status: 'active' });
      expect(res.body.hint).toContain('Could not connect to the webhook URL');
    } finally {
      await local.close();
    }
  });

  it('answers 404 for another project’s destination', async () => {
    const ws = await workspace();
    const { id } = await channelDestination(ws);
    const other = await gw.createProject('Other');
    expect((await gw.call('POST', `/v1/destinations/${id}/test`, { key: other.key })).status).toBe(404);
    expect((await slack.control.messages(ws.team_id, 'ops')).messages).toHaveLength(0);
  });
});
