/**
 * The queue as a scrape sees it, in one statement: deliveries still waiting (pending, held,
 * sending) counted per status with the age of the one due longest, and the destinations that need
 * attention. It reads only rows the partial index deliveries_due covers (pending and sending) and
 * the destinations table, so it costs what the backlog costs, not what the history does.
 */
import type { Queryable } from '../db/database.ts';
import { SHOWN_STATUS_SQL } from '../deliveries/delivery-statuses.ts';

export const QUEUE_STATUSES = ['pending', 'held', 'sending'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface QueueSnapshot {
  /** depth: how many; oldestSeconds: how long the longest-due one has been due (0 if none is due yet). */
  queue: Record<QueueStatus, { depth: number; oldestSeconds: number }>;
  destinationsNeedingAttention: number;
}

const SNAPSHOT_SQL = `
  SELECT 'queue' AS what, q.status, count(*)::int AS n,
         coalesce(extract(epoch FROM now() - min(q.run_at) FILTER (WHERE q.run_at <= now())), 0)::float8 AS oldest_seconds
  FROM (SELECT ${SHOWN_STATUS_SQL} AS status, d.run_at
        FROM deliveries d JOIN destinations t ON t.id = d.destination_id
        WHERE d.status IN ('pending', 'sending')) q
  GROUP BY q.status
  UNION ALL
  SELECT 'destinations', 'needs_attention', count(*)::int, 0::float8 FROM destinations WHERE status = 'needs_attention'`;

export async function readQueueSnapshot(db: Queryable): Promise<QueueSnapshot> {
  const { rows } = await db.query<{ what: string; status: string; n: number; oldest_seconds: number }>(SNAPSHOT_SQL);
  const queue = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, { depth: 0, oldestSeconds: 0 }])) as QueueSnapshot['queue'];
  let destinationsNeedingAttention = 0;
  for (const row of rows) {
    if (row.what === 'destinations') destinationsNeedingAttention = Number(row.n);
    else if ((QUEUE_STATUSES as readonly string[]).includes(row.status)) {
      queue[row.status as QueueStatus] = { depth: Number(row.n), oldestSeconds: Math.max(0, Number(row.oldest_seconds)) };
    }
  }
  return { queue, destinationsNeedingAttention };
}
