/**
 * Every Slack call made for a connection renews a rotating bot token that has expired, once,
 * instead of calling Slack with the old token and pausing the connection as if it were broken:
 * the destination Test button, cancelling a scheduled message, the permalinks of a subject's
 * history, and the channel picker. The emulator issues 60-second tokens and shares the gateway's ManualClock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../delivery/delivery-stack.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createInstallRig, emulatorInstallation, installSlack, type InstallRig } from './connect-slack-rig.ts';

const LIFETIME_S = 60;

describe.each(databaseKinds)('calls for a connection renew rotating tokens on %s', (kind) => {
  let rig: InstallRig;
  afterEach(async () => rig?.close());

  const refreshCalls = async (): Promise<number> => (await rig.slack.control.counters()).calls['oauth.v2.access'] ?? 0;

  async function setUp(options: { delivery?: boolean } = {}) {
    rig = await createInstallRig(kind, { tokenLifetimeSeconds: LIFETIME_S, ...options });
    const project = await rig.gw.createProject();
    const connection = await installSlack(rig, project.key);
    const dst = await rig.gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'alerts', kind: 'channel', connection_id: connection.id, channel_id: rig.slack.defaultWorkspace.channels.alerts, subscriptions: ['*'] },
    });
    expect(dst.status, JSON.stringify(dst.body)).toBe(201);
    return { project, connection, destinationId: dst.body.id as string };
  }

  /** Moves both clocks past the token's lifetime: Slack now refuses the token the install issued. */
  async function expireToken(): Promise<string> {
    const old = (await emulatorInstallation(rig)).bot_token;
    rig.gw.clock.advance(2 * LIFETIME_S * 1000);
    const refused = await fetch(`${rig.slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${old}` } }).then((r) => r.json());
    expect(refused).toMatchObject({ ok: false, error: 'token_expired' });
    return old;
  }

  async function expectConnectionActive(projectKey: string, connectionId: string, destinationId: string): Promise<void> {
    const connection = (await rig.gw.call('GET', `/v1/connections/${connectionId}`, { key: projectKey })).body;
    expect(connection).toMatchObject({ status: 'active', status_reason: null });
    expect(Date.parse(connection.token_expires_at)).toBeGreaterThan(rig.gw.clock.now());
    expect((await rig.gw.call('GET', `/v1/destinations/${destinationId}`, { key: projectKey })).body.status).toBe('active');
  }

  it('the Test button renews an expired token and sends; the connection stays active', async () => {
    const { project, connection, destinationId } = await setUp();
    const old = await expireToken();
    const before = await refreshCalls();

    const res = await rig.gw.call('POST', `/v1/destinations/${destinationId}/test`, { key: project.key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ok: true, outcome: 'sent', destination_status: 'active' });
    expect(await refreshCalls()).toBe(before + 1);
    expect((await emulatorInstallation(rig)).bot_token).not.toBe(old);
    await expectConnectionActive(project.key, connection.id, destinationId);
    const posted = (await rig.slack.control.messages(rig.team, 'alerts')).messages;
    expect(posted.map((m) => m.text).join('\n')).toContain('Switchboard test message');

    // A second test uses the renewed token: no further refresh.
    const again = await rig.gw.call('POST', `/v1/destinations/${destinationId}/test`, { key: project.key });
    expect(again.body).toMatchObject({ ok: true, outcome: 'sent' });
    expect(await refreshCalls()).toBe(before + 1);
  });

  it('cancelling a message Slack holds for later renews an expired token first', async () => {
    const { project, connection, destinationId } = await setUp({ delivery: true });
    const type = await rig.gw.call('PUT', '/v1/event-types/ops.reminder', { key: project.key, body: { template: { text: 'reminder' } } });
    expect(type.status, JSON.stringify(type.body)).toBe(200);
    const later = new Date(rig.gw.clock.now() + 2 * 3600_000).toISOString();
    const event = await rig.gw.call('POST', '/v1/events', { key: project.key, body: { type: 'ops.reminder', deliver_at: later } });
    expect(event.status, JSON.stringify(event.body)).toBe(202);
    const deliveryId = event.body.event.deliveries.find((d: { destination_id: string }) => d.destination_id === destinationId).id as string;
    await eventually(async () => expect((await rig.gw.call('GET', `/v1/deliveries/${deliveryId}`, { key: project.key })).body.status).toBe('scheduled'));

    await expireToken();
    const before = await refreshCalls();
    const cancelled = await rig.gw.call('POST', `/v1/deliveries/${deliveryId}/cancel`, { key: project.key });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await rig.slack.control.scheduledMessages(rig.team)).find((m) => m.post_at === Math.floor(Date.parse(later) / 1000))?.state).toBe('deleted');
    expect(await refreshCalls()).toBe(before + 1);
    await expectConnectionActive(project.key, connection.id, destinationId);
  });

  it('a subject’s history renews an expired token to look up permalinks', async () => {
    const { project, connection, destinationId } = await setUp({ delivery: true });
    const type = await rig.gw.call('PUT', '/v1/event-types/ops.release', { key: project.key, body: { template: { text: 'release' } } });
    expect(type.status, JSON.stringify(type.body)).toBe(200);
    const event = await rig.gw.call('POST', '/v1/events', { key: project.key, body: { type: 'ops.release', subject: 'release:42' } });
    expect(event.status, JSON.stringify(event.body)).toBe(202);
    const deliveryId = event.body.event.deliveries.find((d: { destination_id: string }) => d.destination_id === destinationId).id as string;
    await eventually(async () => expect((await rig.gw.call('GET', `/v1/deliveries/${deliveryId}`, { key: project.key })).body.status).toBe('sent'));

    await expireToken();
    const before = await refreshCalls();
    const history = await rig.gw.call('GET', `/v1/subjects/${encodeURIComponent('release:42')}`, { key: project.key });
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    // The install's incoming webhook got the event too; webhook messages have no permalink.
    const message = history.body.messages.find((m: { destination_id: string }) => m.destination_id === destinationId);
    expect(message.permalink).toMatch(/^https?:\/\//);
    expect(await refreshCalls()).toBe(before + 1);
    await expectConnectionActive(project.key, connection.id, destinationId);
  });

  it('the channel picker renews an expired token to list channels', async () => {
    const { project, connection, destinationId } = await setUp();
    await expireToken();
    const before = await refreshCalls();
    const page = await rig.gw.call('GET', `/v1/connections/${connection.id}/channels`, { key: project.key });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.channels.map((c: { id: string }) => c.id)).toContain(rig.slack.defaultWorkspace.channels.alerts);
    expect(await refreshCalls()).toBe(before + 1);
    await expectConnectionActive(project.key, connection.id, destinationId);
  });
});
