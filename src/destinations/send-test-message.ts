/**
 * The destination test ("Test" button, POST /v1/destinations/{id}/test): one clearly labelled
 * message sent at once through the same transport the queue uses (not through the queue), and
 * the answer in plain words. The attempt goes into the audit log like any other (with no
 * delivery). A destination Slack says is broken is marked needs_attention, exactly as a failed
 * delivery would mark it; a test that gets through clears needs_attention, so the held queue
 * resumes: the test is how an admin confirms a fix. The bot token comes from getFreshBotToken, as
 * the worker's does: a rotating token that expired while the channel was quiet is renewed first.
 */
import type { Queryable } from '../db/database.ts';
import type { Destination } from './destination-store.ts';
import { NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { scrubSecrets } from '../logging/scrub-secrets.ts';
import { markNeedsAttention } from '../connections/connection-status.ts';
import { getFreshBotToken, tokenFailureOutcome, type TokenDeps } from '../connections/get-fresh-bot-token.ts';
import { endOutage, outageKey } from '../delivery/outages.ts';
import { CONNECTION_ERRORS, TRANSIENT_ERRORS } from '../slack/slack-error-hints.ts';
import type { OutgoingMessage, SendOutcome, SendReport, SendTarget, SlackTransport } from '../slack/slack-transport.ts';
import { escapeMrkdwn } from '../templates/mrkdwn-escape.ts';

export interface TestMessageDeps extends TokenDeps {
  transports: { webhook: SlackTransport; webApi: SlackTransport };
  /** Told when a destination became active again, so its held queue is picked up at once. */
  onDeliveriesChanged?: () => void;
}

export interface TestMessageResult {
  ok: boolean;
  outcome: SendOutcome['kind'];
  error?: string;
  /** What to do about a failure, in plain words. */
  hint?: string;
  /** Where Slack put the message (the Web API says; incoming webhooks do not). */
  slack?: { channel: string; ts: string };
  latency_ms: number;
  /** The destination's status after the test. */
  destination_status: Destination['status'];
  attempt_id: string;
}

interface DestinationRow {
  id: string;
  name: string;
  kind: 'webhook' | 'channel' | 'dm';
  channel_id: string | null;
  user_id: string | null;
  user_email: string | null;
  webhook_url_sealed: string | null;
  connection_id: string | null;
  scopes: string[] | null;
  team_id: string | null;
}

export function testMessage(destinationName: string, at: Date): OutgoingMessage {
  const when = `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const name = escapeMrkdwn(destinationName);
  return {
    text: `Switchboard test message for ${name} (sent ${when}). If you can read this, messages to this destination arrive.`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Switchboard test message' } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `This is a test of the destination *${name}*. If you can read this here, messages sent to it arrive.` },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Sent ${when} by Switchboard. Nothing to do.` }] },
    ],
  };
}

export async function sendTestMessage(deps: TestMessageDeps, projectId: string, destinationId: string): Promise<TestMessageResult> {
  const { rows } = await deps.db.query<DestinationRow>(
    `SELECT t.id, t.name, t.kind, t.channel_id, t.user_id, t.user_email, t.webhook_url_sealed, t.connection_id, c.scopes,
       t.team_id
     FROM destinations t LEFT JOIN connections c ON c.id = t.connection_id WHERE t.id = $1 AND t.project_id = $2`,
    [destinationId, projectId],
  );
  const destination = rows[0];
  if (!destination) throw new NotFoundError('Destination', destinationId);

  const startedAt = new Date(deps.clock.now());
  const report = await send(deps, destination, testMessage(destination.name, startedAt));
  // The answer is shown to the tenant and kept in the audit log: nothing shaped like a secret in it.
  const outcome = 'error' in report.outcome ? { ...report.outcome, error: scrubSecrets(report.outcome.error) } : report.outcome;
  const attemptId = newId('att', startedAt.getTime());

  const { status, resumed } = await deps.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO delivery_attempts (id, project_id, delivery_id, destination_id, attempt, worker, started_at, latency_ms, request,
         http_status, response, outcome, error, slack_channel, slack_ts)
       VALUES ($1, $2, NULL, $3, 1, 'test-message', $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        attemptId, projectId, destination.id, startedAt, report.latencyMs, scrubSecrets(JSON.stringify(report.request)), report.httpStatus ?? null,
        report.response === undefined ? null : scrubSecrets(JSON.stringify(report.response)), outcome.kind, outcome.kind === 'sent' ? null : outcome.error,
        outcome.kind === 'sent' ? outcome.channel ?? null : null, outcome.kind === 'sent' ? outcome.ts ?? null : null,
      ],
    );
    let resumed = false;
    if (outcome.kind === 'destination_broken') {
      await markNeedsAttention(tx, { destinationId: destination.id, connectionId: destination.connection_id }, outcome.error, outcome.hint, outcome.scope);
    } else if (outcome.kind === 'sent') {
      resumed = await clearNeedsAttention(tx, destination);
      // It got through: an outage of its workspace is over, and the lines waiting on it go now.
      const key = outageKey(destination.kind, destination.team_id);
      if (key && (await endOutage(tx, key)) > 0) resumed = true;
    } else if (outcome.kind === 'rate_limited') {
      // Slack answers 429 with Retry-After in seconds [D-RATE]: the destination's queue waits as long.
      await tx.query(
        `INSERT INTO pacing_buckets (key, tat, paused_until) VALUES ($1, now(), now() + $2 * interval '1 second')
         ON CONFLICT (key) DO UPDATE SET paused_until = greatest(coalesce(pacing_buckets.paused_until, now()), excluded.paused_until)`,
        [`dst:${destination.id}`, outcome.retryAfterSeconds],
      );
    }
    const { rows: after } = await tx.query<{ status: Destination['status'] }>('SELECT status FROM destinations WHERE id = $1', [destination.id]);
    return { status: after[0].status, resumed };
  });
  if (resumed) deps.onDeliveriesChanged?.();

  const result: TestMessageResult = { ok: outcome.kind === 'sent', outcome: outcome.kind, latency_ms: report.latencyMs, destination_status: status, attempt_id: attemptId };
  if (outcome.kind === 'sent') {
    if (outcome.channel && outcome.ts) result.slack = { channel: outcome.channel, ts: outcome.ts };
  } else {
    result.error = outcome.error;
    result.hint = failureHint(outcome, destination.kind);
  }
  return result;
}

async function send(deps: TestMessageDeps, d: DestinationRow, message: OutgoingMessage): Promise<SendReport> {
  let target: SendTarget;
  try {
    target = await sendTarget(deps, d);
  } catch (error) {
    return { outcome: tokenFailureOutcome(error), request: {}, latencyMs: 0 };
  }
  try {
    return await (target.kind === 'webhook' ? deps.transports.webhook : deps.transports.webApi).send(target, message);
  } catch (error) {
    return { outcome: { kind: 'retry', error: `internal: ${(error as Error).message}`, unknown: true }, request: {}, latencyMs: 0 };
  }
}

async function sendTarget(deps: TokenDeps, d: DestinationRow): Promise<SendTarget> {
  if (d.kind === 'webhook') return { kind: 'webhook', url: deps.keyring.decrypt(d.webhook_url_sealed!) };
  if (!d.connection_id) throw Object.assign(new Error('the destination has no connection'), { code: 'not_authed' });
  const token = await getFreshBotToken(deps, d.connection_id);
  const scopes = d.scopes ?? [];
  if (d.kind === 'channel') return { kind: 'channel', token, channel: d.channel_id!, scopes };
  return { kind: 'dm', token, userId: d.user_id ?? undefined, userEmail: d.user_email ?? undefined, scopes };
}

/**
 * A message got through, so the address and the token both work: the destination is active
 * again, and so is its connection if the token was what had failed, with every other
 * destination held only because of that token. Disabled destinations stay disabled.
 */
async function clearNeedsAttention(tx: Queryable, d: DestinationRow): Promise<boolean> {
  const cleared = await tx.query(
    `UPDATE destinations SET status = 'active', status_reason = NULL, status_hint = NULL, updated_at = now()
     WHERE id = $1 AND status = 'needs_attention'`,
    [d.id],
  );
  let others = 0;
  if (d.connection_id) {
    await tx.query(
      `UPDATE connections SET status = 'active', status_reason = NULL, status_hint = NULL, updated_at = now()
       WHERE id = $1 AND status = 'needs_attention'`,
      [d.connection_id],
    );
    others = (await tx.query(
      `UPDATE destinations SET status = 'active', status_reason = NULL, status_hint = NULL, updated_at = now()
       WHERE connection_id = $1 AND status = 'needs_attention' AND status_reason = ANY($2)`,
      [d.connection_id, [...CONNECTION_ERRORS]],
    )).rowCount;
  }
  return cleared.rowCount + others > 0;
}

/** Plain-language advice for every way a test can fail, not only the ones that hold the queue. */
export function failureHint(outcome: Exclude<SendOutcome, { kind: 'sent' }>, kind: DestinationRow['kind']): string {
  const webhook = kind === 'webhook';
  switch (outcome.kind) {
    case 'destination_broken':
      return outcome.hint;
    case 'rate_limited':
      return `Slack asked us to slow down (HTTP 429): wait ${outcome.retryAfterSeconds} s before testing again. Messages queued for this destination wait as long.`;
    case 'rejected':
      return `Slack refused the test message itself (${outcome.error}). The destination is reachable; check Slack's documentation for this error.`;
    case 'retry':
      break;
  }
  const error = outcome.error;
  if (/timed? ?out|^http_408$/i.test(error)) {
    return 'Slack did not answer in time. Try again; if it keeps happening, check this server’s network or proxy.';
  }
  if (/^(network error|request_error)/.test(error)) {
    return webhook
      ? 'Could not connect to the webhook URL. Check that it was copied whole (https://hooks.slack.com/services/T…/B…/…) and that this server can reach it.'
      : 'Could not connect to the Slack API. Check this server’s network or proxy, and SWITCHBOARD_SLACK_API_URL if it is set.';
  }
  if (/^http_5\d\d/.test(error) || TRANSIENT_ERRORS.has(error)) {
    return 'Slack had a temporary problem. Try again in a minute; queued messages are retried automatically.';
  }
  return `Slack answered "${error}", which Switchboard does not recognise. Queued messages are retried a few times and then dead-lettered; check Slack's documentation for this error.`;
}
