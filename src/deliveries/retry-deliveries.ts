/**
 * Sending finished deliveries again (dead-lettered, failed, expired or cancelled ones): one by
 * id, or all of one destination's accepted since a time. A retried delivery keeps its place in
 * the queue (`seq`), so an old one becomes the head of its destination's line again and goes
 * before anything newer still waiting: order per destination is what the queue promises, and a
 * retry does not change it. A delivery already sent, being sent, or still waiting its turn is
 * refused: sending it again would post the message twice or jump the line.
 *
 * "Retry now": a pending delivery waiting on its retry backoff (or an outage) is made due now,
 * in the same place in line; so are all of a destination's with resumeDestination().
 */
import type { Database, Queryable } from '../db/database.ts';
import { NotFoundError, SwitchboardError, ValidationError } from '../errors.ts';
import { bulkResult, selectChunk, type BulkOptions, type BulkResult } from './bulk-selection.ts';
import { getDeliveryRecord, type DeliveryRecord } from './delivery-queries.ts';
import { isRetryable, RETRYABLE_STATUSES, SHOWN_STATUS_SQL, type RetryableStatus } from './delivery-statuses.ts';

/**
 * In a chunked bulk retry, the last delivery of each chunk waits this long (or until the next
 * chunk arrives): otherwise the worker could drain one chunk and send a newer waiting message
 * before the older ones of the next chunk are back in line.
 */
export const CHUNK_HOLD_SECONDS = 60;
export const CHUNK_HOLD_NOTE = 'waiting for the rest of a bulk retry';

// Back in line at its own place, due now. A time to live already past is dropped: the operator
// asked for this message, and keeping it would expire the delivery again at once.
const RETRY_SQL = `UPDATE deliveries SET status = 'pending', run_at = now(), last_error = NULL, outcome_hint = NULL,
    expires_at = CASE WHEN expires_at <= now() THEN NULL ELSE expires_at END,
    locked_by = NULL, locked_at = NULL, updated_at = now()
  WHERE id = ANY($1) AND status = ANY($2)`;

/**
 * SQL: `d` is pending and waiting on its backoff (after a failed try or a 429) or on its
 * workspace's outage (src/delivery/outages.ts), not on its turn, a later deliver_at, or the rest
 * of a chunked bulk retry ($1: CHUNK_HOLD_NOTE).
 */
export const WAITING_ON_BACKOFF_SQL = `(d.status = 'pending' AND (d.run_at > now() OR d.outage_key IS NOT NULL)
  AND (d.deliver_at IS NULL OR d.deliver_at <= now()) AND d.last_error IS DISTINCT FROM $1)`;

/** Due now, same place in line; its backoff and retry window carry on. */
const RETRY_NOW_SQL = `UPDATE deliveries d SET run_at = now(), outage_key = NULL, updated_at = now()
  WHERE d.id = ANY($2) AND ${WAITING_ON_BACKOFF_SQL}`;

export async function retryDelivery(db: Database, projectId: string, id: string): Promise<DeliveryRecord> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<NotRetryableRow & { backing_off: boolean }>(
      `SELECT ${SHOWN_STATUS_SQL} AS status, t.status_hint, d.destination_id, to_char(d.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS sent_at,
         ${SHOWN_STATUS_SQL} = 'pending' AND ${WAITING_ON_BACKOFF_SQL} AS backing_off,
         d.last_error = $1 AS chunk_hold, to_char(d.deliver_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS deliver_at, d.deliver_at > now() AS later
       FROM deliveries d JOIN destinations t ON t.id = d.destination_id WHERE d.project_id = $2 AND d.id = $3 FOR UPDATE OF d`,
      [CHUNK_HOLD_NOTE, projectId, id],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('Delivery', id);
    if (row.backing_off) {
      await tx.query(RETRY_NOW_SQL, [CHUNK_HOLD_NOTE, [id]]);
      return;
    }
    if (!isRetryable(row.status)) throw notRetryable(id, row);
    await tx.query(RETRY_SQL, [[id], RETRYABLE_STATUSES]);
  });
  return getDeliveryRecord(db, projectId, id);
}

interface NotRetryableRow {
  status: string;
  status_hint: string | null;
  destination_id: string;
  sent_at: string | null;
  chunk_hold: boolean | null;
  deliver_at: string | null;
  later: boolean | null;
}

function notRetryable(id: string, row: NotRetryableRow): SwitchboardError {
  const why: Record<string, string> = {
    sent: `was already sent to Slack (at ${row.sent_at}); retrying it would post the message twice. To post it again, send the event again`,
    sending: 'is being sent to Slack right now',
    scheduled: 'was handed to Slack, which posts it at its scheduled time; retrying it would post the message twice',
    pending: row.chunk_hold
      ? 'is the last of a chunk of a bulk retry and waits (up to a minute) for the next chunk, so the line keeps its order'
      : row.later
        ? `waits for the time its event asked for (deliver_at ${row.deliver_at})`
        : 'is already waiting in line to be sent; it goes when its turn comes',
    held: `is waiting because its destination needs attention: ${row.status_hint ?? 'see the destination'} Once fixed (or after a successful POST /v1/destinations/${row.destination_id}/test) it is sent without a retry`,
  };
  return new SwitchboardError(
    'delivery_not_retryable',
    `Delivery ${id} ${why[row.status] ?? `is ${row.status}`}. Only ${RETRYABLE_STATUSES.join(', ')} deliveries, and pending ones waiting on a retry backoff, can be retried.`,
    { status: row.status },
  );
}

export interface BulkRetryInput extends BulkOptions {
  destination_id: string;
  /** Accepted at or after this time (ISO 8601). */
  since: string;
  /** Accepted before this time (ISO 8601). */
  until?: string;
  /** Which finished deliveries to send again: dead-lettered ones by default. */
  statuses?: readonly RetryableStatus[];
}

/** Retries a destination's matching deliveries, oldest first. */
export async function retryDeliveries(db: Database, projectId: string, input: BulkRetryInput): Promise<BulkResult> {
  const statuses = input.statuses?.length ? [...new Set(input.statuses)] : ['dead'];
  for (const s of statuses) {
    if (!isRetryable(s)) throw new ValidationError(`statuses may list ${RETRYABLE_STATUSES.join(', ')}; ${JSON.stringify(s)} cannot be retried`, { field: 'statuses' });
  }
  for (const [field, value] of [['since', input.since], ['until', input.until]] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      throw new ValidationError(`${field} must be an ISO 8601 date-time such as 2026-11-25T10:00:00Z`, { field });
    }
  }
  return db.transaction(async (tx) => {
    await lockDestination(tx, projectId, input.destination_id);
    if (input.cursor !== undefined) await releaseChunkHold(tx, input.destination_id, input.cursor);
    const chunk = await selectChunk(
      tx,
      `d.project_id = $1 AND d.destination_id = $2 AND d.status = ANY($3) AND d.created_at >= $4::timestamptz
         AND ($5::timestamptz IS NULL OR d.created_at < $5::timestamptz)`,
      [projectId, input.destination_id, statuses, input.since, input.until ?? null],
      input,
    );
    const ids = chunk.chosen.map((r) => r.id);
    if (ids.length) await tx.query(RETRY_SQL, [ids, statuses]);
    if (chunk.more) {
      await tx.query(`UPDATE deliveries SET run_at = now() + $2 * interval '1 second', last_error = $3 WHERE id = $1`, [
        ids[ids.length - 1],
        CHUNK_HOLD_SECONDS,
        CHUNK_HOLD_NOTE,
      ]);
    }
    return bulkResult(chunk);
  });
}

/**
 * Locking the destination row also keeps the delivery engine off this destination until the
 * transaction ends (its claims skip locked destinations), so a bulk change lands as one step.
 */
export async function lockDestination(tx: Queryable, projectId: string, destinationId: string): Promise<void> {
  const { rows } = await tx.query('SELECT id FROM destinations WHERE id = $1 AND project_id = $2 FOR UPDATE', [destinationId, projectId]);
  if (!rows[0]) throw new NotFoundError('Destination', destinationId);
}

async function releaseChunkHold(tx: Queryable, destinationId: string, cursor: string): Promise<void> {
  if (!/^\d{1,18}$/.test(cursor)) return; // selectChunk explains what is wrong with it
  await tx.query(
    `UPDATE deliveries SET run_at = now(), last_error = NULL, updated_at = now()
     WHERE destination_id = $1 AND seq = $2::bigint AND status = 'pending' AND last_error = $3`,
    [destinationId, cursor, CHUNK_HOLD_NOTE],
  );
}
