/**
 * What sending one delivery means in Slack calls. Most deliveries are one post. Deliveries of an
 * event with a subject follow their policy against the subject's root in the destination (the
 * first message posted about it): reply in its thread, update it (chat.update), or both; with
 * no root yet, the message is posted and becomes the root. A root that is gone (deleted in Slack,
 * or no longer ours) does not hold up the line: the message is posted as the subject's new root,
 * and the delivery says so. Webhooks cannot thread or update, so
 * they post a new message that names the subject. An event sent with deliver_at is handed to
 * Slack's chat.scheduleMessage when the destination is a channel and the time is far enough
 * ahead (and Slack's 30-per-5-minutes rule leaves room); otherwise it was claimed at its time and
 * is simply posted.
 */
import type { Queryable } from '../db/database.ts';
import type { OutgoingMessage, SendReport, SendTarget, SlackTransport } from '../slack/slack-transport.ts';
import { canSlackSchedule, SLACK_SCHEDULE_MIN_AHEAD_MS, SLACK_SCHEDULE_WINDOW } from '../slack/schedule-rules.ts';
import { REPLY_POSTED_IN_CHANNEL, ROOT_GONE_ERRORS, ROOT_GONE_HINTS } from '../slack/slack-error-hints.ts';
import type { ClaimedDelivery } from './claim-deliveries.ts';

export interface DeliveryReport extends SendReport {
  /** Set when this send created the subject's root in the destination. */
  newRoot?: { channel: string; ts: string };
  /** Slack would not schedule it (window full, too far): the queue posts it at deliver_at itself. */
  deferUntil?: Date;
  /** Sent, but the subject's root was gone, so this message is its new root: what showed it, and a hint. */
  rootGone?: { error: string; hint: string };
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
  if (action === 'thread') return reply(db, transport, target, d, root, message);

  const replacement: OutgoingMessage = d.updateMessage ? { text: d.updateMessage.text, blocks: d.updateMessage.blocks } : message;
  const update = await transport.send(target, { ...replacement, update: root });
  // The root is gone: the new one reads as the update would have made the old one.
  const gone = rootGoneError(update);
  if (gone) return postNewRoot(db, transport, target, d, root, replacement, update, gone);
  if (action === 'update' || update.outcome.kind !== 'sent') return update;
  // update_and_thread: the root now says how it ended; the reply tells the story in its thread.
  const replied = await reply(db, transport, target, d, root, message);
  return { ...replied, request: { update: update.request, reply: replied.request }, latencyMs: update.latencyMs + replied.latencyMs };
}

/** Slack's error when it refused a call because the subject's root is gone. */
function rootGoneError(report: SendReport): string | undefined {
  return report.outcome.kind === 'rejected' && ROOT_GONE_ERRORS.has(report.outcome.error) ? report.outcome.error : undefined;
}

/** A reply in the root's thread; if the root is gone, the subject's new root. */
async function reply(db: Queryable, transport: SlackTransport, target: SendTarget, d: ClaimedDelivery, root: Root, message: OutgoingMessage): Promise<DeliveryReport> {
  const report = await transport.send(target, { ...message, thread_ts: root.ts, reply_broadcast: d.replyBroadcast });
  // Slack answers a reply to a deleted root with ok and posts it in the channel: it is the new root.
  if (report.outcome.kind === 'sent' && report.outcome.inThread === false) return replaceRoot(db, d, root, report, REPLY_POSTED_IN_CHANNEL);
  const gone = rootGoneError(report);
  return gone ? postNewRoot(db, transport, target, d, root, message, report, gone) : report;
}

/** Posts `content` as the subject's new root after `failed` showed the old one gone. */
async function postNewRoot(
  db: Queryable,
  transport: SlackTransport,
  target: SendTarget,
  d: ClaimedDelivery,
  root: Root,
  content: OutgoingMessage,
  failed: SendReport,
  error: string,
): Promise<DeliveryReport> {
  const posted = await transport.send(target, content);
  const report = {
    ...posted,
    request: { ...posted.request, root_gone: { error, request: failed.request, response: failed.response } },
    latencyMs: failed.latencyMs + posted.latencyMs,
  };
  // A post that failed is retried as any other: the old root is forgotten only once a new one exists.
  return report.outcome.kind === 'sent' ? replaceRoot(db, d, root, report, error) : report;
}

/**
 * The sent `report` is the subject's new root: the old one is forgotten here (only if it is still
 * the one recorded) and the new one recorded with the sent delivery (sent-recorder.ts).
 */
async function replaceRoot(db: Queryable, d: ClaimedDelivery, root: Root, report: SendReport, error: string): Promise<DeliveryReport> {
  await db.query('DELETE FROM subject_messages WHERE destination_id = $1 AND subject = $2 AND ts = $3', [d.destinationId, d.subject, root.ts]);
  const o = report.outcome;
  const newRoot = o.kind === 'sent' && o.channel && o.ts ? { channel: o.channel, ts: o.ts } : undefined;
  const request = 'root_gone' in report.request ? report.request : { ...report.request, root_gone: { error } };
  return { ...report, request, newRoot, rootGone: { error, hint: ROOT_GONE_HINTS[error] ?? ROOT_GONE_HINTS.message_not_found } };
}

function deferral(deliverAtMs: number): DeliveryReport {
  return { outcome: { kind: 'sent' }, request: {}, latencyMs: 0, deferUntil: new Date(deliverAtMs) };
}
