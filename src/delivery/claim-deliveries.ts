/**
 * Claiming work. A destination's deliveries go one at a time in `seq` order: only the head of
 * its line (lowest seq still pending or sending) may be claimed, and only when it is due, the
 * destination is active, and its pacing buckets have room. Destination rows are locked with
 * SKIP LOCKED, so several processes claim different destinations without waiting on each other
 * and never the same one twice. A claimed delivery is `sending`, owned by this worker.
 *
 * The first statement's snapshot is taken before it locks: on PostgreSQL another worker may
 * have settled that destination's head in between (a retry moved its run_at into the future, a
 * send finished). So once the destinations are locked, a second statement (a fresh snapshot
 * under READ COMMITTED) looks at each head again, and only those still due are paced and
 * claimed. Holding the destination lock, nobody else can claim it meanwhile.
 *
 * Deliveries of events sent with `deliver_at` stand outside the line: they are claimed when
 * their own run_at comes (at once for those Slack will schedule, at deliver_at otherwise) and
 * never hold up the destination's other messages.
 *
 * A head waiting out a transient failure whose workspace is in an outage goes only as that
 * outage's probe (one at a time, every few seconds, whatever its own run_at), or once a send
 * there got through and made it due (outages.ts).
 */
import type { Database } from '../db/database.ts';
import { heldByOutageSql, isProbeSql, nextDueSql, outageKey } from './outages.ts';
import { bucketKeys, type PacingRules } from './pacing.ts';

export interface ClaimedDelivery {
  id: string;
  projectId: string;
  eventId: string;
  destinationId: string;
  /** Attempts made including this one. */
  attempts: number;
  /** Attempts since the delivery was last put back in line (this one included): the retry schedule's step. */
  attemptsInWindow: number;
  createdAtMs: number;
  /** When the retry window started: acceptance, or an operator's retry (requeued_at). */
  windowStartMs: number;
  /** End of the message's time to live, if it has one. */
  expiresAtMs: number | null;
  message: { text: string; blocks?: unknown[] };
  kind: 'webhook' | 'channel' | 'dm';
  channelId: string | null;
  userId: string | null;
  userEmail: string | null;
  webhookUrlSealed: string | null;
  connectionId: string | null;
  botTokenSealed: string | null;
  /** When the connection's rotating token is due for renewal (null: it does not rotate). */
  tokenRefreshDueMs: number | null;
  scopes: string[];
  /** The event's subject, and what this delivery does about it (null: post a new message). */
  subject: string | null;
  subjectAction: 'new' | 'thread' | 'update' | 'update_and_thread' | null;
  replyBroadcast: boolean;
  /** What the subject's root becomes on update (null: the message itself). */
  updateMessage: { text: string; blocks?: unknown[] } | null;
  /** When the event asked to be delivered, if it did. */
  deliverAtMs: number | null;
  ephemeralUserId: string | null;
  /** Where an outage of this send is counted (outages.ts); a webhook without a workspace gets its host once the URL is read. */
  outageKey: string | null;
}

/**
 * The deliveries a destination may send next: the head of its line, and any scheduled
 * delivery whose time has come. `dest` names the destination id column of the outer query.
 */
function nextOf(dest: string): string {
  return `(SELECT d.id, d.status, d.run_at, d.expires_at, d.outage_key FROM deliveries d
             WHERE d.destination_id = ${dest} AND d.status IN ('pending', 'sending') AND d.deliver_at IS NULL
             ORDER BY d.seq LIMIT 1)
          UNION ALL
          (SELECT d.id, d.status, d.run_at, d.expires_at, d.outage_key FROM deliveries d
             WHERE d.destination_id = ${dest} AND d.status = 'pending' AND d.deliver_at IS NOT NULL AND d.run_at <= now()
             ORDER BY d.run_at LIMIT 5)`;
}

/** SQL: the head `h` may go now: its time has come and no outage holds it, or it is its outage's probe (outages.ts). */
const isDue = (h: string) => `((${h}.run_at <= now() AND NOT ${heldByOutageSql(h)}) OR ${isProbeSql(h)})`;

/** Marks pending deliveries past their time to live as expired: they are not worth sending. */
export async function expireDeliveries(db: Database): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE deliveries SET status = 'expired', last_error = 'expired before it could be sent', updated_at = now()
     WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= now()`,
  );
  return rowCount;
}

export async function claimDeliveries(
  db: Database,
  workerId: string,
  limit: number,
  pacing: PacingRules,
  options: { expireFirst?: boolean } = {},
): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  // A message past its time to live is expired, not sent (and never blocks its line for long). Its
  // own statement, outside the claim, so it never waits on another worker's claim transaction.
  if (options.expireFirst ?? true) await expireDeliveries(db);
  return db.transaction(async (tx) => {
    const { rows: candidates } = await tx.query<{ id: string; destination_id: string; team_id: string | null }>(
      `SELECT h.id, t.id AS destination_id, t.team_id
       FROM destinations t
       CROSS JOIN LATERAL (${nextOf('t.id')}) h
       WHERE t.status = 'active' AND h.status = 'pending' AND ${isDue('h')}
         AND NOT EXISTS (SELECT 1 FROM pacing_buckets b WHERE b.key = 'dst:' || t.id
                         AND (b.paused_until > now() OR b.tat > now() + $2 * interval '1 millisecond'))
         AND NOT EXISTS (SELECT 1 FROM pacing_buckets b WHERE b.key = 'team:' || t.team_id
                         AND (b.paused_until > now() OR b.tat > now() + $3 * interval '1 millisecond'))
       ORDER BY least(h.run_at, now())
       LIMIT $1
       FOR UPDATE OF t SKIP LOCKED`,
      [limit, pacing.destination.toleranceMs, pacing.workspace.toleranceMs],
      { prepare: 'claim_candidates' },
    );
    if (candidates.length === 0) return [];
    const { rows: due } = await tx.query<{ id: string; destination_id: string; team_id: string | null }>(
      `SELECT h.id, c.destination_id, c.team_id
       FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS u(destination_id, team_id)) c
       CROSS JOIN LATERAL (${nextOf('c.destination_id')}) h
       WHERE h.status = 'pending' AND ${isDue('h')} AND (h.expires_at IS NULL OR h.expires_at > now())
         AND h.id = ANY($3)`,
      [candidates.map((c) => c.destination_id), candidates.map((c) => c.team_id), candidates.map((c) => c.id)],
      { prepare: 'claim_recheck_heads' },
    );
    if (due.length === 0) return [];
    const { rows: slots } = await tx.query<{ id: string }>(
      'SELECT take_pacing_slots_for($1::text[], $2::text[], $3::text[], $4, $5, $6, $7) AS id',
      [
        due.map((c) => c.id),
        due.map((c) => bucketKeys(c.destination_id, c.team_id)[0]),
        due.map((c) => bucketKeys(c.destination_id, c.team_id)[1] ?? null),
        pacing.destination.intervalMs,
        pacing.destination.toleranceMs,
        pacing.workspace.intervalMs,
        pacing.workspace.toleranceMs,
      ],
      { prepare: 'claim_pacing_slots' },
    );
    const granted = slots.map((r) => r.id);
    if (granted.length === 0) return [];
    const { rows } = await tx.query<{
      id: string; project_id: string; event_id: string; destination_id: string; attempts: number; attempts_at_requeue: number;
      created_ms: number; window_ms: number; expires_ms: number | null;
      message: ClaimedDelivery['message']; kind: ClaimedDelivery['kind']; channel_id: string | null; user_id: string | null;
      user_email: string | null; webhook_url_sealed: string | null; connection_id: string | null; bot_token_sealed: string | null; scopes: string[] | null;
      subject: string | null; subject_action: ClaimedDelivery['subjectAction']; reply_broadcast: boolean; update_message: ClaimedDelivery['updateMessage'];
      deliver_ms: number | null; ephemeral_user_id: string | null; refresh_due_ms: number | null; team_id: string | null;
    }>(
      `UPDATE deliveries d SET status = 'sending', locked_by = $2, locked_at = now(), attempts = d.attempts + 1, updated_at = now()
       FROM events e, destinations t LEFT JOIN connections c ON c.id = t.connection_id
       WHERE d.id = ANY($1) AND d.status = 'pending' AND e.id = d.event_id AND t.id = d.destination_id
       RETURNING d.id, d.project_id, d.event_id, d.destination_id, d.attempts, d.attempts_at_requeue,
         (extract(epoch FROM d.created_at) * 1000)::float8 AS created_ms,
         (extract(epoch FROM coalesce(d.requeued_at, d.created_at)) * 1000)::float8 AS window_ms,
         (extract(epoch FROM d.expires_at) * 1000)::float8 AS expires_ms, coalesce(d.message, e.message) AS message,
         t.kind, t.channel_id, t.user_id, t.user_email, t.webhook_url_sealed, t.connection_id, c.bot_token_sealed, c.scopes,
         e.subject, d.subject_action, d.reply_broadcast, e.update_message,
         (extract(epoch FROM d.deliver_at) * 1000)::float8 AS deliver_ms, t.ephemeral_user_id,
         (extract(epoch FROM c.token_refresh_due_at) * 1000)::float8 AS refresh_due_ms, t.team_id`,
      [granted, workerId],
      { prepare: 'claim_take' },
    );
    return rows.map((r) => ({
      id: r.id,
      projectId: r.project_id,
      eventId: r.event_id,
      destinationId: r.destination_id,
      attempts: r.attempts,
      attemptsInWindow: r.attempts - r.attempts_at_requeue,
      createdAtMs: Number(r.created_ms),
      windowStartMs: Number(r.window_ms),
      expiresAtMs: r.expires_ms === null ? null : Number(r.expires_ms),
      message: r.message,
      kind: r.kind,
      channelId: r.channel_id,
      userId: r.user_id,
      userEmail: r.user_email,
      webhookUrlSealed: r.webhook_url_sealed,
      connectionId: r.connection_id,
      botTokenSealed: r.bot_token_sealed,
      tokenRefreshDueMs: r.refresh_due_ms === null ? null : Number(r.refresh_due_ms),
      scopes: r.scopes ?? [],
      subject: r.subject,
      subjectAction: r.subject_action,
      replyBroadcast: r.reply_broadcast,
      updateMessage: r.update_message,
      deliverAtMs: r.deliver_ms === null ? null : Number(r.deliver_ms),
      ephemeralUserId: r.ephemeral_user_id,
      outageKey: outageKey(r.kind, r.team_id),
    }));
  });
}

/** When the next claim could succeed (earliest due head or bucket refill), for the worker's timer. */
export async function nextClaimAt(db: Database, pacing: PacingRules): Promise<number | undefined> {
  const { rows } = await db.query<{ at: number | null }>(
    `SELECT (extract(epoch FROM min(CASE WHEN n.due_at IS NOT NULL THEN greatest(n.due_at,
               coalesce(b.paused_until, '-infinity'), coalesce(b.tat - $1 * interval '1 millisecond', '-infinity'),
               coalesce(w.paused_until, '-infinity'), coalesce(w.tat - $2 * interval '1 millisecond', '-infinity')) END)) * 1000)::float8 AS at
     FROM destinations t
     CROSS JOIN LATERAL (
       (SELECT d.id, d.status, d.run_at, d.outage_key FROM deliveries d
         WHERE d.destination_id = t.id AND d.status IN ('pending', 'sending') AND d.deliver_at IS NULL ORDER BY d.seq LIMIT 1)
       UNION ALL
       (SELECT d.id, d.status, d.run_at, d.outage_key FROM deliveries d
         WHERE d.destination_id = t.id AND d.status = 'pending' AND d.deliver_at IS NOT NULL ORDER BY d.run_at LIMIT 1)
     ) h
     CROSS JOIN LATERAL (SELECT ${nextDueSql('h')} AS due_at) n
     LEFT JOIN pacing_buckets b ON b.key = 'dst:' || t.id
     LEFT JOIN pacing_buckets w ON w.key = 'team:' || t.team_id
     WHERE t.status = 'active' AND h.status = 'pending'`,
    [pacing.destination.toleranceMs, pacing.workspace.toleranceMs],
    { prepare: 'next_claim_at' },
  );
  return rows[0]?.at ?? undefined;
}
