/**
 * What sending one delivery means in Slack calls. Most deliveries are one post. Deliveries of an
 * event with a subject follow their policy against the subject's root in the destination (the
 * first message posted about it): reply in its thread, update it (chat.update), or both; with
 * no root yet, the message is posted and becomes the root. Webhooks cannot thread or update, so
 * they post a new message that names the subject. An event sent with deliver_at is handed to
 * Slack's chat.scheduleMessage when the destination is a channel and the time is far enough
 * ahead (and Slack's 30-per-5-minutes rule leaves room); otherwise it was claimed at its time and
 * is simply posted.
 */
import type { Queryable } from '../db/database.ts';
import type { OutgoingMessage, SendReport, SendTarget, SlackTransport } from '../slack/slack-transport.ts';
import { canSlackSchedule, SLACK_SCHEDULE_MIN_AHEAD_MS, SLACK_SCHEDULE_WINDOW } from '../slack/schedule-rules.ts';
import type { ClaimedDelivery } from './claim-deliveries.ts';

export interface DeliveryReport extends SendReport {
  /** Set when this send created the subject's root in the destination. */
  newRoot?: { channel: string; ts: string };
  /** Slack would not schedule it (window full, too far): the queue posts it at deliver_at itself. */
  deferUntil?: Date;
}

interface Root {
  channel: string;
  ts: string;
}

async function findRoot(db: Queryable, d: ClaimedDelivery): Promise<Root | undefined> {
  const { rows } = await db.query<Root>('SELECT channel, ts FROM subject_messages WHERE destination_id = $1 AND subject = $2', [d.destinationId, d.subject]);
  return rows[0];
}

async function scheduleWindowFull(db: Queryable, d: ClaimedDelivery): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM deliveries WHERE destination_id = $1 AND status = 'scheduled'
       AND deliver_at > to_timestamp($2 / 1000.0) - $3 * interval '1 millisecond'
       AND deliver_at < to_timestamp($2 / 1000.0) + $3 * interval '1 millisecond'`,
    [d.destinationId, d.deliverAtMs, SLACK_SCHEDULE_WINDOW.ms],
  );
  return rows[0].n >= SLACK_SCHEDULE_WINDOW.messages;
}

/** A subject named in plain words on top of a webhook message (which cannot thread). */
function namingSubject(message: OutgoingMessage, subject: string): OutgoingMessage {
  const safe = subject.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const label = { type: 'context', elements: [{ type: 'mrkdwn', text: `↪ Update on *${safe}*` }] };
  return { ...message, blocks: message.blocks ? [label, ...message.blocks] : undefined, text: `↪ ${safe}: ${message.text}` };
}

export async function sendDelivery(db: Queryable, transport: SlackTransport, target: SendTarget, d: ClaimedDelivery, now = Date.now()): Promise<DeliveryReport> {
  const message: OutgoingMessage = { text: d.message.text, blocks: d.message.blocks };
  const action = d.subject ? d.subjectAction ?? 'new' : null;

  if (target.kind === 'webhook') {
    return transport.send(target, d.subject && action !== 'new' ? namingSubject(message, d.subject) : message);
  }

  if (d.deliverAtMs !== null && d.deliverAtMs - now > SLACK_SCHEDULE_MIN_AHEAD_MS) {
    if (target.kind !== 'channel' || !canSlackSchedule(d.deliverAtMs, now) || d.ephemeralUserId || (await scheduleWindowFull(db, d))) {
      return deferral(d.deliverAtMs);
    }
    const report = await transport.send(target, { ...message, post_at: Math.floor(d.deliverAtMs / 1000) });
    const error = report.outcome.kind === 'sent' ? undefined : 'error' in report.outcome ? report.outcome.error : undefined;
    if (error === 'restricted_too_many' || error === 'time_too_far') return { ...report, deferUntil: new Date(d.deliverAtMs) };
    return report;
  }

  if (d.ephemeralUserId) return transport.send(target, { ...message, ephemeral_user: d.ephemeralUserId });

  const root = d.subject ? await findRoot(db, d) : undefined;
  if (!root || action === 'new') {
    const report = await transport.send(target, message);
    const o = report.outcome;
    if (d.subject && !root && o.kind === 'sent' && o.channel && o.ts) return { ...report, newRoot: { channel: o.channel, ts: o.ts } };
    return report;
  }
  if (action === 'thread') return transport.send(target, { ...message, thread_ts: root.ts, reply_broadcast: d.replyBroadcast });

  const replacement: OutgoingMessage = d.updateMessage ? { text: d.updateMessage.text, blocks: d.updateMessage.blocks } : message;
  const update = await transport.send(target, { ...replacement, update: root });
  const updateError = update.outcome.kind === 'rejected' ? update.outcome.error : undefined;
  if (updateError === 'message_not_found' || updateError === 'cant_update_message') {
    // The root is gone (deleted in Slack): this message becomes the subject's new root.
    await db.query('DELETE FROM subject_messages WHERE destination_id = $1 AND subject = $2', [d.destinationId, d.subject]);
    const posted = await transport.send(target, message);
    const o = posted.outcome;
    return { ...posted, request: { root_gone: updateError, ...posted.request }, newRoot: o.kind === 'sent' && o.channel && o.ts ? { channel: o.channel, ts: o.ts } : undefined };
  }
  if (action === 'update' || update.outcome.kind !== 'sent') return update;
  // update_and_thread: the root now says how it ended; the reply tells the story in its thread.
  const reply = await transport.send(target, { ...message, thread_ts: root.ts, reply_broadcast: d.replyBroadcast });
  return { ...reply, request: { update: update.request, reply: reply.request }, latencyMs: update.latencyMs + reply.latencyMs };
}

function deferral(deliverAtMs: number): DeliveryReport {
  return { outcome: { kind: 'sent' }, request: {}, latencyMs: 0, deferUntil: new Date(deliverAtMs) };
}
