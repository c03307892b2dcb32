/**
 * What ends one delivery without holding its line: Slack refusing the message itself (failed,
 * the next message goes), a time to live running out (expired, never sent), an error Slack never
 * documented (a few tries, then dead-lettered), and the retry window closing on a delivery Slack
 * kept failing (dead-lettered), after which an operator's retry sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_ERROR_MAX_ATTEMPTS } from '../../src/delivery/retry-schedule.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, range, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

/** The schedule a thousand times faster: 5 ms, 30 ms, 120 ms, 600 ms, 1.8 s, 3.6 s. */
const FAST = { retryDelayScale: 0.001 };

describe.each(databaseKinds)('rejected, expired and unknown on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    s = await startDeliveryStack(kind, { gateway: FAST });
  });
  afterAll(async () => s?.close());

  const statuses = async (destinationId: string) => (await s.deliveries(destinationId)).map((d) => [d.n, d.status]);

  for (const error of ['invalid_blocks', 'msg_too_long', 'no_text'] as const) {
    it(`Web API ${error}: that delivery is failed, the line moves on`, async () => {
      const channel = await s.slack.control.createChannel(s.teamId, { name: `rejects-${error.replace(/_/g, '-')}` });
      const destinationId = await s.channelLine(`rejects-${error}`, channel.id);
      s.slack.emulator.faults.add({ method: 'chat.postMessage', kind: 'slack_error', error });
      await s.send(`rejects-${error}`, 1, 3);
      await eventually(async () => expect(await statuses(destinationId)).toEqual([[1, 'failed'], [2, 'sent'], [3, 'sent']]));
      expect(await s.posted(channel.id, `rejects-${error}`)).toEqual([2, 3]);
      const [first] = await s.deliveries(destinationId);
      expect(first.last_error).toBe(`Slack rejected the message: ${error}`);
      expect(first.attempts).toBe(1);
      expect((await s.destination(destinationId)).status).toBe('active');
    });
  }

  it('webhook invalid_blocks (HTTP 400): that delivery is failed, the line moves on', async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'hook-rejects' });
    const hook = await s.slack.control.createWebhook(s.teamId, { channel: channel.id });
    const destinationId = await s.webhookLine('hook-rejects', hook.url);
    s.slack.emulator.faults.add({ webhook: hook.id, kind: 'slack_error', error: 'invalid_blocks' });
    await s.send('hook-rejects', 1, 3);
    await eventually(async () => expect(await statuses(destinationId)).toEqual([[1, 'failed'], [2, 'sent'], [3, 'sent']]));
    expect(await s.posted(channel.id, 'hook-rejects')).toEqual([2, 3]);
    expect((await s.attempts(destinationId))[0]).toMatchObject({ outcome: 'rejected', error: 'invalid_blocks', http_status: 400 });
  });

  it('TTL: a message that outlives its time to live while the line is held is expired, not sent; the rest go', async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'short-lived' });
    const destinationId = await s.channelLine('ttl', channel.id);
    await s.slack.control.setChannelArchived(s.teamId, channel.id, true);
    await s.send('ttl', 1);
    await eventually(async () => expect((await s.destination(destinationId)).status).toBe('needs_attention'));
    await s.send('ttl', 2, 2, { ttl: 1 }); // a progress ping: worth sending for one second
    await s.send('ttl', 3);
    await eventually(async () => expect(await statuses(destinationId)).toEqual([[1, 'pending'], [2, 'expired'], [3, 'pending']]));
    expect((await s.deliveries(destinationId))[1].last_error).toBe('expired before it could be sent');

    await s.slack.control.setChannelArchived(s.teamId, channel.id, false);
    expect((await s.api('POST', `/v1/destinations/${destinationId}/test`)).body.ok).toBe(true);
    await eventually(async () => expect(await statuses(destinationId)).toEqual([[1, 'sent'], [2, 'expired'], [3, 'sent']]));
    expect(await s.posted(channel.id, 'ttl')).toEqual([1, 3]);
    expect((await s.attempts(destinationId)).map((a) => a.n)).not.toContain(2);
  });

  it('TTL: a message whose retry would come after its time to live is expired instead of retried', async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'ttl-retry' });
    const destinationId = await s.channelLine('ttl-retry', channel.id);
    // Slack fails it five times in its first second; the next try would come 1.8 s later, past the TTL.
    s.slack.emulator.faults.add({ method: 'chat.postMessage', kind: 'http_error', status: 503, count: 5 });
    await s.send('ttl-retry', 1, 1, { ttl: 1 });
    await s.send('ttl-retry', 2);
    await eventually(async () => expect(await statuses(destinationId)).toEqual([[1, 'expired'], [2, 'sent']]));
    expect(await s.posted(channel.id, 'ttl-retry')).toEqual([2]);
  });

  it(`an error Slack never documented: retried ${UNKNOWN_ERROR_MAX_ATTEMPTS} times, then dead-lettered; the line moves on`, async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'unknown-error' });
    const destinationId = await s.channelLine('unknown', channel.id);
    s.slack.emulator.faults.add({ method: 'chat.postMessage', kind: 'slack_error', error: 'brand_new_error', count: UNKNOWN_ERROR_MAX_ATTEMPTS });
    await s.send('unknown', 1, 2);
    await eventually(async () => expect(await statuses(destinationId)).toEqual([[1, 'dead'], [2, 'sent']]));
    const [dead] = await s.deliveries(destinationId);
    expect(dead.attempts).toBe(UNKNOWN_ERROR_MAX_ATTEMPTS);
    expect(dead.last_error).toBe('brand_new_error');
    expect(await s.posted(channel.id, 'unknown')).toEqual([2]);
  });
});

describe.each(databaseKinds)('dead-letter and retry on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    // A 1.5 s retry window: with the fast schedule, the 5th failure's next try (1.8 s) falls outside it.
    s = await startDeliveryStack(kind, { gateway: FAST, delivery: { retryWindowHours: 1.5 / 3600 } });
  });
  afterAll(async () => s?.close());

  it('a delivery Slack keeps failing is dead-lettered when its retry window closes; an operator retry sends it', async () => {
    const { channels } = s.slack.defaultWorkspace;
    const hook = await s.slack.control.createWebhook(s.teamId, { channel: channels.deployments });
    const destinationId = await s.webhookLine('dead', hook.url);
    const outage = s.slack.emulator.faults.add({ webhook: hook.id, kind: 'http_error', status: 500, count: 1000 });
    await s.send('dead', 1);
    await eventually(async () => expect((await s.deliveries(destinationId))[0].status).toBe('dead'));
    const [dead] = await s.deliveries(destinationId);
    expect(dead.last_error).toBe('http_500');
    const log = await s.attempts(destinationId);
    expect(log.length).toBe(dead.attempts);
    expect(log.every((a) => a.outcome === 'retry' && a.http_status === 500)).toBe(true);
    expect(dead.attempts).toBeGreaterThanOrEqual(3);

    // Dead-lettered, not held: the next message goes once Slack is back.
    s.slack.emulator.faults.remove(outage.id);
    await s.send('dead', 2);
    await eventually(async () => expect(await s.posted(channels.deployments, 'dead')).toEqual([2]));

    // The operator's retry (POST /v1/deliveries/{id}/retry) gives it a fresh retry window: two
    // more failures do not dead-letter it again at once (its first window closed long ago).
    s.slack.emulator.faults.add({ webhook: hook.id, kind: 'http_error', status: 503, count: 2 });
    const retried = await s.api('POST', `/v1/deliveries/${dead.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await eventually(async () => expect(await s.posted(channels.deployments, 'dead')).toEqual([2, 1]));
    const after = await eventually(async () => {
      const [first] = await s.deliveries(destinationId);
      expect(first.status).toBe('sent');
      return first;
    });
    expect(after.attempts).toBe(dead.attempts + 3);
  });

  it('a retried dead delivery in a line goes before newer waiting messages (it keeps its place)', async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'keeps-place' });
    const destinationId = await s.channelLine('place', channel.id);
    const outage = s.slack.emulator.faults.add({ method: 'chat.postMessage', kind: 'slack_error', error: 'internal_error', count: 1000 });
    await s.send('place', 1);
    await eventually(async () => expect((await s.deliveries(destinationId))[0].status).toBe('dead'));
    // Held behind an archived channel, #2 and #3 wait; the retry puts #1 back ahead of them.
    await s.slack.control.setChannelArchived(s.teamId, channel.id, true);
    s.slack.emulator.faults.remove(outage.id);
    await s.send('place', 2, 3);
    await eventually(async () => expect((await s.destination(destinationId)).status).toBe('needs_attention'));
    const [dead] = await s.deliveries(destinationId);
    expect((await s.api('POST', `/v1/deliveries/${dead.id}/retry`)).status).toBe(200);
    await s.slack.control.setChannelArchived(s.teamId, channel.id, false);
    expect((await s.api('POST', `/v1/destinations/${destinationId}/test`)).body.ok).toBe(true);
    await eventually(async () => expect(await s.posted(channel.id, 'place')).toEqual(range(1, 3)));
  });
});
