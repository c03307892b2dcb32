/**
 * Every answer that means "this destination cannot take messages until a person fixes it": the
 * destination becomes needs_attention with a hint in plain words, its line is held (the failed
 * message and every later one wait, none is dropped or marked failed), and once fixed the whole
 * line goes out in order. Each test name says what broke it and what fixed it:
 * - a token problem (the whole connection) is fixed by connecting the workspace again with a
 *   working bot token (POST /v1/connections) and confirming with a test message;
 * - a wrong or dead address is fixed by giving the destination a new one (PATCH);
 * - a channel or workspace state is fixed in Slack, then confirmed with the destination's test
 *   message (POST /v1/destinations/{id}/test), which puts it back to active.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKEN_DESTINATION_HINTS, WEBHOOK_HINTS } from '../../src/slack/slack-error-hints.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, range, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

describe.each(databaseKinds)('broken destinations on %s', (kind) => {
  let s: DeliveryStack;
  let workspaces = 0;
  beforeAll(async () => {
    s = await startDeliveryStack(kind);
  });
  afterAll(async () => s?.close());

  /** A workspace of its own with the app installed and an #ops channel, connected to the project. */
  async function connectedWorkspace(app: { scopes?: string[]; token_rotation?: boolean; token_lifetime_seconds?: number } = {}) {
    const ws = await s.slack.control.createWorkspace({
      name: `Broken ${++workspaces}`,
      apps: [{ name: `Switchboard ${workspaces}`, ...app }],
      channels: [{ name: 'ops', bot_member: true }],
    });
    const install = ws.apps[0];
    const connection = await s.api('POST', '/v1/connections', { bot_token: install.bot_token });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    return { teamId: ws.team_id, appId: install.app_id, token: install.bot_token, channel: ws.channels.find((c) => c.name === 'ops')!.id, connectionId: connection.body.id as string };
  }

  /** Connects the workspace again with a working token, then confirms with a test message. */
  async function reconnect(token: string, destinationId: string): Promise<void> {
    const res = await s.api('POST', '/v1/connections', { bot_token: token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await testMessage(destinationId);
  }

  /** A new bot token for the app: Slack issues one on a fresh install (the old one stays dead). */
  async function freshToken(ws: { teamId: string; appId: string }): Promise<string> {
    await s.slack.control.uninstall(ws.teamId, ws.appId).catch(() => {}); // already uninstalled is fine
    return (await s.slack.control.install(ws.teamId, { app_id: ws.appId, join_channels: ['ops'] })).bot_token;
  }

  async function testMessage(destinationId: string): Promise<void> {
    const res = await s.api('POST', `/v1/destinations/${destinationId}/test`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.ok, JSON.stringify(res.body)).toBe(true);
  }

  /**
   * Sends #1..#3 to the line, checks it gets held with the error and hint, sends #4 while held,
   * applies the fix, and checks #1..#4 arrive in order with nothing lost.
   */
  async function heldThenFixed(options: {
    line: string;
    destinationId: string;
    error: string;
    hint: string;
    read: { channel: string; teamId?: string };
    fix: () => Promise<void>;
  }): Promise<void> {
    const { line, destinationId, error, hint } = options;
    await s.send(line, 1, 3);
    const destination = await eventually(async () => {
      const d = await s.destination(destinationId);
      expect(d.status).toBe('needs_attention');
      return d;
    });
    expect(destination.status_reason).toBe(error);
    expect(destination.status_hint).toBe(hint);

    // Held: the message Slack refused is back at the head of the line, with the reason; the rest wait behind it.
    const held = await s.deliveries(destinationId);
    expect(held.map((d) => [d.n, d.status])).toEqual([[1, 'pending'], [2, 'pending'], [3, 'pending']]);
    expect(held[0].last_error).toBe(error);
    expect(held[0].outcome_hint).toBe(hint);
    expect(held[0].attempts, 'a hold is not a failed attempt').toBe(0);
    const attempts = await s.attempts(destinationId);
    expect(attempts.map((a) => [a.n, a.outcome, a.error])).toEqual([[1, 'destination_broken', error]]);
    const listed = await s.api('GET', `/v1/deliveries?destination_id=${destinationId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries.map((d: { status: string }) => d.status)).toEqual(['held', 'held', 'held']);

    await s.send(line, 4);
    expect((await s.deliveries(destinationId)).map((d) => d.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(await s.posted(options.read.channel, line, options.read.teamId)).toEqual([]);

    await options.fix();
    await eventually(async () => expect(await s.posted(options.read.channel, line, options.read.teamId)).toEqual(range(1, 4)));
    await eventually(async () => expect((await s.deliveries(destinationId)).map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']));
    expect((await s.destination(destinationId)).status).toBe('active');
  }

  describe('bot token (the whole connection)', () => {
    it('invalid_auth: connection and destination need attention; fixed by connecting again and a test message', async () => {
      const ws = await connectedWorkspace();
      const destinationId = await s.channelLine('invalid-auth', ws.channel, ws.connectionId);
      // Slack stops recognising the token (e.g. the app was reinstalled elsewhere): answered once.
      s.slack.emulator.faults.add({ method: 'chat.postMessage', team_id: ws.teamId, kind: 'slack_error', error: 'invalid_auth' });
      await heldThenFixed({
        line: 'invalid-auth',
        destinationId,
        error: 'invalid_auth',
        hint: BROKEN_DESTINATION_HINTS.invalid_auth,
        read: { channel: ws.channel, teamId: ws.teamId },
        fix: async () => {
          const connection = (await s.api('GET', `/v1/connections/${ws.connectionId}`)).body;
          expect([connection.status, connection.status_reason]).toEqual(['needs_attention', 'invalid_auth']);
          await reconnect(ws.token, destinationId);
        },
      });
    });

    it('token_revoked: fixed by installing the app again, connecting with the new token and a test message', async () => {
      const ws = await connectedWorkspace();
      const destinationId = await s.channelLine('token-revoked', ws.channel, ws.connectionId);
      await s.slack.control.revokeToken(ws.token);
      await heldThenFixed({
        line: 'token-revoked',
        destinationId,
        error: 'token_revoked',
        hint: BROKEN_DESTINATION_HINTS.token_revoked,
        read: { channel: ws.channel, teamId: ws.teamId },
        // Revoking a bot token also takes the bot out of its channels; the new install joins #ops.
        fix: async () => reconnect(await freshToken(ws), destinationId),
      });
    });

    it('account_inactive (app uninstalled): fixed by reinstalling, connecting with the new token and a test message', async () => {
      const ws = await connectedWorkspace();
      const destinationId = await s.channelLine('uninstalled', ws.channel, ws.connectionId);
      await s.slack.control.uninstall(ws.teamId, ws.appId);
      await heldThenFixed({
        line: 'uninstalled',
        destinationId,
        error: 'account_inactive',
        hint: BROKEN_DESTINATION_HINTS.account_inactive,
        read: { channel: ws.channel, teamId: ws.teamId },
        fix: async () => reconnect(await freshToken(ws), destinationId),
      });
    });

    it('token_expired (a rotating token with no refresh token to renew it): fixed by connecting a fresh token and a test message', async () => {
      const ws = await connectedWorkspace({ token_rotation: true, token_lifetime_seconds: 600 });
      expect(ws.token.startsWith('xoxe.xoxb-')).toBe(true);
      const destinationId = await s.channelLine('token-expired', ws.channel, ws.connectionId);
      await s.slack.control.advanceClock(601_000);
      await heldThenFixed({
        line: 'token-expired',
        destinationId,
        error: 'token_expired',
        hint: BROKEN_DESTINATION_HINTS.token_expired,
        read: { channel: ws.channel, teamId: ws.teamId },
        fix: async () => reconnect(await freshToken(ws), destinationId),
      });
    });
  });

  describe('channel (this destination only)', () => {
    it('channel_not_found (channel deleted): fixed by pointing the destination at another channel (PATCH channel_id)', async () => {
      const doomed = await s.slack.control.createChannel(s.teamId, { name: 'doomed' });
      const destinationId = await s.channelLine('deleted-channel', doomed.id);
      await s.slack.control.deleteChannel(s.teamId, doomed.id);
      const { channels } = s.slack.defaultWorkspace;
      await heldThenFixed({
        line: 'deleted-channel',
        destinationId,
        error: 'channel_not_found',
        hint: BROKEN_DESTINATION_HINTS.channel_not_found,
        read: { channel: channels.approvals },
        fix: async () => {
          const res = await s.api('PATCH', `/v1/destinations/${destinationId}`, { channel_id: channels.approvals });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
        },
      });
    });

    it('is_archived: fixed by unarchiving the channel in Slack and a successful test message', async () => {
      const channel = await s.slack.control.createChannel(s.teamId, { name: 'archived-later' });
      const destinationId = await s.channelLine('archived', channel.id);
      await s.slack.control.setChannelArchived(s.teamId, channel.id, true);
      await heldThenFixed({
        line: 'archived',
        destinationId,
        error: 'is_archived',
        hint: BROKEN_DESTINATION_HINTS.is_archived,
        read: { channel: channel.id },
        fix: async () => {
          await s.slack.control.setChannelArchived(s.teamId, channel.id, false);
          await testMessage(destinationId);
        },
      });
    });

    it('not_in_channel without channels:join: fixed by inviting the bot and a successful test message', async () => {
      // Only chat:write: no chat:write.public (which would let it post without joining), no channels:join.
      const ws = await connectedWorkspace({ scopes: ['chat:write'] });
      const outside = await s.slack.control.createChannel(ws.teamId, { name: 'outside', bot_member: false });
      const destinationId = await s.channelLine('not-in-channel', outside.id, ws.connectionId);
      await heldThenFixed({
        line: 'not-in-channel',
        destinationId,
        error: 'not_in_channel',
        hint: BROKEN_DESTINATION_HINTS.not_in_channel,
        read: { channel: outside.id, teamId: ws.teamId },
        fix: async () => {
          await s.slack.control.setBotMember(ws.teamId, outside.id, true);
          await testMessage(destinationId);
        },
      });
    });

    it('not_in_channel with channels:join: the bot joins the channel and the message goes, nothing held', async () => {
      const ws = await connectedWorkspace({ scopes: ['chat:write', 'channels:join'] });
      const outside = await s.slack.control.createChannel(ws.teamId, { name: 'outside', bot_member: false });
      const destinationId = await s.channelLine('joins', outside.id, ws.connectionId);
      await s.send('joins', 1, 3);
      await eventually(async () => expect(await s.posted(outside.id, 'joins', ws.teamId)).toEqual(range(1, 3)));
      expect((await s.slack.control.workspace(ws.teamId)).channels.find((c) => c.id === outside.id)?.bot_member).toBe(true);
      expect((await s.destination(destinationId)).status).toBe('active');
      const { rows } = await s.gw.ctx.db.query<{ request: { joined_channel?: boolean } }>(
        `SELECT a.request FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE a.destination_id = $1 ORDER BY d.seq`,
        [destinationId],
      );
      expect(rows.map((r) => r.request.joined_channel ?? false)).toEqual([true, false, false]);
    });

    it('not_in_channel with channels:join but the join refused: held as not_in_channel; fixed by inviting the bot and a test message', async () => {
      const ws = await connectedWorkspace({ scopes: ['chat:write', 'channels:join'] });
      const outside = await s.slack.control.createChannel(ws.teamId, { name: 'outside', bot_member: false });
      const destinationId = await s.channelLine('join-refused', outside.id, ws.connectionId);
      // conversations.join refuses what it cannot join, e.g. a channel type it does not support [REF].
      s.slack.emulator.faults.add({ method: 'conversations.join', team_id: ws.teamId, kind: 'slack_error', error: 'method_not_supported_for_channel_type' });
      await heldThenFixed({
        line: 'join-refused',
        destinationId,
        error: 'not_in_channel',
        hint: BROKEN_DESTINATION_HINTS.not_in_channel,
        read: { channel: outside.id, teamId: ws.teamId },
        fix: async () => {
          const { rows } = await s.gw.ctx.db.query<{ request: { join_refused?: string } }>(
            'SELECT request FROM delivery_attempts WHERE destination_id = $1 AND delivery_id IS NOT NULL',
            [destinationId],
          );
          expect(rows.map((r) => r.request.join_refused)).toEqual(['method_not_supported_for_channel_type']);
          await s.slack.control.setBotMember(ws.teamId, outside.id, true);
          await testMessage(destinationId);
        },
      });
    });
  });

  describe('incoming webhooks', () => {
    const hookUrl = (base: string, change: (parts: string[]) => void) => {
      const u = new URL(base);
      const parts = u.pathname.split('/'); // ['', 'services', T, B, secret]
      change(parts);
      u.pathname = parts.join('/');
      return u.toString();
    };

    it('no_service (webhook removed): fixed by pasting a new webhook URL (PATCH webhook_url)', async () => {
      const { channels } = s.slack.defaultWorkspace;
      const hook = await s.slack.control.createWebhook(s.teamId, { channel: channels.deployments });
      const destinationId = await s.webhookLine('removed-hook', hook.url);
      await s.slack.control.removeWebhook(hook.id);
      await heldThenFixed({
        line: 'removed-hook',
        destinationId,
        error: 'no_service',
        hint: BROKEN_DESTINATION_HINTS.no_service,
        read: { channel: channels.deployments },
        fix: async () => {
          const fresh = await s.slack.control.createWebhook(s.teamId, { channel: channels.deployments });
          const res = await s.api('PATCH', `/v1/destinations/${destinationId}`, { webhook_url: fresh.url });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
        },
      });
    });

    it('invalid_token (wrong secret in the URL): fixed by pasting the right URL', async () => {
      const { channels, webhookUrl } = s.slack.defaultWorkspace;
      const destinationId = await s.webhookLine('bad-secret', hookUrl(webhookUrl, (p) => (p[4] = 'NotTheRightSecret0000')));
      await heldThenFixed({
        line: 'bad-secret',
        destinationId,
        error: 'invalid_token',
        hint: BROKEN_DESTINATION_HINTS.invalid_token,
        read: { channel: channels.alerts },
        fix: async () => {
          expect((await s.api('PATCH', `/v1/destinations/${destinationId}`, { webhook_url: webhookUrl })).status).toBe(200);
        },
      });
    });

    it('no_team (URL of a workspace that does not exist): fixed by pasting the right URL', async () => {
      const { channels, webhookUrl } = s.slack.defaultWorkspace;
      const destinationId = await s.webhookLine('no-team', hookUrl(webhookUrl, (p) => (p[2] = 'T0GONE000')));
      await heldThenFixed({
        line: 'no-team',
        destinationId,
        error: 'no_team',
        hint: BROKEN_DESTINATION_HINTS.no_team,
        read: { channel: channels.alerts },
        fix: async () => {
          expect((await s.api('PATCH', `/v1/destinations/${destinationId}`, { webhook_url: webhookUrl })).status).toBe(200);
        },
      });
    });

    it('team_disabled: fixed by the workspace being enabled again and a successful test message', async () => {
      const ws = await s.slack.control.createWorkspace({ name: 'Disabled later', apps: [{ name: 'Hooks' }], channels: [{ name: 'ops' }], webhooks: [{ channel: 'ops' }] });
      const destinationId = await s.webhookLine('team-disabled', ws.webhooks[0].url);
      await s.slack.control.setWorkspaceDisabled(ws.team_id, true);
      await heldThenFixed({
        line: 'team-disabled',
        destinationId,
        error: 'team_disabled',
        hint: WEBHOOK_HINTS.team_disabled,
        read: { channel: ws.webhooks[0].channel_id, teamId: ws.team_id },
        fix: async () => {
          await s.slack.control.setWorkspaceDisabled(ws.team_id, false);
          await testMessage(destinationId);
        },
      });
    });

    it("channel_is_archived (the webhook's channel): fixed by unarchiving it and a successful test message", async () => {
      const channel = await s.slack.control.createChannel(s.teamId, { name: 'hook-archived' });
      const hook = await s.slack.control.createWebhook(s.teamId, { channel: channel.id });
      const destinationId = await s.webhookLine('hook-archived', hook.url);
      await s.slack.control.setChannelArchived(s.teamId, channel.id, true);
      await heldThenFixed({
        line: 'hook-archived',
        destinationId,
        error: 'channel_is_archived',
        hint: BROKEN_DESTINATION_HINTS.channel_is_archived,
        read: { channel: channel.id },
        fix: async () => {
          await s.slack.control.setChannelArchived(s.teamId, channel.id, false);
          await testMessage(destinationId);
        },
      });
    });

    it('action_prohibited (an admin restriction): fixed once lifted, confirmed by a successful test message', async () => {
      const { channels } = s.slack.defaultWorkspace;
      const hook = await s.slack.control.createWebhook(s.teamId, { channel: channels.general });
      const destinationId = await s.webhookLine('prohibited', hook.url);
      // Slack: "an admin has placed some kind of restriction ... the request should not be attempted again" [CL-2016].
      s.slack.emulator.faults.add({ webhook: hook.id, kind: 'slack_error', error: 'action_prohibited', count: 1 });
      await heldThenFixed({
        line: 'prohibited',
        destinationId,
        error: 'action_prohibited',
        hint: BROKEN_DESTINATION_HINTS.action_prohibited,
        read: { channel: channels.general },
        fix: () => testMessage(destinationId),
      });
    });

    it("channel_not_found (the webhook's channel deleted): the hint says to make a new webhook, not to pick a channel", async () => {
      const channel = await s.slack.control.createChannel(s.teamId, { name: 'hook-deleted' });
      const hook = await s.slack.control.createWebhook(s.teamId, { channel: channel.id });
      const destinationId = await s.webhookLine('hook-channel-gone', hook.url);
      await s.slack.control.deleteChannel(s.teamId, channel.id);
      const { channels } = s.slack.defaultWorkspace;
      await heldThenFixed({
        line: 'hook-channel-gone',
        destinationId,
        error: 'channel_not_found',
        hint: WEBHOOK_HINTS.channel_not_found,
        read: { channel: channels.random },
        fix: async () => {
          const fresh = await s.slack.control.createWebhook(s.teamId, { channel: channels.random });
          expect((await s.api('PATCH', `/v1/destinations/${destinationId}`, { webhook_url: fresh.url })).status).toBe(200);
        },
      });
    });
  });
});
