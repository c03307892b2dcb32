/**
 * Token rotation with the emulator issuing 60-second tokens: ten minutes of simulated time (one
 * ManualClock moves the gateway and the emulator) of posting through the Web API transport with
 * tokens from getFreshBotToken, and no send fails. A refresh happens once however many callers
 * (and, on PostgreSQL, processes) ask at the same moment; two projects on one installation keep
 * working; a refused refresh pauses the connection; an unreachable Slack does not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresDatabase } from '../../src/db/postgres-database.ts';
import { getFreshBotToken } from '../../src/connections/get-fresh-bot-token.ts';
import { WebApiTransport } from '../../src/slack/web-api-transport.ts';
import { eventually } from '../delivery/delivery-stack.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createInstallRig, databaseText, emulatorInstallation, installSlack, type InstallRig } from './connect-slack-rig.ts';

const LIFETIME_S = 60;

async function refreshCalls(rig: InstallRig): Promise<number> {
  return (await rig.slack.control.counters()).calls['oauth.v2.access'] ?? 0;
}

/** Moves both clocks to the moment the connection's token is due for refresh. */
async function advanceToRefresh(rig: InstallRig, connectionId: string): Promise<void> {
  const { rows } = await rig.gw.ctx.db.query<{ due: number }>('SELECT (extract(epoch FROM token_refresh_due_at) * 1000)::float8 AS due FROM connections WHERE id = $1', [connectionId]);
  rig.gw.clock.set(Number(rows[0].due));
}

describe.each(databaseKinds)('token rotation on %s', (kind) => {
  let rig: InstallRig;
  afterEach(async () => rig?.close());

  it('sends for ten minutes of 60-second tokens without one failed send, refreshing before expiry', async () => {
    rig = await createInstallRig(kind, { tokenLifetimeSeconds: LIFETIME_S });
    const project = await rig.gw.createProject();
    const connection = await installSlack(rig, project.key);
    expect(connection.token_expires_at).not.toBeNull();
    const inst = await emulatorInstallation(rig);
    expect(inst.bot_token.startsWith('xoxe.xoxb-')).toBe(true);
    expect(await databaseText(rig)).not.toContain(inst.refresh_token!);

    const transport = new WebApiTransport({ slackApiUrl: rig.slack.apiUrl, timeoutMs: 5000 });
    const channel = rig.slack.defaultWorkspace.channels.alerts;
    const used = new Set<string>();
    let sends = 0;
    for (let second = 0; second <= 600; second += 5) {
      const token = await getFreshBotToken(rig.gw.ctx, connection.id);
      used.add(token);
      const report = await transport.send({ kind: 'channel', token, channel, scopes: connection.scopes }, { text: `tick ${second}` });
      expect(report.outcome, `send at ${second} s`).toMatchObject({ kind: 'sent' });
      sends++;
      rig.gw.clock.advance(5000);
    }
    const posted = (await rig.slack.control.messages(rig.team, 'alerts')).messages.filter((m) => m.text.startsWith('tick '));
    expect(posted).toHaveLength(sends);
    // 600 s of 60 s tokens: at least one new token per lifetime, and each came from one refresh
    // (plus the install's code exchange).
    expect(used.size).toBeGreaterThanOrEqual(600 / LIFETIME_S);
    expect(await refreshCalls(rig)).toBe(used.size);
    const after = (await rig.gw.call('GET', `/v1/connections/${connection.id}`, { key: project.key })).body;
    expect(after.status).toBe('active');
    expect(Date.parse(after.token_expires_at)).toBeGreaterThan(rig.gw.clock.now());
  });

  it('refreshes once when many callers find the token due at the same moment', async () => {
    rig = await createInstallRig(kind, { tokenLifetimeSeconds: LIFETIME_S });
    const project = await rig.gw.createProject();
    const connection = await installSlack(rig, project.key);
    const first = await getFreshBotToken(rig.gw.ctx, connection.id);
    await advanceToRefresh(rig, connection.id);
    const before = await refreshCalls(rig);

    // On PostgreSQL a second pool stands for a second Switchboard process on the same database.
    const second = kind === 'postgres' ? await openPostgresDatabase({ connectionString: rig.gw.database.url! }) : undefined;
    try {
      const callers = Array.from({ length: 8 }, (_, i) => getFreshBotToken(second && i % 2 ? { ...rig.gw.ctx, db: second } : rig.gw.ctx, connection.id));
      const tokens = await Promise.all(callers);
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(first);
      expect(await refreshCalls(rig)).toBe(before + 1);
      const { ok } = await fetch(`${rig.slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${tokens[0]}` } }).then((r) => r.json());
      expect(ok).toBe(true);
    } finally {
      await second?.close();
    }
  });

  it('keeps two projects connected to one installation working while tokens rotate', async () => {
    rig = await createInstallRig(kind, { tokenLifetimeSeconds: LIFETIME_S });
    const a = await rig.gw.createProject('A');
    const b = await rig.gw.createProject('B');
    const ca = await installSlack(rig, a.key);
    const cb = await installSlack(rig, b.key);
    const transport = new WebApiTransport({ slackApiUrl: rig.slack.apiUrl, timeoutMs: 5000 });
    const channel = rig.slack.defaultWorkspace.channels.deployments;
    // Slack keeps "a maximum of 2 active tokens" per installation [D-ROT]: separate refresh chains
    // would revoke each other's tokens. Only project A sends for a while, then both.
    for (let second = 0; second <= 300; second += 10) {
      const connections = second < 200 ? [ca] : [ca, cb];
      for (const c of connections) {
        const token = await getFreshBotToken(rig.gw.ctx, c.id);
        const report = await transport.send({ kind: 'channel', token, channel, scopes: c.scopes }, { text: `${c.project_id} at ${second}` });
        expect(report.outcome, `${c.project_id} at ${second} s`).toMatchObject({ kind: 'sent' });
      }
      rig.gw.clock.advance(10_000);
    }
  });

  it('the delivery worker renews a due token before it sends, so a message after expiry still goes out', async () => {
    rig = await createInstallRig(kind, { tokenLifetimeSeconds: LIFETIME_S, delivery: true });
    const project = await rig.gw.createProject();
    const connection = await installSlack(rig, project.key);
    const type = await rig.gw.call('PUT', '/v1/event-types/ops.release', { key: project.key, body: { template: { text: 'release {{ data.n }}' } } });
    expect(type.status, JSON.stringify(type.body)).toBe(200);
    const dst = await rig.gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'alerts', kind: 'channel', connection_id: connection.id, channel_id: rig.slack.defaultWorkspace.channels.alerts, subscriptions: ['ops.release'] },
    });
    expect(dst.status, JSON.stringify(dst.body)).toBe(201);
    const release = async (n: number) => {
      expect((await rig.gw.call('POST', '/v1/events', { key: project.key, body: { type: 'ops.release', data: { n } } })).status).toBe(202);
      await eventually(async () => {
        const texts = (await rig.slack.control.messages(rig.team, 'alerts')).messages.map((m) => m.text);
        expect(texts).toContain(`release ${n}`);
      });
    };

    await release(1);
    const before = await refreshCalls(rig);
    const old = (await emulatorInstallation(rig)).bot_token;
    // Past the token's lifetime (the emulator keeps the gateway's time): Slack refuses the old one.
    rig.gw.clock.advance((LIFETIME_S + 1) * 1000);
    const refused = await fetch(`${rig.slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${old}` } }).then((r) => r.json());
    expect(refused).toMatchObject({ ok: false, error: 'token_expired' });

    await release(2);
    expect(await refreshCalls(rig)).toBe(before + 1);
    expect((await emulatorInstallation(rig)).bot_token).not.toBe(old);
    const after = (await rig.gw.call('GET', `/v1/destinations/${dst.body.id}`, { key: project.key })).body;
    expect(after.status).toBe('active');
  });

  it('pauses the connection and its bot destinations when Slack refuses the refresh', async () => {
    rig = await createInstallRig(kind, { tokenLifetimeSeconds: LIFETIME_S });
    const project = await rig.gw.createProject();
    const connection = await installSlack(rig, project.key, { webhookChannel: rig.slack.defaultWorkspace.channels.general });
    const dst = await rig.gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'alerts', kind: 'channel', connection_id: connection.id, channel_id: rig.slack.defaultWorkspace.channels.alerts, subscriptions: ['*'] },
    });
    expect(dst.status).toBe(201);
    // Uninstalling the app revokes its refresh tokens: Slack answers invalid_refresh_token.
    await rig.slack.control.uninstall(rig.team, rig.app.app_id);
    await advanceToRefresh(rig, connection.id);
    await expect(getFreshBotToken(rig.gw.ctx, connection.id)).rejects.toMatchObject({ code: 'token_refresh_failed' });

    const after = (await rig.gw.call('GET', `/v1/connections/${connection.id}`, { key: project.key })).body;
    expect(after).toMatchObject({ status: 'needs_attention', status_reason: 'token_refresh_failed' });
    expect(after.status_hint).toContain('Reconnect Slack');
    const destinations = (await rig.gw.call('GET', '/v1/destinations', { key: project.key })).body.destinations;
    expect(destinations.find((d: any) => d.id === dst.body.id)).toMatchObject({ status: 'needs_attention', status_reason: 'token_refresh_failed' });
    // The install's incoming webhook does not use the bot token.
    expect(destinations.find((d: any) => d.kind === 'webhook')).toMatchObject({ status: 'active' });
  });

  it('keeps using the current token while Slack cannot be reached, and refreshes when it can', async () => {
    rig = await createInstallRig(kind, { tokenLifetimeSeconds: LIFETIME_S });
    const project = await rig.gw.createProject();
    const connection = await installSlack(rig, project.key);
    const current = await getFreshBotToken(rig.gw.ctx, connection.id);
    await advanceToRefresh(rig, connection.id);
    await rig.slack.control.addFault({ method: 'oauth.v2.access', kind: 'http_error', status: 503, count: 1 });
    expect(await getFreshBotToken(rig.gw.ctx, connection.id)).toBe(current);
    expect((await rig.gw.call('GET', `/v1/connections/${connection.id}`, { key: project.key })).body.status).toBe('active');

    const renewed = await getFreshBotToken(rig.gw.ctx, connection.id);
    expect(renewed).not.toBe(current);

    // Past expiry with Slack down there is nothing to send with: a retryable error, no pause.
    await advanceToRefresh(rig, connection.id);
    rig.gw.clock.advance(LIFETIME_S * 1000);
    await rig.slack.control.addFault({ method: 'oauth.v2.access', kind: 'http_error', status: 503, count: 1 });
    await expect(getFreshBotToken(rig.gw.ctx, connection.id)).rejects.toMatchObject({ code: 'slack_unreachable' });
    expect((await rig.gw.call('GET', `/v1/connections/${connection.id}`, { key: project.key })).body.status).toBe('active');
    expect(await getFreshBotToken(rig.gw.ctx, connection.id)).not.toBe(renewed);
  });
});
