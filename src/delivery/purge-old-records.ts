/**
 * Retention: attempts and finished deliveries older than the retention period are deleted, in
 * small batches so the tables stay available. Events go once none of their deliveries remain.
 */
import type { Database } from '../db/database.ts';

export async function purgeOldRecords(db: Database, retentionDays: number): Promise<number> {
  let total = 0;
  const batch = async (sql: string) => {
    for (;;) {
      const { rowCount } = await db.query(sql, [retentionDays]);
      total += rowCount;
      if (rowCount < 1000) break;
    }
  };
  await batch(`DELETE FROM delivery_attempts WHERE id IN (
    SELECT id FROM delivery_attempts WHERE started_at < now() - $1 * interval '1 day' LIMIT 1000)`);
  await batch(`DELETE FROM deliveries WHERE id IN (
    SELECT id FROM deliveries WHERE status IN ('sent', 'failed', 'dead', 'expired', 'cancelled')
      AND updated_at < now() - $1 * interval '1 day' LIMIT 1000)`);
  await batch(`DELETE FROM events WHERE id IN (
    SELECT e.id FROM events e WHERE e.accepted_at < now() - $1 * interval '1 day'
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) LIMIT 1000)`);
  // An outage nobody has probed for a day has no one waiting on it any more (outages.ts).
  total += (await db.query(`DELETE FROM outages WHERE last_failure_at < now() - interval '1 day'`)).rowCount;
  return total;
}
