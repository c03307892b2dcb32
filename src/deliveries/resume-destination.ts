/**
 * Resuming a destination (POST /v1/destinations/{id}/resume): every delivery of its line waiting
 * on a retry backoff (or on its workspace's outage) is due now, each in its place in line, so the
 * line drains in order within pacing. A destination that needs attention is made active again:
 * its held messages are tried at once, and if Slack still says it is broken the first of them
 * marks it needs_attention again, exactly as before (that attempt does not count). What stays:
 * a disabled destination (enable it), a 429's Retry-After (Slack asked), a later deliver_at, and
 * the wait between the chunks of a bulk retry.
 */
import type { Database } from '../db/database.ts';
import { getDestination, type Destination } from '../destinations/destination-store.ts';
import { CHUNK_HOLD_NOTE, lockDestination, WAITING_ON_BACKOFF_SQL } from './retry-deliveries.ts';

export interface ResumeResult {
  destination: Destination;
  /** The destination needed attention and is active again. */
  hold_lifted: boolean;
  resumed: number;
  /** The deliveries made due now, in queue order. */
  delivery_ids: string[];
}

export async function resumeDestination(db: Database, projectId: string, destinationId: string): Promise<ResumeResult> {
  const { lifted, ids } = await db.transaction(async (tx) => {
    // Also keeps the delivery engine off this destination until the change is committed.
    await lockDestination(tx, projectId, destinationId);
    const lifted = (await tx.query(
      `UPDATE destinations SET status = 'active', status_reason = NULL, status_hint = NULL, updated_at = now()
       WHERE id = $1 AND status = 'needs_attention'`,
      [destinationId],
    )).rowCount > 0;
    const { rows } = await tx.query<{ id: string; seq: string }>(
      `UPDATE deliveries d SET run_at = now(), outage_key = NULL, updated_at = now()
       WHERE d.destination_id = $2 AND ${WAITING_ON_BACKOFF_SQL} RETURNING d.id, d.seq::text AS seq`,
      [CHUNK_HOLD_NOTE, destinationId],
    );
    const ids = rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1)).map((r) => r.id);
    return { lifted, ids };
  });
  return { destination: await getDestination(db, projectId, destinationId), hold_lifted: lifted, resumed: ids.length, delivery_ids: ids };
}
