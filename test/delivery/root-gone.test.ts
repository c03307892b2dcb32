/**
 * A root that is gone does not block the line. Someone deletes a subject's root message in Slack:
 * the next update (chat.update answers message_not_found) posts a new root instead of retrying,
 * and so does the next thread reply (Slack posts a reply to a deleted root in the channel). Each
 * is one attempt, recorded with the error and a hint; the message queued behind it goes out right
 * after; later events of the subject thread under the new root.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { emulatorWebClient } from '../helpers/emulator.ts';
import { eventually, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

const subject = 'approval:deploy-42';
const approval = { key: 'deploy-42', action: 'Deploy api v1.4.2 to production', requester: 'Alice', approver: 'Bob' };
const deploy = { service: 'api', environment: 'production', version: 'v1.4.2', who: 'Alice' };

describe.each(databaseKinds)('a root that is gone on %s', (kind) => {
  let stack: DeliveryStack;
  let web: WebClient;
  let channel: string;

  beforeAll(async () => {
    stack = await startDeliveryStack(kind);
    web = emulatorWebClient(stack.slack.apiUrl, stack.slack.defaultWorkspace.botToken);
    channel = stack.slack.defaultWorkspace.channels.approvals;
  });
  afterAll(async () => stack?.close());

  /** Sends one event (over the type's sample data, so every field it needs is there); its delivery id. */
  async function send(type: string, data: Record<string, unknown>, withSubject = true): Promise<string> {
    const sample = (await stack.api('GET', `/v1/event-types/${type}`)).body.sample_data ?? {};
    const res = await stack.api('POST', '/v1/events', { type, ...(withSubject ? { subject } : {}), data: { ...sample, ...data } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.event.deliveries).toHaveLength(1);
    return res.body.event.deliveries[0].id;
  }
  const delivery = async (id: string) => (await stack.api('GET', `/v1/deliveries/${id}`)).body;
  const sent = (id: string) =>
    eventually(async () => {
      const d = await delivery(id);
      expect(d.status).toBe('sent');
      return d;
    });
  /** The channel's top-level messages a person still sees. */
  const visible = async () => (await stack.slack.control.messages(stack.teamId, channel)).messages.filter((m) => !m.deleted);

  it('an update or a thread reply to a deleted root posts a new root, with a hint, and the next message is not held up', async () => {
    const dst = await stack.api('POST', '/v1/destinations', {
      name: 'approvals',
      kind: 'channel',
      connection_id: stack.connectionId,
      channel_id: channel,
      subscriptions: ['approval.*', 'deployment.*'],
    });
    expect(dst.status, JSON.stringify(dst.body)).toBe(201);

    const first = await sent(await send('approval.created', approval));
    await web.chat.delete({ channel, ts: first.slack_ts });
    expect(await visible()).toHaveLength(0);

    // An update of the deleted root (approval.executed: update the root, reply in its thread).
    const executedId = await send('approval.executed', approval);
    const behindUpdate = await send('deployment.started', deploy, false);
    const next = await sent(behindUpdate);
    expect(next.attempts).toBe(1);
    const executed = await delivery(executedId);
    expect(executed.status).toBe('sent');
    expect(executed.attempts).toBe(1);
    expect(executed.hint).toMatch(/deleted/);
    expect(executed.attempt_log.map((a: { outcome: string; error: string | null }) => [a.outcome, a.error])).toEqual([['sent', 'message_not_found']]);
    const root2 = (await visible()).find((m) => m.ts === executed.slack_ts);
    expect(root2?.text).toContain('✅ Approved by Bob'); // the root as the update would have made it
    expect(root2?.thread_ts ?? root2?.ts).toBe(root2?.ts);

    // A thread reply under a deleted root: Slack posts it in the channel, where it is the new root.
    await web.chat.delete({ channel, ts: executed.slack_ts });
    const pinId = await send('approval.pin_failed', { ...approval, attempts: '3 of 5' });
    const behindReply = await send('deployment.started', { ...deploy, version: 'v1.4.3' }, false);
    expect((await sent(behindReply)).attempts).toBe(1);
    const pin = await delivery(pinId);
    expect(pin.status).toBe('sent');
    expect(pin.attempts).toBe(1);
    expect(pin.hint).toMatch(/deleted/);
    expect(pin.attempt_log).toHaveLength(1);
    expect(pin.attempt_log[0].error).toBe('reply_posted_in_channel');
    const root3 = (await visible()).find((m) => m.ts === pin.slack_ts);
    expect(root3, 'the reply is a top-level message').toBeDefined();

    // Later events of the subject thread under the new root.
    const locked = await sent(await send('approval.token_locked', { ...approval, attempts: '5 of 5' }));
    expect(locked.attempts).toBe(1);
    expect(locked.hint).toBeNull();
    const thread = (await visible()).find((m) => m.ts === pin.slack_ts);
    expect(thread?.replies?.map((r) => r.ts)).toEqual([locked.slack_ts]);

    const history = await stack.api('GET', `/v1/subjects/${encodeURIComponent(subject)}`);
    expect(history.status).toBe(200);
    const roots = history.body.messages.filter((m: { is_root: boolean }) => m.is_root).map((m: { event_type: string }) => m.event_type);
    expect(roots).toEqual(['approval.pin_failed']);
  });
});
