/**
 * The whole repair story with a running delivery worker and the emulator: a message died in an
 * outage, then the channel was archived and the next messages were held. The admin unarchives
 * the channel, retries the dead message and presses Test: the test message arrives, then the
 * retried message in its old place, then the held ones, in order.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { DeliverySignal } from '../../src/delivery/delivery-signal.ts';
import { DeliveryWorker } from '../../src/delivery/delivery-worker.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { EVENT_TYPE, projectWithEventType, sendNumbered, setStatus } from './delivery-fixtures.ts';

describe.each(databaseKinds)('a held queue resumes after the fix on %s', (kind) => {
  let slack: StartedEmulator;
  let gw: TestGateway;
  let worker: DeliveryWorker;
  let signal: DeliverySignal;

  beforeAll(async () => {
    slack = await startEmulator({ rateLimits: { enabled: false } });
    const delivery = { ...loadConfig({}).delivery, perDestinationPerSecond: 100, perDestinationBurst: 10 };
    gw = await createTestGateway(kind, { slackApiUrl: slack.apiUrl, allowedWebhookOrigins: [slack.url], delivery });
    signal = new DeliverySignal(gw.ctx.db);
    await signal.start();
    gw.ctx.onDeliveriesChanged = () => signal.ready();
    worker = new DeliveryWorker({ db: gw.ctx.db, keyring: gw.ctx.keyring, logger: gw.ctx.logger, config: delivery, signal, transports: gw.ctx.transports });
  });
  afterAll(async () => {
    await worker?.stop(1000);
    await signal?.stop();
    await gw?.close();
    await slack?.close();
  });

  it('sends the test, then the retried message, then the held ones, in order', async () => {
    const team = slack.defaultWorkspace.teamId;
    const project = await projectWithEventType(gw);
    const connection = await gw.call('POST', '/v1/connections', { key: project.key, body: { bot_token: slack.defaultWorkspace.botToken } });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    const created = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'deployments', kind: 'channel', connection_id: connection.body.id, channel_id: slack.defaultWorkspace.channels.deployments, subscriptions: [EVENT_TYPE] },
    });
    const destination = created.body.id;

    await slack.control.setChannelArchived(team, 'deployments', true);
    const ids = (await sendNumbered(gw, project, 1, 3)).get(destination)!;
    await setStatus(gw, ids[0], 'dead', { lastError: 'http_503' }); // died in an outage before the archive
    await worker.start();
    signal.ready();

    // The worker tries message 2, Slack says is_archived: the destination is held, not dropped.
    await vi.waitFor(async () => {
      const d = await gw.call('GET', `/v1/destinations/${destination}`, { key: project.key });
      expect(d.body.status).toBe('needs_attention');
    }, { timeout: 10_000, interval: 20 });
    const held = await gw.call('GET', `/v1/deliveries?destination_id=${destination}&status=held`, { key: project.key });
    expect(held.body.deliveries.map((d: { id: string }) => d.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect(held.body.deliveries[0].hint).toContain('archived');

    // The admin's fix: unarchive, retry the dead one, press Test.
    await slack.control.setChannelArchived(team, 'deployments', false);
    const retried = await gw.call('POST', `/v1/deliveries/${ids[0]}/retry`, { key: project.key });
    expect(retried.body.status).toBe('held'); // back in line, behind the same hold
    const tested = await gw.call('POST', `/v1/destinations/${destination}/test`, { key: project.key });
    expect(tested.body).toMatchObject({ ok: true, destination_status: 'active' });

    await vi.waitFor(async () => {
      const { messages } = await slack.control.messages(team, 'deployments');
      expect(messages.map((m) => m.text.split(' (')[0])).toEqual([
        'Switchboard test message for deployments',
        'message 1',
        'message 2',
        'message 3',
      ]);
    }, { timeout: 10_000, interval: 20 });

    const first = await gw.call('GET', `/v1/deliveries/${ids[0]}`, { key: project.key });
    const { messages } = await slack.control.messages(team, 'deployments');
    expect(first.body).toMatchObject({ status: 'sent', slack_ts: messages[1].ts, destination: { status: 'active' } });
    expect(first.body.attempt_log.at(-1)).toMatchObject({ outcome: 'sent', slack_ts: messages[1].ts });
    const second = await gw.call('GET', `/v1/deliveries/${ids[1]}`, { key: project.key });
    expect(second.body.attempt_log.map((a: { outcome: string; error: string | null }) => [a.outcome, a.error])).toEqual([
      ['destination_broken', 'is_archived'],
      ['sent', null],
    ]);
  });
});
