/**
 * Cancelling deliveries still waiting in line (pending, or held behind a destination that needs
 * attention): one by id, or in bulk by destination, event and/or acceptance time. The rest of the
 * line keeps its order; the next one simply becomes the head. A delivery being sent right now
 * cannot be stopped, and a finished one has nothing left to cancel.
 */
import type { Database } from '../db/database.ts';
import { NotFoundError, SwitchboardError, ValidationError } from '../errors.ts';
import { bulkResult, selectChunk, type BulkOptions, type BulkResult } from './bulk-selection.ts';
import { getDeliveryRecord, type DeliveryRecord } from './delivery-queries.ts';
import { isCancellable, SHOWN_STATUS_SQL } from './delivery-statuses.ts';
import { lockDestination } from './retry-deliveries.ts';

const CANCEL_SQL = `UPDATE deliveries SET status = 'cancelled', locked_by = NULL, locked_at = NULL, updated_at = now()
  WHERE id = ANY($1) AND status = 'pending'`;

export async function cancelDelivery(db: Database, projectId: string, id: string): Promise<DeliveryRecord> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ status: string }>(
      `SELECT ${SHOWN_STATUS_SQL} AS status FROM deliveries d JOIN destinations t ON t.id = d.destination_id
       WHERE d.project_id = $1 AND d.id = $2 FOR UPDATE OF d`,
      [projectId, id],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('Delivery', id);
    if (!isCancellable(row.status)) {
      const why =
        row.status === 'sending'
          ? 'is being sent to Slack right now and cannot be stopped'
          : row.status === 'sent'
            ? 'was already sent to Slack'
            : row.status === 'scheduled'
              ? 'was already handed to Slack, which posts it at its scheduled time'
              : `already finished (${row.status})`;
      throw new SwitchboardError('delivery_not_cancellable', `Delivery ${id} ${why}. Only deliveries waiting to be sent (pending or held) can be cancelled.`, {
        status: row.status,
      });
    }
    await tx.query(CANCEL_SQL, [[id]]);
  });
  return getDeliveryRecord(db, projectId, id);
}

export interface BulkCancelInput extends BulkOptions {
  destination_id?: string;
  event_id?: string;
  /** Accepted before this time (ISO 8601). */
  before?: string;
}

/** Cancels every waiting delivery that matches all the filters given (at least one is required). */
export async function cancelDeliveries(db: Database, projectId: string, input: BulkCancelInput): Promise<BulkResult> {
  if (!input.destination_id && !input.event_id && !input.before) {
    throw new ValidationError('Name what to cancel: destination_id, event_id and/or before (cancelling a whole project at once is not offered)', {
      field: 'destination_id',
    });
  }
  if (input.before !== undefined && Number.isNaN(Date.parse(input.before))) {
    throw new ValidationError('before must be an ISO 8601 date-time such as 2026-11-25T10:00:00Z', { field: 'before' });
  }
  return db.transaction(async (tx) => {
    if (input.destination_id) await lockDestination(tx, projectId, input.destination_id);
    if (input.event_id) {
      const { rows } = await tx.query('SELECT 1 FROM events WHERE id = $1 AND project_id = $2', [input.event_id, projectId]);
      if (!rows[0]) throw new NotFoundError('Event', input.event_id);
    }
    const chunk = await selectChunk(
      tx,
      `d.project_id = $1 AND d.status = 'pending' AND ($2::text IS NULL OR d.destination_id = $2)
         AND ($3::text IS NULL OR d.event_id = $3) AND ($4::timestamptz IS NULL OR d.created_at < $4::timestamptz)`,
      [projectId, input.destination_id ?? null, input.event_id ?? null, input.before ?? null],
      input,
    );
    if (chunk.chosen.length) await tx.query(CANCEL_SQL, [chunk.chosen.map((r) => r.id)]);
    return bulkResult(chunk);
  });
}
