/**
 * Messages that live: later events about a subject update its first message in a destination
 * (chat.update) and reply in its thread, per the event type's policy; a reply waits for its
 * root; webhooks, which cannot thread or update, post a new message naming the subject; events
 * sent with deliver_at are handed to chat.scheduleMessage (listed, cancellable) or, beyond
 * Slack's 120 days, kept in our own schedule — without holding up the destination's line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

const approval = { project: 'My Project', key: 'deploy-42', action: 'Deploy api v1.4.2 to production', requester: 'Alice', approver: 'Bob' };

describe.each(databaseKinds)('messages that live on %s', (kind) => {
  let stack: DeliveryStack;
  let channels: Record<string, string>;
  const team = () => stack.teamId;

  beforeAll(async () => {
    stack = await startDeliveryStack(kind);
    channels = stack.slack.defaultWorkspace.channels;
  });
  afterAll(async () => stack?.close());

  async function destination(body: Record<string, unknown>): Promise<string> {
    const res = await stack.api('POST', '/v1/destinations', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  const channelDestination = (name: string, channel: string, subscriptions: string[]) =>
    destination({ name, kind: 'channel', connection_id: stack.connectionId, channel_id: channel, subscriptions });
  async function send(body: Record<string, unknown>) {
    const res = await stack.api('POST', '/v1/events', body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.event;
  }
  const messages = async (channel: string) => (await stack.slack.control.messages(team(), channel)).messages;

  it('approval created, then executed: the root is updated ("✅ Approved by …", no buttons) and a reply is threaded', async () => {
    await channelDestination('approvals', channels.approvals, ['approval.*']);
    await send({ type: 'approval.created', subject: 'approval:deploy-42', data: approval });
    await eventually(async () => expect(await messages(channels.approvals)).toHaveLength(1));
    await send({ type: 'approval.executed', subject: 'approval:deploy-42', data: approval });

    const root = await eventually(async () => {
      const [m] = await messages(channels.approvals);
      expect(m.edited).toBeDefined();
      expect(m.replies).toHaveLength(1);
      return m;
    });
    expect(await messages(channels.approvals)).toHaveLength(1); // no second top-level message
    expect(root.text).toContain('✅ Approved by Bob');
    expect(JSON.stringify(root.blocks)).not.toContain('"actions"'); // the Review button is gone
    expect(root.history[0].text).toContain('New approval request');
    expect(root.replies![0].text).toBe('✅ Approved by Bob'); // one line, not a copy of the card

    const history = await stack.api('GET', `/v1/subjects/${encodeURIComponent('approval:deploy-42')}`);
    expect(history.status).toBe(200);
    expect(history.body.messages.map((m: { event_type: string; is_root: boolean }) => [m.event_type, m.is_root])).toEqual([
      ['approval.created', true],
      ['approval.executed', false],
    ]);
    expect(history.body.messages[0].permalink).toMatch(/^https?:\/\//);
  });

  it('challenge progress replies in the announcement thread; the winner is also broadcast to the channel', async () => {
    await channelDestination('challenges', channels.general, ['challenge.*']);
    const subject = 'challenge:week-48';
    await send({ type: 'challenge.live', subject, data: { challenge: 'Meeting Sprint', goal: 'Book 5 meetings this week' } });
    for (const done of [1, 2, 3]) await send({ type: 'challenge.progress', subject, data: { participant: 'Sarah', current: done, target: 5 } });
    await send({ type: 'challenge.winner', subject, data: { winner: 'James' } });
    const top = await eventually(async () => {
      const list = await messages(channels.general);
      const root = list.find((m) => !m.thread_ts || m.thread_ts === m.ts);
      expect(root?.replies).toHaveLength(4);
      return list;
    });
    const root = top.find((m) => !m.thread_ts || m.thread_ts === m.ts)!;
    expect(root.replies!.slice(0, 3).every((r) => !r.reply_broadcast)).toBe(true);
    expect(root.replies![3].reply_broadcast).toBe(true);
  });

  it('a reply whose root is still queued waits for it, then threads under it', async () => {
    const dst = await channelDestination('waiting', channels.deployments, ['alert.*']);
    await stack.api('POST', `/v1/destinations/${dst}/disable`);
    await stack.gw.ctx.db.query(`UPDATE destinations SET enabled = true WHERE id = $1`, [dst]); // routed to, but its line is held
    stack.gw.ctx.catalog.invalidate();
    const subject = 'incident:77';
    await send({ type: 'alert.triggered', subject, severity: 'high', data: { title: 'Error rate above 5%', service: 'checkout' } });
    await send({ type: 'alert.resolved', subject, data: { title: 'Error rate above 5%', service: 'checkout', description: 'Back to normal' } });
    expect(await messages(channels.deployments)).toHaveLength(0);
    await stack.api('POST', `/v1/destinations/${dst}/enable`);

    const [root] = await eventually(async () => {
      const list = await messages(channels.deployments);
      expect(list[0]?.replies).toHaveLength(1);
      expect(list[0]?.edited).toBeDefined();
      return list;
    });
    expect(await messages(channels.deployments)).toHaveLength(1);
    expect(root.text).toContain('Resolved');
  });

  it('a webhook destination, which cannot thread or update, posts a new message naming the subject', async () => {
    await destination({ name: 'hook', kind: 'webhook', webhook_url: stack.slack.defaultWorkspace.webhookUrl, subscriptions: ['deployment.*'] });
    const subject = 'deploy:api-812';
    const data = { service: 'api', environment: 'production', version: 'v2.14.0', who: 'Alice' };
    await send({ type: 'deployment.started', subject, data });
    await send({ type: 'deployment.succeeded', subject, data });
    const list = await eventually(async () => {
      const all = (await messages(channels.alerts)).filter((m) => m.source === 'webhook');
      expect(all).toHaveLength(2);
      return all;
    });
    expect(list[0].text).not.toContain('↪');
    expect(list[1].text).toContain('↪ deploy:api-812');
    expect(list.every((m) => !m.edited && !m.replies?.length)).toBe(true);
  });

  it('schedules with chat.scheduleMessage: created, listed, cancelled; the line is not held up meanwhile', async () => {
    await channelDestination('scheduled', channels.random, ['streak.hit']);
    await stack.slack.control.workspace(team()); // the bot is not in #random: chat:write.public covers it
    const later = new Date(Date.now() + 2 * 3600_000).toISOString();
    const scheduled = await send({ type: 'streak.hit', deliver_at: later, data: { participant: 'Priya', streak: 10 } });
    const now = await send({ type: 'streak.hit', data: { participant: 'Tom', streak: 3 } });

    const delivery = await eventually(async () => {
      const res = await stack.api('GET', `/v1/deliveries/${scheduled.deliveries[0].id}`);
      expect(res.body.status).toBe('scheduled');
      return res.body;
    });
    // The event sent after it went out at once: a scheduled message does not block the line.
    await eventually(async () => expect((await stack.api('GET', `/v1/deliveries/${now.deliveries[0].id}`)).body.status).toBe('sent'));
    const inSlack = await stack.slack.control.scheduledMessages(team());
    expect(inSlack.filter((m) => m.state === 'pending').map((m) => m.post_at)).toContain(Math.floor(Date.parse(later) / 1000));

    const listed = await stack.api('GET', '/v1/deliveries?status=scheduled');
    expect(listed.body.deliveries.map((d: { id: string }) => d.id)).toContain(delivery.id);

    const cancelled = await stack.api('POST', `/v1/deliveries/${delivery.id}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await stack.slack.control.scheduledMessages(team())).find((m) => m.post_at === Math.floor(Date.parse(later) / 1000))?.state).toBe('deleted');
  });

  it('beyond 120 days, or to a webhook, keeps the message in our own schedule', async () => {
    const dst = await channelDestination('far', channels.leadership, ['reward.won']);
    const far = new Date(Date.now() + 200 * 86_400_000).toISOString();
    const event = await send({ type: 'reward.won', deliver_at: far, data: { participant: 'Sam', reward: 'A day off' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rows } = await stack.gw.ctx.db.query<{ status: string; run_at: string; scheduled_message_id: string | null }>(
      'SELECT status, run_at::text, scheduled_message_id FROM deliveries WHERE id = $1',
      [event.deliveries[0].id],
    );
    expect(rows[0].status).toBe('pending');
    expect(rows[0].scheduled_message_id).toBeNull();
    expect(Date.parse(rows[0].run_at)).toBe(Date.parse(far));
    expect(dst).toBeTruthy();
  });
});
