/**
 * After a send: one transaction records the attempt (the audit log) and moves the delivery on.
 * Failures are data on rows: the delivery's status, run_at and last_error; the destination's
 * status and hint; a bucket's pause; a workspace's outage (outages.ts). Only the worker that owns
 * the claim may settle it.
 */
import { markNeedsAttention } from '../connections/connection-status.ts';
import type { Queryable } from '../db/database.ts';
import { newId } from '../ids.ts';
import { scrubSecrets } from '../logging/scrub-secrets.ts';
import type { ClaimedDelivery } from './claim-deliveries.ts';
import type { DeliveryReport } from './send-delivery.ts';
import { countsTowardOutage, endOutage, noteOutageFailure, OUTAGE_PROBE_SECONDS } from './outages.ts';
import { recordSentMany } from './sent-recorder.ts';
import { retryDelayMs, shouldDeadLetter, type RetryPolicy } from './retry-schedule.ts';

export type Settled = 'sent' | 'scheduled' | 'deferred' | 'retrying' | 'dead' | 'expired' | 'failed' | 'held' | 'rate_limited' | 'lost_claim';

/** A message posted (not scheduled, not deferred): recorded by recordSentMany. */
export function isPlainSent(report: DeliveryReport): boolean {
  return !report.deferUntil && report.outcome.kind === 'sent' && !report.outcome.scheduledMessageId;
}

export async function recordOutcome(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>; query: Queryable['query'] },
  workerId: string,
  delivery: ClaimedDelivery,
  report: DeliveryReport,
  startedAt: Date,
  policy: RetryPolicy & { destinationIntervalMs?: number },
  now = Date.now(),
): Promise<Settled> {
  if (isPlainSent(report)) {
    // The common case in one statement (sent-recorder.ts; the worker groups these across sends).
    const owned = await recordSentMany(db, workerId, [{ delivery, report, startedAt, destinationIntervalMs: policy.destinationIntervalMs }]);
    return owned.has(delivery.id) ? 'sent' : 'lost_claim';
  }
  // What is kept of a failure (last_error, the audit log) is read by tenants and kept for weeks:
  // whatever a transport or an internal error put in it, nothing shaped like a secret is stored.
  const o = 'error' in report.outcome ? { ...report.outcome, error: scrubSecrets(report.outcome.error) } : report.outcome;
  return db.transaction(async (tx) => {
    const owner = `d.id = $1 AND d.status = 'sending' AND d.locked_by = $2`;
    const args = [delivery.id, workerId];
    let settled: Settled;
    let changed = 0;

    if (report.deferUntil) {
      // Slack will not schedule it (too far ahead, or its 30-per-5-minutes window is full): the
      // queue keeps it and posts it itself at deliver_at. Nothing failed; the try does not count.
      changed = (await tx.query(
        `UPDATE deliveries d SET status = 'pending', attempts = d.attempts - 1, run_at = $3, locked_by = NULL, locked_at = NULL,
           outage_key = NULL, updated_at = now() WHERE ${owner}`,
        [...args, report.deferUntil],
      )).rowCount;
      if (Object.keys(report.request).length === 0) return changed ? 'deferred' : 'lost_claim'; // no call to Slack, nothing to log
      settled = 'deferred';
    } else switch (o.kind) {
      case 'sent':
        // Only a scheduled one gets here (a posted one went to recordSentMany above).
        // chat.scheduleMessage accepted it: Slack posts it at deliver_at. Cancelling it is
        // chat.deleteScheduledMessage with this id.
        changed = (await tx.query(
          `UPDATE deliveries d SET status = 'scheduled', scheduled_message_id = $3, slack_channel = $4, last_error = NULL,
             outcome_hint = NULL, locked_by = NULL, locked_at = NULL, outage_key = NULL, updated_at = now() WHERE ${owner}`,
          [...args, o.scheduledMessageId, o.channel ?? null],
        )).rowCount;
        // Slack took it: whatever outage its workspace was in is over (outages.ts).
        if (changed && delivery.outageKey) await endOutage(tx, delivery.outageKey);
        settled = 'scheduled';
        break;
      case 'retry': {
        const nextDelayMs = retryDelayMs(delivery.attemptsInWindow, Math.random, policy.delayScale);
        const dead = shouldDeadLetter(
          { attempts: delivery.attemptsInWindow, ageMs: now - delivery.windowStartMs, unknownError: Boolean(o.unknown), nextDelayMs },
          policy,
        );
        // A retry that would come after the message's time to live is not worth waiting for:
        // expired now, so the line moves on instead of waiting for a send that would not happen.
        const expired = !dead && delivery.expiresAtMs !== null && now + nextDelayMs >= delivery.expiresAtMs;
        const status = dead ? 'dead' : expired ? 'expired' : 'pending';
        // A failure worth waiting out counts toward its workspace's outage, and a head still
        // pending waits on it: sent by the outage's probe or its end, not its own backoff. (A
        // deliver_at message stands outside the line and keeps its own backoff.)
        const outage = delivery.outageKey && countsTowardOutage(o) ? delivery.outageKey : null;
        const waitsOn = status === 'pending' && delivery.deliverAtMs === null ? outage : null;
        changed = (await tx.query(
          `UPDATE deliveries d SET status = $3, run_at = now() + $4 * interval '1 millisecond', last_error = $5,
             locked_by = NULL, locked_at = NULL, outage_key = $6, updated_at = now() WHERE ${owner}`,
          [...args, status, nextDelayMs, expired ? `expired before it could be sent (last try: ${o.error})` : o.error, waitsOn],
        )).rowCount;
        if (changed && outage) await noteOutageFailure(tx, outage, o.error, OUTAGE_PROBE_SECONDS * 1000 * (policy.delayScale ?? 1));
        settled = dead ? 'dead' : expired ? 'expired' : 'retrying';
        break;
      }
      case 'rate_limited':
        // "A 429 pauses exactly that bucket": this destination waits Retry-After; others go on.
        // The attempt does not count against the delivery: Slack asked us to wait, nothing failed.
        changed = (await tx.query(
          `UPDATE deliveries d SET status = 'pending', attempts = d.attempts - 1, run_at = now() + $3 * interval '1 second',
             last_error = $4, locked_by = NULL, locked_at = NULL, outage_key = NULL, updated_at = now() WHERE ${owner}`,
          [...args, o.retryAfterSeconds, `rate limited by Slack: retry after ${o.retryAfterSeconds}s`],
        )).rowCount;
        await tx.query(
          `INSERT INTO pacing_buckets (key, tat, paused_until) VALUES ($1, now(), now() + $2 * interval '1 second')
           ON CONFLICT (key) DO UPDATE SET paused_until = greatest(coalesce(pacing_buckets.paused_until, now()), excluded.paused_until)`,
          [`dst:${delivery.destinationId}`, o.retryAfterSeconds],
        );
        settled = 'rate_limited';
        break;
      case 'rejected':
        changed = (await tx.query(
          `UPDATE deliveries d SET status = 'failed', last_error = $3, locked_by = NULL, locked_at = NULL, outage_key = NULL, updated_at = now() WHERE ${owner}`,
          [...args, `Slack rejected the message: ${o.error}`],
        )).rowCount;
        settled = 'failed';
        break;
      case 'destination_broken':
        // Held, not dropped: the delivery waits at the head of its line until the destination is fixed.
        changed = (await tx.query(
          `UPDATE deliveries d SET status = 'pending', attempts = d.attempts - 1, last_error = $3, outcome_hint = $4,
             locked_by = NULL, locked_at = NULL, outage_key = NULL, updated_at = now() WHERE ${owner}`,
          [...args, o.error, o.hint],
        )).rowCount;
        if (changed) await markNeedsAttention(tx, delivery, o.error, o.hint, o.scope);
        settled = 'held';
        break;
    }

    if (changed && o.kind !== 'rate_limited' && settled !== 'scheduled' && settled !== 'deferred' && policy.destinationIntervalMs) {
      // Slack paces by when a message arrives; we pace by when it was claimed. A first send on a
      // cold connection can arrive long after its claim, the next one on a warm connection almost
      // at once, so their arrivals come closer than our spacing and Slack answers 429. Counting
      // this send as if it arrived only now (an upper bound: its answer is back) closes that gap.
      // Exact for a destination, which sends one message at a time.
      await tx.query(
        `UPDATE pacing_buckets SET tat = greatest(tat, now() + $2 * interval '1 millisecond') WHERE key = $1`,
        [`dst:${delivery.destinationId}`, policy.destinationIntervalMs],
      );
    }

    await tx.query(
      `INSERT INTO delivery_attempts (id, project_id, delivery_id, destination_id, attempt, worker, started_at, latency_ms, request,
         http_status, response, outcome, error, slack_channel, slack_ts)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
       WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = $3)`,
      [
        newId('att'), delivery.projectId, delivery.id, delivery.destinationId, delivery.attempts, workerId, startedAt, report.latencyMs,
        scrubSecrets(JSON.stringify(report.request)), report.httpStatus ?? null, report.response === undefined ? null : scrubSecrets(JSON.stringify(report.response)),
        o.kind, o.kind === 'sent' ? null : o.error, o.kind === 'sent' ? o.channel ?? null : null, o.kind === 'sent' ? o.ts ?? null : null,
      ],
    );
    return changed ? settled : 'lost_claim';
  });
}
