/**
 * After "Connect Slack": the channel picker (postable channels by granted scopes, Slack's cursor
 * paging, a one-minute cache), user lookup by email for DM destinations, a token Slack stops
 * accepting, and disconnect — revoked at Slack, tokens deleted, destinations paused with history
 * kept — then reconnecting resumes them. On every database engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreshBotToken } from '../../src/connections/get-fresh-bot-token.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createInstallRig, databaseText, emulatorInstallation, installSlack, type InstallRig } from './connect-slack-rig.ts';

async function authTest(rig: InstallRig, token: string): Promise<{ ok: boolean; error?: string }> {
  return (await fetch(`${rig.slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json();
}

async function conversationsListCalls(rig: InstallRig): Promise<number> {
  return (await rig.slack.control.counters()).calls['conversations.list'] ?? 0;
}

describe.each(databaseKinds)('channel picker and user lookup on %s', (kind) => {
  let rig: InstallRig;
  let project: { id: string; key: string };
  let connection: any;

  beforeAll(async () => {
    rig = await createInstallRig(kind, { features: ['channel_picker', 'public_channels', 'dm'] });
    project = await rig.gw.createProject();
    connection = await installSlack(rig, project.key);
    // A private channel the app was invited to, and one it was not.
    await rig.slack.control.createChannel(rig.team, { name: 'ops-private', is_private: true, members: ['alice', connection.bot_user_id] });
    await rig.slack.control.createChannel(rig.team, { name: 'hr-private', is_private: true, members: ['alice'], bot_member: false });
    await rig.slack.control.setChannelArchived(rig.team, 'random', true);
  });
  afterAll(async () => rig?.close());

  const channelsPath = (query = '') => `/v1/connections/${connection.id}/channels${query}`;

  it('lists the public channels and the invited private ones, not archived ones or private ones it is not in', async () => {
    const res = await rig.gw.call('GET', channelsPath(), { key: project.key });
    expect(res.status).toBe(200);
    const names = res.body.channels.map((c: any) => c.name);
    expect(names).toEqual(expect.arrayContaining(['general', 'alerts', 'deployments', 'approvals', 'ops-private']));
    expect(names).not.toContain('random');
    expect(names).not.toContain('hr-private');
    expect(names).not.toContain('leadership');
    // An OAuth install joins no channel: public ones are reached through chat:write.public.
    expect(res.body.channels.find((c: any) => c.name === 'alerts')).toMatchObject({ is_private: false, is_member: false, post_via: 'chat:write.public' });
    expect(res.body.channels.find((c: any) => c.name === 'ops-private')).toMatchObject({ is_private: true, is_member: true, post_via: 'member' });
    expect(res.body.next_cursor).toBeNull();
  });

  it('pages with Slack’s cursor: every channel once across the pages', async () => {
    const all = (await rig.gw.call('GET', channelsPath(), { key: project.key })).body.channels.map((c: any) => c.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await rig.gw.call('GET', channelsPath(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), { key: project.key });
      expect(res.status).toBe(200);
      expect(res.body.channels.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.channels.map((c: any) => c.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(all);
  });

  it('answers from a one-minute cache, then asks Slack again and sees new channels', async () => {
    await rig.gw.call('GET', channelsPath(), { key: project.key });
    const calls = await conversationsListCalls(rig);
    await rig.slack.control.createChannel(rig.team, { name: 'launches' });
    const cached = await rig.gw.call('GET', channelsPath(), { key: project.key });
    expect(await conversationsListCalls(rig)).toBe(calls);
    expect(cached.body.channels.map((c: any) => c.name)).not.toContain('launches');
    rig.gw.clock.advance(61_000);
    const fresh = await rig.gw.call('GET', channelsPath(), { key: project.key });
    expect(await conversationsListCalls(rig)).toBe(calls + 1);
    expect(fresh.body.channels.map((c: any) => c.name)).toContain('launches');
  });

  it('turns a picked channel into a destination that receives events', async () => {
    const picked = (await rig.gw.call('GET', channelsPath(), { key: project.key })).body.channels.find((c: any) => c.name === 'approvals');
    const dst = await rig.gw.call('POST', '/v1/destinations', { key: project.key, body: { name: 'approvals', kind: 'channel', connection_id: connection.id, channel_id: picked.id, subscriptions: ['*'] } });
    expect(dst.status).toBe(201);
    const test = await rig.gw.call('POST', `/v1/destinations/${dst.body.id}/test`, { key: project.key, body: {} });
    expect(test.status).toBe(200);
    expect(test.body.ok).toBe(true);
    expect((await rig.slack.control.messages(rig.team, 'approvals')).messages.some((m) => m.app_id === rig.app.app_id)).toBe(true);
  });

  it('finds a person by email and opens a DM with them', async () => {
    const res = await rig.gw.call('GET', `/v1/connections/${connection.id}/users/lookup?email=bob%40example.com`, { key: project.key });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: rig.slack.defaultWorkspace.users.bob, name: 'bob', is_bot: false });
    expect(res.body.dm_channel_id).toMatch(/^D/);
    const dst = await rig.gw.call('POST', '/v1/destinations', { key: project.key, body: { name: 'bob', kind: 'dm', connection_id: connection.id, user_id: res.body.user.id, subscriptions: ['*'] } });
    expect(dst.status).toBe(201);

    const missing = await rig.gw.call('GET', `/v1/connections/${connection.id}/users/lookup?email=nobody%40example.com`, { key: project.key });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('slack_user_not_found');
    const invalid = await rig.gw.call('GET', `/v1/connections/${connection.id}/users/lookup?email=bob`, { key: project.key });
    expect(invalid.status).toBe(400);
    expect((await rig.gw.call('GET', `/v1/connections/${connection.id}/users/lookup`, { key: project.key })).status).toBe(400);
  });

  it('hides another project’s connection entirely', async () => {
    const other = await rig.gw.createProject('Other');
    expect((await rig.gw.call('GET', channelsPath(), { key: other.key })).status).toBe(404);
    expect((await rig.gw.call('GET', `/v1/connections/${connection.id}/users/lookup?email=bob%40example.com`, { key: other.key })).status).toBe(404);
    expect((await rig.gw.call('POST', `/v1/connections/${connection.id}/disconnect`, { key: other.key })).status).toBe(404);
  });

  it('pauses the connection when Slack stops accepting its token', async () => {
    const token = await getFreshBotToken(rig.gw.ctx, connection.id);
    await rig.slack.control.revokeToken(token);
    rig.gw.clock.advance(61_000);
    const res = await rig.gw.call('GET', channelsPath(), { key: project.key });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'slack_connection_broken', details: { slack_error: 'token_revoked' } });
    const after = (await rig.gw.call('GET', `/v1/connections/${connection.id}`, { key: project.key })).body;
    expect(after).toMatchObject({ status: 'needs_attention', status_reason: 'token_revoked' });
    const destinations = (await rig.gw.call('GET', '/v1/destinations', { key: project.key })).body.destinations;
    expect(destinations.filter((d: any) => d.connection_id === connection.id).every((d: any) => d.status === 'needs_attention')).toBe(true);
  });
});

describe.each(databaseKinds)('picker permissions on %s', (kind) => {
  it('says which feature to turn on when the install cannot list channels or look people up', async () => {
    const rig = await createInstallRig(kind, { features: [] });
    try {
      const project = await rig.gw.createProject();
      const connection = await installSlack(rig, project.key);
      expect(connection.scopes).toEqual(['chat:write']);
      const channels = await rig.gw.call('GET', `/v1/connections/${connection.id}/channels`, { key: project.key });
      expect(channels.status).toBe(409);
      expect(channels.body.error.code).toBe('slack_scope_missing');
      expect(channels.body.error.message).toContain('channel_picker');
      const lookup = await rig.gw.call('GET', `/v1/connections/${connection.id}/users/lookup?email=bob%40example.com`, { key: project.key });
      expect(lookup.status).toBe(409);
      expect(lookup.body.error).toMatchObject({ code: 'slack_scope_missing', details: { needed: 'users:read.email' } });
      expect(lookup.body.error.message).toContain('dm');
    } finally {
      await rig.close();
    }
  });
});

describe.each(databaseKinds)('disconnect on %s', (kind) => {
  let rig: InstallRig;
  let project: { id: string; key: string };
  let connection: any;
  let channelDst: any;
  let webhookDst: any;

  beforeAll(async () => {
    rig = await createInstallRig(kind);
    project = await rig.gw.createProject();
    connection = await installSlack(rig, project.key, { webhookChannel: rig.slack.defaultWorkspace.channels.general });
    channelDst = (await rig.gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'alerts', kind: 'channel', connection_id: connection.id, channel_id: rig.slack.defaultWorkspace.channels.alerts, subscriptions: ['*'] },
    })).body;
    webhookDst = (await rig.gw.call('GET', '/v1/destinations', { key: project.key })).body.destinations.find((d: any) => d.kind === 'webhook');
    expect(webhookDst).toBeDefined();
  });
  afterAll(async () => rig?.close());

  it('revokes the token at Slack, deletes it, and pauses every destination of the connection', async () => {
    const token = (await emulatorInstallation(rig)).bot_token;
    expect((await authTest(rig, token)).ok).toBe(true);
    const accepted = await rig.gw.call('POST', '/v1/events', { key: project.key, body: { type: 'alert.triggered', data: { service: 'api', title: 'before' } } });
    expect(accepted.status).toBe(202);

    const res = await rig.gw.call('POST', `/v1/connections/${connection.id}/disconnect`, { key: project.key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slack_revoked: true, revoke_note: null, destinations_paused: 2 });
    expect(res.body.connection).toMatchObject({ status: 'disconnected', status_reason: 'disconnected', status_hint: 'Reconnect Slack to resume' });
    expect(await authTest(rig, token)).toEqual(expect.objectContaining({ ok: false, error: 'token_revoked' }));

    const { rows } = await rig.gw.ctx.db.query<{ bot_token_sealed: string | null; refresh_token_sealed: string | null }>('SELECT bot_token_sealed, refresh_token_sealed FROM connections WHERE id = $1', [connection.id]);
    expect(rows[0]).toEqual({ bot_token_sealed: null, refresh_token_sealed: null });
    const { rows: hooks } = await rig.gw.ctx.db.query<{ webhook_url_sealed: string | null }>('SELECT webhook_url_sealed FROM destinations WHERE id = $1', [webhookDst.id]);
    expect(hooks[0].webhook_url_sealed).toBeNull();

    for (const id of [channelDst.id, webhookDst.id]) {
      const d = (await rig.gw.call('GET', `/v1/destinations/${id}`, { key: project.key })).body;
      expect(d).toMatchObject({ status: 'needs_attention', status_reason: 'disconnected', status_hint: 'Reconnect Slack to resume' });
    }
    // History stays: the event accepted before is still there.
    expect((await rig.gw.call('GET', `/v1/events/${accepted.body.event.id}`, { key: project.key })).status).toBe(200);
    await expect(getFreshBotToken(rig.gw.ctx, connection.id)).rejects.toMatchObject({ code: 'connection_disconnected' });
    expect((await rig.gw.call('GET', `/v1/connections/${connection.id}/channels`, { key: project.key })).body.error.code).toBe('connection_disconnected');
  });

  it('is idempotent', async () => {
    const again = await rig.gw.call('POST', `/v1/connections/${connection.id}/disconnect`, { key: project.key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ slack_revoked: false, destinations_paused: 0, connection: { status: 'disconnected' } });
  });

  it('resumes the paused destinations when Slack is connected again', async () => {
    const again = await installSlack(rig, project.key, { webhookChannel: rig.slack.defaultWorkspace.channels.general });
    expect(again.id).toBe(connection.id);
    expect(again.status).toBe('active');
    for (const id of [channelDst.id, webhookDst.id]) {
      expect((await rig.gw.call('GET', `/v1/destinations/${id}`, { key: project.key })).body).toMatchObject({ status: 'active', status_reason: null });
    }
    expect((await authTest(rig, await getFreshBotToken(rig.gw.ctx, connection.id))).ok).toBe(true);
  });

  it('does not revoke a token another project still uses', async () => {
    const other = await rig.gw.createProject('Other');
    const theirs = await installSlack(rig, other.key);
    const res = await rig.gw.call('POST', `/v1/connections/${connection.id}/disconnect`, { key: project.key });
    expect(res.body.slack_revoked).toBe(false);
    expect(res.body.revoke_note).toContain('another project');
    expect((await authTest(rig, await getFreshBotToken(rig.gw.ctx, theirs.id))).ok).toBe(true);
    expect((await rig.gw.call('GET', `/v1/connections/${theirs.id}/channels`, { key: other.key })).status).toBe(200);
    expect(await databaseText(rig)).not.toContain((await emulatorInstallation(rig)).bot_token);
  });
});
